"""Review page: the article as a document in the reviewer workspace, keyboard first."""

from __future__ import annotations

import streamlit as st

from review.core.errors import ReviewError
from review.core.vocab import SEGMENT_KINDS, SEGMENT_STATUSES
from review.ui import state, team_widgets
from review.ui.markup import inert, md
from review.ui.resources import get_workbench
from review.ui.review_workspace import Filters, workspace_fragment
from review.ui.session import require_actor
from review.ui.source_panel import source_panel

KEY = "review"

workbench = get_workbench()
actor = require_actor(workbench)
st.title("Review")
state.show_flash()
if workbench.assignments.my_queue(actor):  # folded away: the workspace needs the room at 1366x768
    with st.expander("My queue", icon=":material/assignment:"):
        team_widgets.my_queue_panel(workbench, actor)
else:
    team_widgets.my_queue_panel(workbench, actor)  # says when nothing is assigned yet

articles = workbench.reading.summaries(actor)
if not articles:
    st.info("No article to review yet. Import one on the Library page"
            + (" or ask a lead to assign one to you." if actor.role == "reviewer" else "."))
    st.stop()

ids = [a.id for a in articles]
titles = {a.id: f"{a.id} · {a.title}" for a in articles}
chosen = state.article_id() if state.article_id() in ids else ids[0]
cols = st.columns([4, 2, 2, 1.5, 2], vertical_alignment="bottom")
article_id = cols[0].selectbox("Article", ids, index=ids.index(chosen), format_func=titles.get,
                               key=f"{KEY}_article")
state.set_article_id(article_id)
filters = Filters(
    statuses=tuple(cols[1].multiselect("Status", SEGMENT_STATUSES, key=f"{KEY}_status_filter")),
    kinds=tuple(cols[2].multiselect("Kind", SEGMENT_KINDS, key=f"{KEY}_kind_filter")),
    flagged_only=cols[3].toggle("Has flags", key=f"{KEY}_flagged_filter"),
    by_risk=cols[4].selectbox("Order", ["Position", "Risk (worst first)"],
                              key=f"{KEY}_order").startswith("Risk"))

summary = next(a for a in articles if a.id == article_id)
st.caption(f"{md(summary.source_lang) or 'unknown source language'} → "
           f"{md(summary.target_lang)} · "
           f"{summary.body_segments} segments to review, {summary.residue_segments} web residue "
           f"(dimmed, left out of scores and exports)"
           + (f" · MT system {md(summary.mt_system)}" if summary.mt_system else "")
           + " · press ? in the workspace for the keys")
try:
    workspace_fragment(workbench, actor, article_id, filters)
except ReviewError as exc:
    st.error(inert(exc))
    st.stop()
source_panel(workbench, actor, article_id)
