"""Jobs page: every recent job with its progress, cancel, result or error."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from review.core.errors import ReviewError
from review.jobs.records import JobView
from review.ui import state
from review.ui.jobs_panel import jobs_panel
from review.ui.resources import get_workbench
from review.ui.session import require_actor

KEY = "jobs"

workbench = get_workbench()
actor = require_actor(workbench)
st.title("Jobs")
state.show_flash()
st.caption("Long work runs in a worker: it goes on when this tab closes, and shows here again "
           "after a reload.")


def start(what: str, begin: Callable[[], JobView]) -> None:
    try:
        job = begin()
        state.flash("success", f"{what} job {job.id} started.")
    except ReviewError as exc:
        state.flash("error", str(exc))
    st.rerun()


articles = {a.id: a.title for a in workbench.reading.summaries(actor)}
chosen = st.multiselect("Articles", list(articles), format_func=lambda i: f"{i}: {articles[i]}",
                        key=f"{KEY}_articles", placeholder="every article")
cols = st.columns([1, 1, 2])
if cols[0].button("Score against the corrected text", key=f"{KEY}_score"):
    start("Scoring", lambda: workbench.jobs.start_scoring_job(actor, chosen or list(articles)))
if cols[1].button("Run the QA checks again", key=f"{KEY}_checks"):
    start("QA checks", lambda: workbench.jobs.start_checks_job(actor, chosen or None))
jobs_panel(workbench, actor, key=KEY, limit=50)
