"""Review page: the article as a document in the reviewer workspace, keyboard first.

The address carries the article and the segment (``?article=3&segment=120``): a reload or
a shared link opens exactly there. Filters live in the workspace itself (they run in the
browser), so the title row is all that sits above the work.
"""

from __future__ import annotations

import streamlit as st

from review.core.errors import ReviewError
from review.ui import state, team_widgets
from review.ui.markup import inert, md
from review.ui.resources import get_workbench
from review.ui.review_workspace import PAGE_RUN, workspace_fragment
from review.ui.session import require_actor
from review.ui.source_panel import source_panel

KEY = "review"


def _number(name: str) -> int | None:
    value = st.query_params.get(name, "")
    return int(value) if value.isdigit() else None


workbench = get_workbench()
actor = require_actor(workbench)
state.show_flash()

articles = workbench.reading.summaries(actor)
if not articles:
    st.title("Review")
    team_widgets.my_queue_panel(workbench, actor)  # says when nothing is assigned yet
    st.info("No article to review yet. Import one on the Library page"
            + (" or ask a lead to assign one to you." if actor.role == "reviewer" else "."))
    st.stop()

ids = [a.id for a in articles]
titles = {a.id: f"{a.id} · {a.title}" for a in articles}
linked = _number("article")
if f"{KEY}_linked" not in st.session_state:  # a link or a reload chooses the article once
    st.session_state[f"{KEY}_linked"] = linked
    if linked in ids:
        st.session_state[f"{KEY}_article"] = linked
chosen = state.article_id() if state.article_id() in ids else ids[0]
if st.session_state.get(f"{KEY}_article") not in ids:
    st.session_state[f"{KEY}_article"] = chosen
cols = st.columns([1.6, 6, 1.6], vertical_alignment="top")
cols[0].title("Review")
article_id = cols[1].selectbox("Article", ids, format_func=titles.__getitem__,
                               key=f"{KEY}_article")
state.set_article_id(article_id)
if st.query_params.get("article") != str(article_id):
    st.query_params["article"] = str(article_id)
    st.query_params.pop("segment", None)  # a segment of another article means nothing here
with cols[2].popover("My queue", icon=":material/assignment:"):  # the work needs the room
    team_widgets.my_queue_panel(workbench, actor)

summary = next(a for a in articles if a.id == article_id)
cols[1].caption(f"{md(summary.source_lang) or '?'} → {md(summary.target_lang)} · "
                f"{summary.body_segments} to review, {summary.residue_segments} web residue "
                "(dimmed, not scored)"
                + (f" · MT {md(summary.mt_system)}" if summary.mt_system else "")
                + " · ? for the keys")
st.session_state[PAGE_RUN] = True
try:
    workspace_fragment(workbench, actor, article_id, _number("segment"))
except ReviewError as exc:
    st.error(inert(exc))
    st.stop()
source_panel(workbench, actor, article_id)
