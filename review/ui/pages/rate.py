"""Queue page: a reviewer works through an assignment one item at a time, flagging errors
in the MT (and, on rating-only work, giving a 0-100 score) without correcting it. Items are
the assignment's segments with any attention checks among them, told apart by nothing."""

from __future__ import annotations

import streamlit as st

from review.core.errors import ReviewError
from review.core.vocab import (
    ESA_RANGE,
    MODE_LABELS,
    MQM_CATEGORIES,
    OMISSION_CATEGORY,
    SEVERITIES,
)
from review.ui import state
from review.ui.markup import inert
from review.ui.resources import get_workbench
from review.ui.session import require_actor

KEY = "queue"

workbench = get_workbench()
actor = require_actor(workbench)
st.title("My queue")
state.show_flash()

mine = workbench.assignments.my_queue(actor)
if not mine:
    st.info("Nothing is assigned to you yet.")
    st.stop()
labels = {a.id: f"{a.article_title} · {a.range_label}" for a in mine}
assignment_id = st.selectbox("Assignment", list(labels), format_func=labels.__getitem__,
                             key=f"{KEY}_assignment")
try:
    items = workbench.attention.review_queue(actor, assignment_id)
except ReviewError as exc:
    st.error(inert(exc))
    st.stop()
if not items:
    st.info("This assignment has no segments.")
    st.stop()
position_key = f"{KEY}_position_{assignment_id}"
if position_key not in st.session_state:  # resume at the first item not finished
    st.session_state[position_key] = next((i for i, it in enumerate(items) if not it.done),
                                          len(items) - 1)
index = min(int(st.session_state[position_key]), len(items) - 1)
item = items[index]
mode = next(a.mode for a in mine if a.id == assignment_id)
st.caption(f"Item {item.number} of {items[-1].number} · {MODE_LABELS.get(mode, mode)}")
if item.source:
    st.markdown("**Source**")
    st.text(item.source)
st.markdown("**Translation**")
st.text(item.text)

with st.form(f"{KEY}_flag_form", clear_on_submit=True):
    span = st.text_input("Error span (copy it from the translation)", key=f"{KEY}_span",
                         help="For an omission (Accuracy/Omission), the word right after "
                              "the gap: the flag marks the gap.")
    cols = st.columns(2)
    category = cols[0].selectbox("Category", MQM_CATEGORIES, key=f"{KEY}_category")
    severity = cols[1].selectbox("Severity", SEVERITIES, index=2, key=f"{KEY}_severity")
    note = st.text_input("Note", key=f"{KEY}_note")
    if st.form_submit_button("Add flag"):
        start = item.text.find(span) if span else -1
        if span and start < 0:
            st.error("That span does not occur in the translation; copy it exactly.")
        else:
            try:
                workbench.attention.flag_queue_item(
                    actor, assignment_id, item.ref, category, severity,
                    start=start if span else None,
                    end=(start if category == OMISSION_CATEGORY else start + len(span))
                    if span else None,
                    note=note)
                st.success("Flag added.")
            except ReviewError as exc:
                st.error(inert(exc))

score = None
if st.checkbox("Score this segment", key=f"{KEY}_scored_{item.ref}"):
    score = st.slider("Segment score (0: no meaning kept, 100: perfect)", *ESA_RANGE, 50,
                      key=f"{KEY}_score_{item.ref}")
cols = st.columns(2)
if cols[0].button("Previous", key=f"{KEY}_previous", disabled=index == 0):
    st.session_state[position_key] = index - 1
    st.rerun()
if cols[1].button("Next", key=f"{KEY}_next", type="primary"):
    try:
        if score is not None:
            workbench.attention.rate_queue_item(actor, assignment_id, item.ref, int(score))
        outcome = workbench.attention.finish_queue_item(actor, assignment_id, item.ref)
    except ReviewError as exc:
        st.error(inert(exc))
    else:
        if outcome is not None and outcome.retry:
            st.warning(outcome.message)
        else:
            if outcome is not None:
                state.flash("warning" if outcome.reveal else "success", outcome.message)
            st.session_state[position_key] = min(index + 1, len(items) - 1)
            st.rerun()
