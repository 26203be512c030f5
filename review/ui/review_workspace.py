"""The workspace part of the Review page: filters, the component, and the details below it.

Drawn in an ``st.fragment``: a save, a flag or a merge reruns only this part, so the page
around it neither reloads nor jumps.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from review.accounts.permissions import Actor
from review.core.vocab import MQM_CATEGORIES, RESIDUE_KINDS, SEVERITIES
from review.services import Workbench
from review.ui import workspace_events as events
from review.ui.components.workspace import workspace
from review.ui.segment_details import segment_details

KEY = "review_ws"


@dataclass(frozen=True)
class Filters:
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    flagged_only: bool = False
    by_risk: bool = False


def visible_rows(workbench: Workbench, actor: Actor, article_id: int, rows: list[dict],
                 filters: Filters) -> list[dict]:
    """The rows the filters let through, in position or worst-risk-first order."""
    shown = [r for r in rows
             if (not filters.statuses or r["status"] in filters.statuses)
             and (not filters.kinds or r["kind"] in filters.kinds)
             and (not filters.flagged_only or any(
                 f["state"] != "dismissed" and f["on"] != "corrected" for f in r["flags"]))]
    if filters.by_risk:
        ranked_key = f"{KEY}_ranked_by_{article_id}"
        if ranked_key not in st.session_state or any(
                r["risk"] is None for r in shown if r["kind"] not in RESIDUE_KINDS):
            with st.spinner("Ranking segments by review risk…"):
                ranking = workbench.ranking.risk_ranking(actor, article_id)
            risks = {r["segment_id"]: r["risk"] for r in ranking}
            for r in shown:
                r["risk"] = risks.get(r["id"], r["risk"])
            st.session_state[ranked_key] = ((ranking[0]["ranked_by"],
                                             ranking[0]["ranking_note"]) if ranking else ("", ""))
        ranked_by, ranking_note = st.session_state[ranked_key]
        if ranked_by:
            st.caption(f"Worst first, {ranked_by} (expected errors per word read; web residue "
                       "and captions last).")
        if ranking_note:
            st.warning(ranking_note)
        shown.sort(key=lambda r: (r["kind"] in RESIDUE_KINDS, -(r["risk"] or 0.0),
                                  r["position"]))
    return shown


@st.fragment
def workspace_fragment(workbench: Workbench, actor: Actor, article_id: int,
                       filters: Filters) -> None:
    acks = events.process(workbench, actor)
    rows = visible_rows(workbench, actor, article_id, workbench.workspace.workspace_rows(actor,
                                                                                         article_id),
                        filters)
    if not rows:
        st.info("No segment matches the filters.")
        return
    key = f"{KEY}_{article_id}"
    workspace({"article_id": article_id, "rows": rows, "acks": acks,
               "categories": list(MQM_CATEGORIES), "severities": list(SEVERITIES),
               "user": actor.name}, key=key, on_event=events.receive(key))
    detail_id = st.session_state.get(events.DETAIL)
    if detail_id in {r["id"] for r in rows}:
        segment_details(workbench, actor, article_id, detail_id)
