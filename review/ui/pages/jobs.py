"""Jobs page: every recent job with its progress, cancel, result or error."""

from __future__ import annotations

import streamlit as st

from review.core.errors import ReviewError
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
if st.button("Run the QA checks again over every article", key=f"{KEY}_checks"):
    try:
        job = workbench.jobs.start_checks_job(actor)
        state.flash("success", f"QA checks job {job.id} started.")
    except ReviewError as exc:
        state.flash("error", str(exc))
    st.rerun()
jobs_panel(workbench, actor, key=KEY, limit=50)
