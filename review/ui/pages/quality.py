"""Quality page (leads): attention checks and catch rates, second passes and R1/R2
agreement, quality profiles and verdicts, effort per reviewer."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from review.errors import ReviewError
from review.permissions import can
from review.ui import state
from review.ui.markup import inert, md
from review.ui.resources import get_workbench
from review.ui.session import require_actor
from review.vocab import CHECK_MODES, CORRUPTION_LABELS, MAX_CHECK_RATE, MQM_CATEGORIES

KEY = "quality"

workbench = get_workbench()
actor = require_actor(workbench)
st.title("Quality control")
state.show_flash()
if not can(actor, "dashboard.view"):
    st.warning("Only leads and admins see quality control.")
    st.stop()

checks_tab, second_tab, verdict_tab, effort_tab = st.tabs(
    ["Attention checks", "Second pass", "Verdicts", "Effort"])

with checks_tab:
    assignments = [a for a in workbench.assignments(actor)]
    labels = {a.id: f"{a.user_name} · {a.article_id} {a.article_title} · {a.range_label}"
              for a in assignments}
    if labels:
        chosen = st.selectbox("Assignment", list(labels), format_func=labels.get,
                              key=f"{KEY}_assignment")
        cols = st.columns(2)
        rate = cols[0].slider("Share of segments (%)", 0, int(MAX_CHECK_RATE * 100), 5,
                              key=f"{KEY}_rate")
        mode = cols[1].radio("Mode", CHECK_MODES, horizontal=True, key=f"{KEY}_mode",
                             help="Loud tells the reviewer at once and asks for a retry; "
                                  "silent only records the result.")
        if st.button("Set attention checks", key=f"{KEY}_set_checks"):
            try:
                made = workbench.set_attention_checks(actor, chosen, rate / 100, mode)
                st.success(f"{len(made)} check(s) in this assignment.")
            except ReviewError as exc:
                st.error(inert(exc))
        checks = workbench.attention_checks(actor, chosen)
        if checks:
            st.dataframe(pd.DataFrame([{
                "Segment": c.segment_number, "Error": CORRUPTION_LABELS[c.kind],
                "Injected text": c.span_text, "Result": c.result,
                "Caught on retry": c.retry_passed} for c in checks]),
                hide_index=True, width="stretch", key=f"{KEY}_checks")
    else:
        st.info("Assign an article first (Library or Team page).")
    rates = workbench.catch_rates(actor)
    st.subheader("Catch rate per reviewer")
    if rates:
        st.dataframe(pd.DataFrame([{
            "Reviewer": r.reviewer, "Checks": r.checks, "Caught": r.caught,
            "Catch rate": f"{r.rate:.0%}",
            "95% interval": f"{r.low:.0%}–{r.high:.0%}"} for r in rates]),
            hide_index=True, width="stretch", key=f"{KEY}_rates")
    else:
        st.caption("No attention check answered yet.")

with second_tab:
    articles = {a.id: f"{a.id} · {a.title}" for a in workbench.summaries(actor)}
    reviewers = [u.name for u in workbench.assignable_users(actor)]
    cols = st.columns(2)
    article = cols[0].selectbox("Reviewed article", list(articles), format_func=articles.get,
                                key=f"{KEY}_r2_article")
    second = cols[1].selectbox("Second reviewer", reviewers, key=f"{KEY}_r2_user")
    if st.button("Assign second pass", key=f"{KEY}_r2_assign",
                 disabled=article is None or second is None):
        try:
            workbench.assign_second_pass(actor, article, second)
            st.success(f"{md(second)} reviews the first pass of article {article}.")
        except ReviewError as exc:
            st.error(inert(exc))
    if article is not None:
        scores = workbench.pass_scores(actor, article)
        st.markdown(f"MQM per segment: first pass **{scores.r1_mqm:.2f}**, after the second "
                    f"pass **{scores.final_mqm:.2f}** (per 1,000 words: "
                    f"{scores.r1_per_1000:.1f} → {scores.final_per_1000:.1f}).")
    agreement = workbench.second_pass_agreement(actor)
    for title, table in (("R1 vs R2 by category", agreement.by_category),
                         ("R1 vs R2 by first reviewer", agreement.by_reviewer)):
        st.subheader(title)
        if table.empty:
            st.caption("No second-pass decision yet.")
        else:
            st.dataframe(table.rename(columns=str.capitalize), hide_index=True,
                         width="stretch", key=f"{KEY}_{title}")

with verdict_tab:
    with st.form(f"{KEY}_profile"):
        cols = st.columns(2)
        name = cols[0].text_input("Profile name", value="default", key=f"{KEY}_pname")
        limit = cols[1].number_input("Max penalty per 1,000 words", 0.0, 10_000.0, 10.0,
                                     key=f"{KEY}_plimit")
        tops = sorted({c.split("/")[0] for c in MQM_CATEGORIES})
        limited = st.multiselect("Limit these categories too", tops, key=f"{KEY}_pcats")
        per_cat = st.number_input("Max per 1,000 words for each of them", 0.0, 10_000.0, 5.0,
                                  key=f"{KEY}_pcatlimit")
        if st.form_submit_button("Save profile"):
            try:
                workbench.set_quality_profile(actor, name, limit,
                                              {c: per_cat for c in limited})
                st.success(f"Saved the profile {md(name)}; it is now the default.")
            except ReviewError as exc:
                st.error(inert(exc))
    verdicts = workbench.verdicts(actor)
    if verdicts:
        st.dataframe(pd.DataFrame([{
            "Article": v.article_id, "Verdict": v.label, "Per 1,000 words": v.per_1000,
            "Words": v.words, "Reason": v.reason} for v in verdicts]),
            hide_index=True, width="stretch", key=f"{KEY}_verdicts")
    else:
        st.caption("Define a quality profile to see a verdict per article.")

with effort_tab:
    cols = st.columns(2)
    fast = cols[0].number_input("Faster than (s/word) is a skim", 0.0, 10.0, 0.5,
                                key=f"{KEY}_fast")
    slow = cols[1].number_input("Slower than (s/word) is a break", 1.0, 600.0, 25.0,
                                key=f"{KEY}_slow")
    if st.button("Save thresholds", key=f"{KEY}_bounds"):
        try:
            workbench.set_effort_bounds(actor, fast, slow)
        except ReviewError as exc:
            st.error(inert(exc))
    effort = workbench.effort_report(actor)
    if effort.empty:
        st.caption("No timed edit yet.")
    else:
        st.dataframe(effort.rename(columns={
            "reviewer": "Reviewer", "segments": "Segments timed", "excluded": "Left out",
            "seconds": "Seconds", "words": "Words", "seconds_per_segment": "s / segment",
            "words_per_hour": "Words / hour"}), hide_index=True, width="stretch",
            key=f"{KEY}_effort")
