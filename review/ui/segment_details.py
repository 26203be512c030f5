"""History, scores and audit trail of one segment, shown under the workspace on request."""

from __future__ import annotations

import streamlit as st

from review.accounts.permissions import Actor, can
from review.core.errors import ReviewError
from review.core.vocab import RESIDUE_KINDS
from review.services import Workbench
from review.ui import team_widgets, widgets, workspace_events
from review.ui.resources import article_scores
from review.ui.widgets import md

KEY = "review_detail"


def segment_details(workbench: Workbench, actor: Actor, article_id: int, segment_id: int) -> None:
    detail = workbench.reading.segment(actor, segment_id)
    row = detail.row
    st.subheader(f"Segment {row.position + 1}: history and scores")
    others = workbench.team.heartbeat(actor, segment_id)  # presence: who else has it open
    if others:
        st.info(f"{', '.join(others)} {'is' if len(others) == 1 else 'are'} editing this "
                "segment too.", icon=":material/group:")
    kind, message = st.session_state.pop(f"{KEY}_msg", (None, None))
    if kind == "success":
        st.success(message)
    elif kind == "error":
        st.error(message)
    if row.kind not in RESIDUE_KINDS:
        scores = None
        try:
            scores = article_scores(workbench, actor, article_id,
                                    workbench.reading.data_version(actor, article_id))
        except ReviewError as exc:
            st.warning(str(exc))
        widgets.scores_view(detail, scores)
    widgets.diff_view(row.mt, row.current, label="Changes: MT → corrected")
    audit = can(actor, "audit.view")
    tabs = st.tabs(["History", "Audit trail"] if audit else ["History"])
    tab_history = tabs[0]
    with tab_history:
        st.caption("Original MT:")
        st.text(row.mt)
        st.button("Restore the original MT", key=f"{KEY}_restore_mt", icon=":material/undo:",
                  disabled=row.current == row.mt, on_click=_restore,
                  args=(workbench, actor, row.id, None, row.version, "Restored the original MT."))
        for rev in detail.revisions:
            cols = st.columns([6, 1])
            cols[0].markdown(f"**v{rev.version}** · {rev.action} by {md(rev.author)} · "
                             f"{rev.created_at:%Y-%m-%d %H:%M} UTC · {rev.seconds_spent:.0f} s")
            cols[0].text(rev.text)
            if rev.text != row.current:
                cols[1].button("Restore", key=f"{KEY}_restore_{rev.id}",
                               icon=":material/history:", on_click=_restore,
                               args=(workbench, actor, row.id, rev.id, row.version,
                                     f"Restored version {rev.version}."))
    if audit:
        with tabs[1]:
            team_widgets.audit_panel(workbench, actor, article_id, row.id)


def _restore(workbench: Workbench, actor: Actor, segment_id: int, revision_id: int | None,
             version: int, message: str) -> None:
    """A button callback: runs before the rerun that then shows the restored text."""
    try:
        workbench.editing.restore_revision(actor, segment_id, revision_id, version)
        workspace_events.touched(segment_id)
        st.session_state[f"{KEY}_msg"] = ("success", message)
    except ReviewError as exc:
        st.session_state[f"{KEY}_msg"] = ("error", str(exc))
