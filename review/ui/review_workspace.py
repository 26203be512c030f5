"""The workspace part of the Review page: the component, and the details below it.

Drawn in an ``st.fragment``: a save, a flag or a merge reruns only this part. The browser
keeps the article's rows; after an event only the rows that changed are read and sent, as
a numbered patch, so a save costs the same on a 20-segment and a 5,000-segment article.
Filters and ordering run in the browser.
"""

from __future__ import annotations

import uuid

import streamlit as st

from review.accounts.permissions import Actor
from review.core.errors import ReviewError
from review.services import Workbench
from review.ui import workspace_events as events
from review.ui.components.workspace import DRAW_ALL_UP_TO, vocabulary, workspace
from review.ui.segment_details import segment_details

KEY = "review_ws"
PAGE_RUN = f"{KEY}_page_run"
"""Set by the page before it draws the fragment: a whole-page run (a source attached, an
article chosen) may follow changes made outside the workspace, so the data's version is
checked then; the fragment's own reruns know what their events changed."""
KEPT_PATCHES = 20
"""Patches kept for the browser: one rerun may carry several if events came quickly."""


def _sync_key(article_id: int) -> str:
    return f"{KEY}_sync_{article_id}"


def rows_for_browser(workbench: Workbench, actor: Actor, article_id: int,
                     outcome: events.Outcome, focus: int | None = None) -> dict:
    """All rows the first time (or when asked), else the patches the browser may lack.

    A long article's rows come whole only near ``focus`` (else the first to-do): the
    browser asks for the others as it draws them."""
    sync = st.session_state.get(_sync_key(article_id))
    if sync is None or outcome.everything:
        sync = {"epoch": uuid.uuid4().hex[:12], "seq": 0, "patches": [],
                "data_version": workbench.reading.data_version(actor, article_id)}
        st.session_state[_sync_key(article_id)] = sync
        return {**_public(sync), "full": workbench.workspace.workspace_rows(
            actor, article_id, suspect_up_to=DRAW_ALL_UP_TO, focus=focus)}
    if outcome.have >= 0:  # what the browser has applied is not sent again
        sync["patches"] = [p for p in sync["patches"] if p["seq"] > outcome.have]
    if outcome.changed:
        rows = workbench.workspace.workspace_rows(actor, article_id, ids=outcome.changed)
        sync["data_version"] = None  # unknown until the next page run reads it
        gone = sorted(outcome.changed - {r["id"] for r in rows})
        sync["seq"] += 1
        sync["patches"] = [*sync["patches"], {"seq": sync["seq"], "rows": rows,
                                               "gone": gone}][-KEPT_PATCHES:]
    return {**_public(sync), "full": None}


def _public(sync: dict) -> dict:
    return {"epoch": sync["epoch"], "seq": sync["seq"], "patches": sync["patches"]}


@st.fragment
def workspace_fragment(workbench: Workbench, actor: Actor, article_id: int,
                       focus: int | None = None) -> None:
    page_run = st.session_state.pop(PAGE_RUN, False)
    sync = st.session_state.get(_sync_key(article_id))
    if page_run and sync is not None:  # anything changed outside the workspace's events?
        version = workbench.reading.data_version(actor, article_id)
        stale = sync.get("data_version") != version
    outcome = events.process(workbench, actor)
    if page_run and sync is not None:
        outcome.everything = outcome.everything or stale
    data = rows_for_browser(workbench, actor, article_id, outcome, focus)
    if page_run:
        st.session_state[_sync_key(article_id)]["data_version"] = (
            workbench.reading.data_version(actor, article_id))
    key = f"{KEY}_{article_id}"
    workspace({"article_id": article_id, **data, "acks": outcome.acks, "focus": focus,
               "vocab": vocabulary(), "user": actor.name}, key=key,
              on_event=events.receive(key))
    detail_id = st.session_state.get(events.DETAIL)
    if detail_id is not None:
        try:
            segment_details(workbench, actor, article_id, detail_id)
        except ReviewError:  # a merged-away segment has no details to show
            st.session_state.pop(events.DETAIL, None)
