"""Review page: read MT next to retranslations, fix segments, flag errors, approve."""

from __future__ import annotations

import streamlit as st

from review.errors import ConflictError, ReviewError
from review.services.views import SegmentRow
from review.ui import state, team_widgets, widgets
from review.ui.resources import article_scores, article_view, get_workbench
from review.ui.session import require_actor
from review.ui.widgets import md
from review.vocab import RESIDUE_KINDS, SEGMENT_KINDS, SEGMENT_STATUSES

KEY = "review"

bench = get_workbench()
actor = require_actor(bench)
st.title("Review")
state.show_flash()
team_widgets.my_queue_panel(bench, actor)

articles = bench.summaries(actor)
if not articles:
    st.info("No article to review yet. Import one on the Library page"
            + (" or ask a lead to assign one to you." if actor.role == "reviewer" else "."))
    st.stop()

ids = [a.id for a in articles]
titles = {a.id: f"{a.id} · {a.title}" for a in articles}
chosen = state.article_id() if state.article_id() in ids else ids[0]
article_id = st.selectbox("Article", ids, index=ids.index(chosen), format_func=titles.get,
                          key=f"{KEY}_article")
state.set_article_id(article_id)

try:
    view = article_view(bench, actor, article_id, bench.data_version(actor, article_id))
except ReviewError as exc:
    st.error(str(exc))
    st.stop()
summary = view.summary
st.caption(f"{summary.source_lang or 'unknown source language'} → {summary.target_lang} · "
           f"{summary.body_segments} segments to review, {summary.residue_segments} web residue "
           f"(dimmed, left out of scores and exports) · status {summary.status}"
           + (f" · MT system {summary.mt_system}" if summary.mt_system else ""))
done = summary.by_status.get("approved", 0)
st.progress(done / summary.body_segments if summary.body_segments else 0.0,
            text=f"{done} of {summary.body_segments} approved")

cols = st.columns([2, 2, 1])
statuses = cols[0].multiselect("Status", SEGMENT_STATUSES, key=f"{KEY}_status_filter")
kinds = cols[1].multiselect("Kind", SEGMENT_KINDS, key=f"{KEY}_kind_filter")
order = cols[2].selectbox("Order", ["Position", "Risk (worst first)"], key=f"{KEY}_order")

rows: list[SegmentRow] = [r for r in view.rows
                          if (not statuses or r.status in statuses)
                          and (not kinds or r.kind in kinds)]
if order.startswith("Risk"):
    ranked_key = f"{KEY}_ranked_by_{article_id}"
    if ranked_key not in st.session_state or any(
            r.risk is None for r in rows if r.kind not in RESIDUE_KINDS):
        with st.spinner("Ranking segments by review risk…"):
            ranking = bench.risk_ranking(actor, article_id)
        risks = {r["segment_id"]: r["risk"] for r in ranking}
        for r in rows:
            r.risk = risks.get(r.id, r.risk)
        st.session_state[ranked_key] = ((ranking[0]["ranked_by"], ranking[0]["ranking_note"])
                                        if ranking else ("", ""))
    ranked_by, ranking_note = st.session_state[ranked_key]
    if ranked_by:
        st.caption(f"Worst first, {ranked_by} (expected errors per word read; web residue "
                   "and captions last).")
    if ranking_note:
        st.warning(ranking_note)
    rows.sort(key=lambda r: (r.kind in RESIDUE_KINDS, -(r.risk or 0.0), r.position))

if not rows:
    st.info("No segment matches the filters.")
    st.stop()

grid_generation = st.session_state.get(f"{KEY}_grid_generation", 0)
grid_key = f"{KEY}_grid_{article_id}_{grid_generation}"
# What the grid showed when the reviewer edited it: which row each line was, at which version.
shown_key = f"{grid_key}_shown"
shown = st.session_state.get(shown_key) or [(r.id, r.version) for r in rows]
edits = widgets.segment_grid(rows, grid_key)
st.session_state[shown_key] = [(r.id, r.version) for r in rows]
by_id = {r.id: r for r in rows}
for index, change in sorted(edits.items()):
    row_id, expected = shown[int(index)]
    row = by_id.get(row_id)
    text = change.get("Corrected")
    if row is None or text is None or text == row.current:
        continue
    try:
        bench.save_segment(actor, row.id, text, expected, 0.0)
        state.flash("success", f"Saved segment {row.position + 1}.")
    except ConflictError as exc:
        state.flash("error", str(exc))
    except ReviewError as exc:
        state.flash("error", f"Segment {row.position + 1}: {exc}")
    # a new key gives a fresh grid: the old one would send its edits again
    st.session_state[f"{KEY}_grid_generation"] = grid_generation + 1
    st.rerun()

labels = {r.id: f"{r.position + 1} · {r.kind} · {r.current[:70]}" for r in rows}
row_ids = [r.id for r in rows]
first_content = next((r.id for r in rows if r.kind not in RESIDUE_KINDS), row_ids[0])
current = state.segment_id() if state.segment_id() in row_ids else first_content
segment_id = st.selectbox("Segment", row_ids, index=row_ids.index(current),
                          format_func=labels.get, key=f"{KEY}_segment")
state.set_segment_id(segment_id)

detail = bench.segment(actor, segment_id)
row = detail.row
st.subheader(f"Segment {row.position + 1}")
if row.kind in RESIDUE_KINDS:
    st.caption(f"Marked as {row.kind}: web residue, left out of scores and the default export.")

left, right = st.columns(2)
with left:
    if row.source:
        widgets.text_with_flags(row.source, [f for f in detail.flags if f.span_in == "source"],
                                label=f"Source ({detail.source_lang})")
    widgets.text_with_flags(row.mt, [f for f in detail.flags if f.target == "mt"],
                            label="Machine translation")
    for cand in detail.candidates[:4]:
        widgets.diff_view(row.mt, cand.text, label=f"{cand.system} ({cand.kind}) vs MT")
with right:
    conflict = st.session_state.get(state.CONFLICT)
    if conflict and conflict.get("segment_id") == row.id:
        st.error(conflict["message"])
        st.caption(f"Their version ({conflict['theirs_author']}):")
        st.code(conflict["theirs_text"], language=None, wrap_lines=True)
        st.caption("Your text is kept in the box below: keep yours (save again), take theirs, "
                   "or merge by hand.")
        if st.button("Take theirs", key=f"{KEY}_take_theirs"):
            st.session_state.pop(state.CONFLICT, None)
            st.session_state.pop(f"{KEY}_text_{row.id}", None)
            st.rerun()
    if st.session_state.pop(f"{KEY}_reset_text", None) == row.id:
        st.session_state[f"{KEY}_text_{row.id}"] = row.current  # show what was restored
    # The version the reviewer's draft started from: a save checks against it, so an edit
    # somebody else saved in the meantime is never silently overwritten.
    base_key = f"{KEY}_base_{row.id}"
    draft = st.session_state.get(f"{KEY}_text_{row.id}")
    if draft is None or draft == row.current or base_key not in st.session_state:
        st.session_state[base_key] = row.version
    text = st.text_area("Corrected text", value=row.current, key=f"{KEY}_text_{row.id}",
                        height=150)
    b1, b2, b3 = st.columns(3)
    if b1.button("Save", key=f"{KEY}_save", type="primary"):
        expected = st.session_state[base_key]
        if conflict and conflict.get("segment_id") == row.id:
            expected = conflict["theirs_version"]  # the reviewer chose to keep theirs/merge
        try:
            bench.save_segment(actor, row.id, text, expected, state.seconds_on_segment())
            st.session_state.pop(state.CONFLICT, None)
            state.restart_edit_clock()
            state.flash("success", f"Saved segment {row.position + 1}.")
        except ConflictError as exc:
            st.session_state[state.CONFLICT] = {
                "segment_id": row.id, "message": str(exc), "theirs_text": exc.theirs_text,
                "theirs_version": exc.theirs_version, "theirs_author": exc.theirs_author}
        except ReviewError as exc:
            state.flash("error", str(exc))
        st.rerun()
    if b2.button("Approve", key=f"{KEY}_approve", disabled=row.status == "approved"):
        try:
            bench.set_status(actor, row.id, "approved", row.version)
            state.flash("success", f"Approved segment {row.position + 1}.")
        except ReviewError as exc:
            state.flash("error", str(exc))
        st.rerun()
    if b3.button("Back to to-do", key=f"{KEY}_reopen", disabled=row.status == "todo"):
        try:
            bench.set_status(actor, row.id, "todo", row.version)
        except ReviewError as exc:
            state.flash("error", str(exc))
        st.rerun()
    st.caption(f"Status: {row.status} · version {row.version}"
               + (f" · last saved by {row.updated_by}" if row.updated_by else ""))
    widgets.diff_view(row.mt, row.current, label="Changes: MT → corrected")

if row.kind not in RESIDUE_KINDS:
    scores = None
    try:
        scores = article_scores(bench, actor, article_id, bench.data_version(actor, article_id))
    except ReviewError as exc:
        st.warning(str(exc))
    detail = bench.segment(actor, segment_id)
    widgets.scores_view(detail, scores)

tab_flags, tab_history = st.tabs(["Flags", "History"])
with tab_flags:
    visible = [f for f in detail.flags if f.category != "No-error"]
    if not visible:
        st.caption("No flags on this segment.")
    for flag in visible:
        cols = st.columns([6, 1, 1])
        if flag.span_in == "source":
            flagged_text = row.source
        elif flag.span_in == "corrected":
            flagged_text = row.current
        elif flag.target == "mt":
            flagged_text = row.mt
        else:
            flagged_text = next((c.text for c in detail.candidates if c.system == flag.target),
                                "")
        span = flag.span_text(flagged_text)
        origin = f"suggested by {flag.check_name}" if flag.origin == "check" else flag.author
        on = "corrected text" if flag.span_in == "corrected" else flag.target
        cols[0].markdown(f"**{flag.severity}** · {md(flag.category)} · on {md(on)} · "
                         f"{flag.state} · {md(origin)}")
        detail_text = (f"“{span}” — " if span else "") + (flag.note or "")
        if detail_text:
            cols[0].text(detail_text)
        if flag.state != "confirmed" and cols[1].button("Confirm", key=f"{KEY}_confirm_{flag.id}"):
            bench.set_flag_state(actor, flag.id, "confirmed")
            st.rerun()
        if flag.state != "dismissed" and cols[2].button("Dismiss", key=f"{KEY}_dismiss_{flag.id}"):
            bench.set_flag_state(actor, flag.id, "dismissed")
            st.rerun()
    submitted = widgets.flag_form(f"{KEY}_flag", detail)
    if submitted:
        try:
            bench.add_flag(actor, row.id, submitted["category"], submitted["severity"],
                           span=submitted["span"], note=submitted["note"],
                           target=submitted["target"])
            state.flash("success", "Flag added.")
        except ReviewError as exc:
            state.flash("error", str(exc))
        st.rerun()
with tab_history:
    st.caption("Original MT:")
    st.text(row.mt)
    if st.button("Restore the original MT", key=f"{KEY}_restore_mt",
                 disabled=row.current == row.mt):
        bench.restore_revision(actor, row.id, None, row.version)
        st.session_state[f"{KEY}_reset_text"] = row.id
        state.flash("success", "Restored the original MT.")
        st.rerun()
    for rev in detail.revisions:
        cols = st.columns([6, 1])
        cols[0].markdown(f"**v{rev.version}** · {rev.action} by {md(rev.author)} · "
                         f"{rev.created_at:%Y-%m-%d %H:%M} UTC · {rev.seconds_spent:.0f} s")
        cols[0].text(rev.text)
        if rev.text != row.current and cols[1].button("Restore", key=f"{KEY}_restore_{rev.id}"):
            bench.restore_revision(actor, row.id, rev.id, row.version)
            st.session_state[f"{KEY}_reset_text"] = row.id
            state.flash("success", f"Restored version {rev.version}.")
            st.rerun()
    team_widgets.audit_panel(bench, actor, article_id, row.id)
