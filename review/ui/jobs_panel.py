"""The Jobs panel: recent jobs with progress, cancel, and the result or error, refreshed
every couple of seconds in a fragment so the rest of the page does not rerun. Jobs live in
the database, so the panel shows them again after a reload or in another tab."""

from __future__ import annotations

import streamlit as st

from review.accounts.permissions import Actor
from review.core.errors import ReviewError
from review.jobs.records import JobView
from review.services import Workbench

POLL_SECONDS = 2.0
ACTIVE = ("queued", "running")
KIND_LABELS = {"retranslate": "Retranslation", "score": "Scoring", "checks": "QA checks",
               "import": "Import", "models.pull": "Model download"}
STATE_ICONS = {"queued": ":material/schedule:", "running": ":material/autorenew:",
               "done": ":material/check_circle:", "failed": ":material/error:",
               "cancelled": ":material/cancel:"}


def _what(job: JobView) -> str:
    args = job.arguments
    if args.get("article_ids"):
        ids = args["article_ids"]
        return f"article{'s' if len(ids) > 1 else ''} {', '.join(map(str, ids[:8]))}"
    return args.get("filename") or args.get("name") or ""


def result_text(job: JobView) -> str:
    """One line that says what a finished job did."""
    result = job.result or {}
    if job.kind == "retranslate":
        systems = sorted({a["system"] for a in result.get("articles", [])})
        return f"{result.get('segments', 0)} segments retranslated by {', '.join(systems)}"
    if job.kind == "score":
        return f"{len(result.get('corpus', {}))} article(s) scored"
    if job.kind == "checks":
        return (f"{result.get('suggestions', 0)} suggestions over "
                f"{result.get('articles', 0)} articles")
    if job.kind == "import":
        return (f"{len(result.get('articles', []))} article(s), {result.get('segments', 0)} "
                "segments imported")
    if job.kind == "models.pull":
        return f"{result.get('bytes', 0) / 1e6:.1f} MB in {result.get('path', '')}"
    return ""


def _show(workbench: Workbench, actor: Actor, job: JobView, key: str) -> None:
    title = f"{STATE_ICONS.get(job.state, '')} **{KIND_LABELS.get(job.kind, job.kind)}** " \
            f"#{job.id} · {_what(job)} · {job.state} · by {job.created_by}"
    with st.container(border=True, key=f"{key}_job_{job.id}"):
        st.markdown(title)
        if job.state in ACTIVE:
            cols = st.columns([5, 1])
            text = job.message or job.state
            if job.cancel_requested:
                text = "stopping at the next step…"
            cols[0].progress(job.fraction, text=text)
            if cols[1].button("Cancel", key=f"{key}_cancel_{job.id}",
                              disabled=job.cancel_requested):
                try:
                    st.toast(workbench.jobs.cancel_job(actor, job.id))
                except ReviewError as exc:
                    st.error(str(exc))
                st.rerun(scope="fragment")
        elif job.state == "done":
            st.success(result_text(job))
        else:
            if job.state == "failed":
                st.error(job.error or "failed")
            else:
                st.info(job.message or "cancelled")
            if st.button("Retry", key=f"{key}_retry_{job.id}", icon=":material/replay:"):
                try:
                    st.toast(f"Started again as job {workbench.jobs.retry_job(actor, job.id).id}.")
                except ReviewError as exc:
                    st.error(str(exc))
                st.rerun()


def jobs_panel(workbench: Workbench, actor: Actor, *, key: str, limit: int = 10) -> None:
    """Recent jobs, refreshed in place while any of them is queued or running; when one of
    those ends, the whole page reruns so what it changed shows."""
    unavailable = workbench.jobs.jobs_unavailable(actor)
    if unavailable:
        st.warning(unavailable)
    watched = {j.id for j in workbench.jobs.jobs(actor, limit=limit) if j.state in ACTIVE}

    @st.fragment(run_every=POLL_SECONDS if watched else None)
    def refresh() -> None:
        jobs = workbench.jobs.jobs(actor, limit=limit)
        if watched and not watched & {j.id for j in jobs if j.state in ACTIVE}:
            st.rerun()
        if not jobs:
            st.caption("No jobs yet. Retranslation, scoring and big imports run here.")
            return
        for job in jobs:
            _show(workbench, actor, job, key)

    refresh()
