"""Second pass page: the second reviewer keeps, rejects or changes each first-pass flag,
checks each correction against the MT, edits their own flags and adds the flags the first
pass missed. Every decision is kept; the MQM follows them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from review.accounts.permissions import can
from review.core.errors import ReviewError
from review.core.vocab import CONTENT_KINDS, MQM_CATEGORIES, R2_OUTCOME_LABELS, SEVERITIES
from review.ui import state
from review.ui.markup import inert
from review.ui.resources import get_workbench
from review.ui.second_pass_segments import corrected_segments
from review.ui.session import require_actor

KEY = "r2"

workbench = get_workbench()
actor = require_actor(workbench)
st.title("Second pass")
state.show_flash()

if can(actor, "article.read_all"):
    articles = {a.id: f"{a.id} · {a.title}" for a in workbench.reading.summaries(actor)}
else:
    articles = {a.article_id: f"{a.article_id} · {a.article_title}"
                for a in workbench.assignments.my_queue(actor) if a.review_pass == 2}
if not articles:
    st.info("No second pass is assigned to you.")
    st.stop()
article_id = st.selectbox("Article", list(articles), format_func=articles.__getitem__,
                          key=f"{KEY}_article")
try:
    flags = workbench.second_pass.first_pass_flags(actor, article_id)
except ReviewError as exc:
    st.error(inert(exc))
    st.stop()

st.dataframe(pd.DataFrame([{
    "Segment": f.segment_number, "Span": f.text[f.start:f.end] if f.start is not None else "",
    "Category": f.category, "Severity": f.severity, "By": f.author,
    "Decision": R2_OUTCOME_LABELS.get(f.decision, "") if f.decision else "to decide",
} for f in flags]), hide_index=True, width="stretch", key=f"{KEY}_flags")

if flags:
    labels = {f.flag_id: f"segment {f.segment_number}: {f.category} ({f.severity})"
              for f in flags}
    chosen = st.selectbox("Flag", list(labels), format_func=labels.__getitem__, key=f"{KEY}_flag")
    flag = next(f for f in flags if f.flag_id == chosen)
    st.text(flag.text)
    cols = st.columns(3)
    for col, label, decision in ((cols[0], "Keep", "accept"), (cols[1], "Reject", "reject")):
        if col.button(label, key=f"{KEY}_{decision}"):
            try:
                workbench.second_pass.decide_flag(actor, chosen, decision)
            except ReviewError as exc:  # e.g. a lead's own flag: not theirs to judge
                st.error(inert(exc))
            else:
                st.rerun()
    with st.form(f"{KEY}_change_form"):  # keys per flag: each opens with its own values
        cols = st.columns(3)
        category = cols[0].selectbox("Category", MQM_CATEGORIES,
                                     index=MQM_CATEGORIES.index(flag.category)
                                     if flag.category in MQM_CATEGORIES else 0,
                                     key=f"{KEY}_category_{chosen}")
        severity = cols[1].selectbox("Severity", SEVERITIES,
                                     index=SEVERITIES.index(flag.severity)
                                     if flag.severity in SEVERITIES else 1,
                                     key=f"{KEY}_severity_{chosen}")
        span = cols[2].text_input("Span (empty: keep)", key=f"{KEY}_span_{chosen}")
        if st.form_submit_button("Change"):
            start = flag.text.find(span) if span else None
            try:
                if start is not None and start < 0:
                    raise ReviewError("that span does not occur in the text")
                workbench.second_pass.decide_flag(actor, chosen, "change", category=category,
                                      severity=severity, start=start,
                                      end=start + len(span) if start is not None else None)
                st.rerun()
            except ReviewError as exc:
                st.error(inert(exc))

corrected_segments(workbench, actor, article_id)

st.subheader("Add a flag the first pass missed")
rows = [r for r in workbench.reading.article(actor, article_id).rows if r.kind in CONTENT_KINDS]
numbers = {r.id: f"{r.position + 1}: {r.mt[:80]}" for r in rows}
with st.form(f"{KEY}_add_form", clear_on_submit=True):
    segment_id = st.selectbox("Segment", list(numbers), format_func=numbers.__getitem__,
                              key=f"{KEY}_add_segment")
    span = st.text_input("Span (copy it from the MT)", key=f"{KEY}_add_span")
    add_cols = st.columns(2)
    category = add_cols[0].selectbox("Category", MQM_CATEGORIES, key=f"{KEY}_add_category")
    severity = add_cols[1].selectbox("Severity", SEVERITIES, index=2, key=f"{KEY}_add_severity")
    if st.form_submit_button("Add flag"):
        mt = next(r.mt for r in rows if r.id == segment_id)
        start = mt.find(span) if span else None
        try:
            if start is not None and start < 0:
                raise ReviewError("that span does not occur in the MT")
            workbench.second_pass.add_missing_flag(actor, segment_id, category, severity,
                                                   start=start,
                                       end=start + len(span) if start is not None else None)
            state.flash("success", "Flag added.")
            st.rerun()
        except ReviewError as exc:
            st.error(inert(exc))

if can(actor, "dashboard.view"):
    scores = workbench.second_pass.pass_scores(actor, article_id)
    if scores.segments:
        st.caption(f"The team's MQM per segment: first pass {scores.r1_mqm:.2f}, now "
                   f"{scores.final_mqm:.2f}.")
