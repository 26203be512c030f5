"""Attach the original-language article to a source-less one, check the alignment, store it.

The sentences are paired with the segments by length (the floor); the reviewer fixes any
pairing in the grid before anything is stored.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from review.accounts.permissions import Actor
from review.core.errors import ReviewError
from review.services import Workbench

KEY = "review_source"
MAX_UPLOAD_BYTES = 5_000_000


def source_panel(workbench: Workbench, actor: Actor, article_id: int) -> None:
    with st.expander("Attach the source", icon=":material/translate:"):
        st.caption("Paste or upload the original-language article. Its sentences are paired "
                   "with the segments by length; correct any pairing in the table, then save.")
        cols = st.columns([4, 1])
        pasted = cols[0].text_area("Original article", key=f"{KEY}_text_{article_id}",
                                   height=120)
        lang = cols[1].text_input("Source language", value="zh", key=f"{KEY}_lang")
        upload = cols[1].file_uploader("or a .txt file", type=["txt"], key=f"{KEY}_file")
        if st.button("Align", key=f"{KEY}_align", icon=":material/join:"):
            text = pasted
            if upload is not None:
                data = upload.getvalue()[:MAX_UPLOAD_BYTES]
                text = data.decode("utf-8", errors="replace")
            try:
                made = workbench.segments.propose_source(actor, article_id, text, lang)
                st.session_state[f"{KEY}_proposal_{article_id}"] = made
            except ReviewError as exc:
                st.error(str(exc))
        kind, message = st.session_state.pop(f"{KEY}_msg", (None, None))
        if kind == "success":
            st.success(message)
        elif kind == "error":
            st.error(message)
        proposal = st.session_state.get(f"{KEY}_proposal_{article_id}")
        if not proposal:
            return
        frame = pd.DataFrame({"#": [p["position"] + 1 for p in proposal],
                              "MT": [p["mt"] for p in proposal],
                              "Source": [p["source"] for p in proposal]})
        edited = st.data_editor(frame, key=f"{KEY}_grid_{article_id}", hide_index=True,
                                width="stretch", height=360, disabled=["#", "MT"],
                                column_config={"#": st.column_config.NumberColumn(width="small"),
                                               "MT": st.column_config.TextColumn(width="large"),
                                               "Source": st.column_config.TextColumn(
                                                   width="large", help="double-click to fix")})
        st.button("Save the alignment", key=f"{KEY}_save", type="primary",
                  icon=":material/save:", on_click=_store,
                  args=(workbench, actor, article_id, proposal, edited, lang))


def _store(workbench: Workbench, actor: Actor, article_id: int, proposal: list[dict],
           edited: pd.DataFrame, lang: str) -> None:
    """A button callback, so the workspace drawn above in this run already shows the source."""
    sources = {p["id"]: str(edited["Source"].iloc[i] or "") for i, p in enumerate(proposal)}
    try:
        changed = workbench.segments.set_sources(actor, article_id, sources, lang)
    except ReviewError as exc:
        st.session_state[f"{KEY}_msg"] = ("error", str(exc))
    else:
        st.session_state.pop(f"{KEY}_proposal_{article_id}", None)
        st.session_state[f"{KEY}_msg"] = ("success", f"Stored the source of {changed} "
                                                     "segment(s).")
