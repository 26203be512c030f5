"""The Worst segments tab: the units with the most MQM points and the segments with
the highest risk, each one a click away from the Review page.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from review.accounts.permissions import Actor
from review.core.errors import ReviewError
from review.dashboard import DashboardData, DashboardFilters, articles_in_filters, rank_articles
from review.services import Workbench
from review.ui.dashboard_tabs.common import KEY, _fmt, open_segment, table
from review.ui.markup import inert, md


def worst_tab(workbench: Workbench, actor: Actor, data: DashboardData,
              filters: DashboardFilters) -> None:
    worst = data.worst
    st.subheader("Most MQM points")
    if worst.by_mqm.empty:
        st.caption("No rated segment with errors.")
    else:
        _worst_list(worst.by_mqm, "mqm", lambda r: f"{md(r.system)} · MQM {_fmt(r.score)} · "
                    f"{r.flags}", "text")
        table(worst.by_mqm, "worst-by-mqm", "worst_mqm", height=300)
    st.subheader("Highest risk")
    ids = articles_in_filters(data.options, filters)
    if st.button("Compute the review priority", key=f"{KEY}_risk", disabled=not ids,
                 help="Risk of every segment of the articles in the filters, from the "
                 "automatic checks and the agreement with retranslations"):
        bar = st.progress(0.0, text="Computing the risk…")
        try:
            for done, total in rank_articles(ids, lambda a: workbench.ranking.risk_ranking(actor,
                                                                                           a)):
                bar.progress(done / total, text=f"{done} of {total} articles")
        except ReviewError as exc:
            st.error(inert(exc))
        else:
            st.rerun()
    if worst.by_risk.empty:
        st.caption("No risk computed yet: use the button above, or "
                   "`python -m review score ARTICLE_ID`.")
    else:
        _worst_list(worst.by_risk, "risk", lambda r: f"risk {_fmt(r.risk)} · {r.status}"
                    + (f" · {r.flags}" if r.flags else ""), "mt")
        table(worst.by_risk, "worst-by-risk", "worst_risk", height=300)


def _worst_list(frame: pd.DataFrame, key: str, label, text_col: str,  # noqa: ANN001
                shown: int = 5) -> None:
    for i, row in enumerate(frame.head(shown).itertuples()):
        with st.container(border=True):
            cols = st.columns([6, 1])
            cols[0].markdown(f"**#{int(row.position) + 1}** in article {int(row.article_id)} · "
                             f"{label(row)}")
            cols[0].text(getattr(row, text_col))
            if cols[1].button("Open", key=f"{KEY}_worst_{key}_{i}",
                              help="Open this segment on the Review page"):
                open_segment(row.article_id, row.segment_id)
