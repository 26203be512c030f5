"""The Admin page's model downloads: fetch the configured models ahead of the first
retranslation, as a job with progress (bytes and speed) in the jobs panel below."""

from __future__ import annotations

import os

import streamlit as st

from review.accounts.permissions import Actor
from review.core.errors import ReviewError
from review.core.settings import load_settings
from review.services import Workbench
from review.ui import state
from review.ui.jobs_panel import jobs_panel

KEY = "models"
COMMON_PAIRS = (("zh", "en"), ("en", "zh"))


def models_panel(workbench: Workbench, actor: Actor) -> None:
    st.header("Models")
    settings = load_settings()
    configured = sorted({settings.model_for(src, tgt) for src, tgt in COMMON_PAIRS})
    hub = os.environ.get("HF_ENDPOINT") or "https://huggingface.co"
    st.caption(f"Fetched from {hub} (set HF_ENDPOINT for a mirror) into this machine's hub "
               "cache. Configured: " + ", ".join(configured))
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on"):
        st.info("HF_HUB_OFFLINE is set: models load from folders or the cache only.")
    cols = st.columns([4, 1])
    name = cols[0].text_input("Model (hub id)", value=configured[0] if configured else "",
                              key=f"{KEY}_name")
    if cols[1].button("Fetch", key=f"{KEY}_pull", type="primary"):
        try:
            job = workbench.jobs.start_model_pull(actor, name)
            state.flash("success", f"Fetching {name.strip()} as job {job.id}.")
        except ReviewError as exc:
            state.flash("error", str(exc))
        st.rerun()
    jobs_panel(workbench, actor, key=KEY, limit=5)
