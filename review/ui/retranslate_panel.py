"""The Library page's retranslation controls: mode, models, a progress bar, a clear error."""

from __future__ import annotations

import streamlit as st

from review.accounts.permissions import Actor
from review.core.errors import ReviewError
from review.core.vocab import RETRANSLATION_MODES
from review.services import Workbench
from review.ui import state
from review.ui.markup import inert
from review.ui.resources import translator

KEY = "retranslate"
MODE_HELP = {
    "roundtrip": "round trip: target → source language → target (no source text needed)",
    "source": "from the source text",
    "ape": "rewrite the MT with a text-to-text model",
}


def retranslation_panel(workbench: Workbench, actor: Actor, article_id: int) -> None:
    summary = workbench.reading.summaries(actor, [article_id])[0]
    src, tgt = summary.source_lang, summary.target_lang
    with st.expander("Retranslate with a model"):
        mode = st.radio("Mode", RETRANSLATION_MODES, index=RETRANSLATION_MODES.index("roundtrip"),
                        horizontal=True,
                        format_func=MODE_HELP.get, key=f"{KEY}_mode")
        try:
            default_forward, default_back = workbench.retranslation.default_models(actor,
                                                                                   article_id, mode)
        except ReviewError as exc:
            st.error(inert(exc))
            return
        direction = f"rewrite {tgt}" if mode == "ape" else f"{src or '?'}→{tgt}"
        forward_name = st.text_input(f"Model ({direction})",
                                     value=default_forward, key=f"{KEY}_model_{mode}",
                                     help="a hub id available offline, or a local folder")
        back_name = ""
        if mode == "roundtrip":
            back_name = st.text_input(f"Model ({tgt}→{src or '?'})",
                                      value=default_back,
                                      key=f"{KEY}_back_model")
        unavailable = workbench.jobs.jobs_unavailable(actor)
        if unavailable:
            st.warning(f"{unavailable}. Retranslating in this page instead: keep the tab open.")
        if not st.button("Retranslate", key=f"{KEY}_run", type="primary"):
            return
        if not unavailable:
            try:
                job = workbench.jobs.start_retranslation_job(
                    actor, [article_id], mode=mode, model=forward_name.strip() or None,
                    back_model=back_name.strip() or None)
            except ReviewError as exc:
                st.error(str(exc))
                return
            state.flash("success", f"Retranslation job {job.id} started: it runs on even if "
                        "you close the tab; follow it under Jobs.")
            st.rerun()
        _retranslate_here(workbench, actor, article_id, mode, forward_name, back_name)


def _retranslate_here(workbench: Workbench, actor: Actor, article_id: int, mode: str,
                      forward_name: str, back_name: str) -> None:
    """The page runs the retranslation itself when no job queue can be reached."""
    bar = st.progress(0.0, text="loading the model…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0,
                     text=f"{done} / {total} segments retranslated")

    try:
        forward = translator(forward_name.strip())
        backward = translator(back_name.strip()) if mode == "roundtrip" else None
        report = workbench.retranslation.retranslate(actor, article_id, mode=mode, forward=forward,
                                       backward=backward, progress=progress)
    except ReviewError as exc:
        bar.empty()
        st.error(str(exc))
        return
    note = (f" {len(report.truncated)} segments were too long and were truncated."
            if report.truncated else "")
    state.flash("success", f"{report.stored} segments retranslated by {report.system} "
                f"({report.model_calls} model calls, {report.cache_hits} from the cache)."
                + note)
    st.rerun()
