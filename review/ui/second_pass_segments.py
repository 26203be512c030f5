"""The second pass's per-segment view: the first reviewer's correction as a word diff, their
flags read-only, the second reviewer's own flags editable, and an edit of the correction.

Permissions stay in the services; this module only shows what they return and reports
their refusals. Every piece of segment or flag text is escaped before it reaches the page.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from review.accounts.permissions import Actor
from review.core.errors import ReviewError
from review.core.vocab import MQM_CATEGORIES, SEVERITIES
from review.services import Workbench
from review.services.second_pass import CorrectedSegment, SegmentFlag
from review.ui import state, widgets
from review.ui.markup import inert, md

KEY = "r2_seg"
PAGE_SIZE = 20
"""Corrections per screen: each carries forms, so a long article is shown a page at a time."""
STATUS_SHOWN = {"fixed": "needs approval"}
"""A corrected segment waits for an approval; an edit after approval brings it back here."""
REOPENED = "Segment {number} was approved; your edit returns it to needs approval."


def corrected_segments(workbench: Workbench, actor: Actor, article_id: int) -> None:
    """Each corrected segment with its diff and flags, in order."""
    st.subheader("First pass corrections")
    try:
        segments = workbench.second_pass.corrected_segments(actor, article_id)
    except ReviewError as exc:
        st.error(inert(exc))
        return
    if not segments:
        st.info("The first pass corrected no segment of this article.")
        return
    if len(segments) > PAGE_SIZE:
        pages = {i: f"segments {segments[i].number}–"
                    f"{segments[min(i + PAGE_SIZE, len(segments)) - 1].number}"
                 for i in range(0, len(segments), PAGE_SIZE)}
        first = st.selectbox("Corrections", list(pages), key=f"{KEY}_page_{article_id}",
                             format_func=pages.__getitem__)
        segments = segments[first:first + PAGE_SIZE]
    for seg in segments:
        _segment(workbench, actor, seg)


def _segment(workbench: Workbench, actor: Actor, seg: CorrectedSegment) -> None:
    with st.container(border=True, key=f"{KEY}_{seg.segment_id}"):
        st.markdown(f"**Segment {seg.number}** · {md(STATUS_SHOWN.get(seg.status, seg.status))}")
        widgets.diff_view(seg.mt, seg.current, label="First pass correction: MT → corrected")
        if seg.first_pass_flags:
            st.caption("First pass flags (read-only)")
            for flag in seg.first_pass_flags:
                st.markdown(f"- {_describe(flag)} by {md(flag.author)}"
                            + (f": {md(flag.note)}" if flag.note else ""))
        if seg.own_flags:
            st.caption("Your flags")
            for flag in seg.own_flags:
                st.markdown(f"- {_describe(flag)}")
                _own_flag(workbench, actor, seg, flag)
        _edit_text(workbench, actor, seg)


def _describe(flag: SegmentFlag) -> str:
    """Category and severity, and the flagged words where the flag has a span."""
    words = f" on “{md(flag.span)}”" if flag.span else ""
    return f"{md(flag.category)} ({md(flag.severity)}){words}"


def _own_flag(workbench: Workbench, actor: Actor, seg: CorrectedSegment,
              flag: SegmentFlag) -> None:
    key = f"{KEY}_flag_{flag.flag_id}"
    with st.form(key):
        cols = st.columns(3)
        category = cols[0].selectbox(
            "Category", MQM_CATEGORIES, key=f"{key}_category",
            index=MQM_CATEGORIES.index(flag.category) if flag.category in MQM_CATEGORIES
            else 0)
        severity = cols[1].selectbox(
            "Severity", SEVERITIES, key=f"{key}_severity",
            index=SEVERITIES.index(flag.severity) if flag.severity in SEVERITIES else 1)
        note = cols[2].text_input("Note", value=flag.note, key=f"{key}_note")
        if st.form_submit_button("Save flag"):
            _run(lambda: workbench.workspace.update_flag(
                actor, flag.flag_id, category=category, severity=severity, note=note),
                f"Flag on segment {seg.number} saved.")
    if st.button("Delete flag", key=f"{key}_delete", icon=":material/delete:"):
        _run(lambda: workbench.flags.delete_flag(actor, flag.flag_id),
             f"Flag on segment {seg.number} deleted.")


def _edit_text(workbench: Workbench, actor: Actor, seg: CorrectedSegment) -> None:
    key = f"{KEY}_text_{seg.segment_id}"
    with st.expander("Edit the correction"):
        with st.form(key):
            text = st.text_area("Corrected text", value=seg.current, key=f"{key}_area")
            if st.form_submit_button("Save text"):
                try:
                    saved = workbench.editing.save_segment(actor, seg.segment_id, text,
                                                           seg.version).row
                except ReviewError as exc:
                    st.error(inert(exc))
                    return
                reopened = seg.status == "approved" and saved.status != "approved"
                state.flash("success", REOPENED.format(number=seg.number) if reopened
                            else f"Segment {seg.number} saved.")
                st.rerun()


def _run(action: Callable[[], object], message: str) -> None:
    """Call a service; on success flash ``message`` and rerun, else show the refusal."""
    try:
        action()
    except ReviewError as exc:
        st.error(inert(exc))
    else:
        state.flash("success", message)
        st.rerun()
