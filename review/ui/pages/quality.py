"""Quality page (leads): attention checks and catch rates, second passes and R1/R2
agreement, quality profiles and verdicts, effort per reviewer."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from review.accounts.permissions import can
from review.core.errors import ReviewError
from review.core.vocab import (
    ASSIGNMENT_MODE_LABELS,
    ASSIGNMENT_MODES,
    CHECK_MODES,
    CHECK_RESULT_LABELS,
    CORRUPTION_LABELS,
    MAX_CHECK_RATE,
    MQM_ANNOTATIONS,
    MQM_CATEGORIES,
)
from review.services.assignments import AssignmentView
from review.ui import state
from review.ui.markup import inert, md
from review.ui.resources import get_workbench
from review.ui.session import require_actor

KEY = "quality"
DEFAULT_RATE = 5  # the share (%) offered for an assignment without attention checks yet
ANNOTATION_LABELS = {"team": "The team's flags", "experts": "Imported experts' annotations",
                     "all": "The team's flags and imported experts' annotations"}
AGREEMENT_LABELS = {"flags": "R1 flags judged", "kept": "Kept", "changed": "Changed",
                    "rejected": "Rejected", "added": "Added by R2"}


def _check_settings(views: dict[int, AssignmentView]) -> None:
    """Put the chosen assignment's own rate and mode in the controls, not the last one's."""
    view = views[st.session_state[f"{KEY}_assignment"]]
    st.session_state[f"{KEY}_rate"] = round(view.check_rate * 100) or DEFAULT_RATE
    st.session_state[f"{KEY}_mode"] = view.check_mode


def _agreement_view(table: pd.DataFrame, group: str) -> pd.DataFrame:
    """The agreement counts with readable headers and the kept share as a percentage."""
    shown = table.rename(columns={"group": group, **AGREEMENT_LABELS})
    shown[group] = shown[group].replace({"all": "All"})
    shown["Kept unchanged"] = [
        "" if pd.isna(share) else f"{share:.0%}" for share in table["kept_share"]]
    return shown.drop(columns=["kept_share"])


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
    views = {a.id: a for a in workbench.assignments.assignments(actor)}
    labels = {a.id: f"{a.user_name} · {a.article_id} {a.article_title} · {a.range_label}"
              + (" · second pass" if a.review_pass == 2 else "") for a in views.values()}
    if labels:
        chosen = st.selectbox("Assignment", list(labels), format_func=labels.__getitem__,
                              key=f"{KEY}_assignment", on_change=_check_settings,
                              args=(views,))
        if f"{KEY}_rate" not in st.session_state:
            _check_settings(views)
        cols = st.columns(2)
        rate = cols[0].slider("Share of segments (%)", 0, int(MAX_CHECK_RATE * 100),
                              key=f"{KEY}_rate")
        mode = cols[1].radio("Mode", CHECK_MODES, horizontal=True, key=f"{KEY}_mode",
                             help="Loud tells the reviewer at once and asks for a retry; "
                                  "silent only records the result.")
        if st.button("Set attention checks", key=f"{KEY}_set_checks"):
            try:
                made = workbench.attention.set_attention_checks(actor, chosen, rate / 100, mode)
                st.success(f"{len(made)} check(s) in this assignment.")
            except ReviewError as exc:
                st.error(inert(exc))
        work = st.radio("Work", ASSIGNMENT_MODES, horizontal=True, key=f"{KEY}_work_{chosen}",
                        index=ASSIGNMENT_MODES.index(views[chosen].mode),
                        format_func=ASSIGNMENT_MODE_LABELS.__getitem__,
                        help="Rating: the reviewer flags the MT and may score it 0-100, "
                             "without correcting it.")
        if work != views[chosen].mode and st.button("Change the work", key=f"{KEY}_set_work"):
            try:
                workbench.ratings.set_assignment_mode(actor, chosen, work)
                state.flash("success", f"The assignment is now {ASSIGNMENT_MODE_LABELS[work]}.")
            except ReviewError as exc:
                state.flash("error", str(exc))
            st.rerun()
        checks = workbench.attention.attention_checks(actor, chosen)
        if checks:
            st.dataframe(pd.DataFrame([{
                "Segment": c.segment_number, "Error": CORRUPTION_LABELS[c.kind],
                "Injected text": c.span_text, "Result": CHECK_RESULT_LABELS.get(c.result, c.result),
                "Caught on retry": c.retry_passed} for c in checks]),
                hide_index=True, width="stretch", key=f"{KEY}_checks")
    else:
        st.info("Assign an article first (Library or Team page).")
    rates = workbench.attention.catch_rates(actor)
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
    articles = {a.id: f"{a.id} · {a.title}" for a in workbench.reading.summaries(actor)}
    reviewers = [u.name for u in workbench.accounts.assignable_users(actor)]
    cols = st.columns(2)
    article = cols[0].selectbox("Reviewed article", list(articles),
                                format_func=articles.__getitem__, key=f"{KEY}_r2_article")
    second = cols[1].selectbox("Second reviewer", reviewers, key=f"{KEY}_r2_user")
    if st.button("Assign second pass", key=f"{KEY}_r2_assign",
                 disabled=article is None or second is None):
        try:
            workbench.second_pass.assign_second_pass(actor, article, second)
            st.success(f"{md(second)} reviews the first pass of article {article}.")
        except ReviewError as exc:
            st.error(inert(exc))
    if article is not None:
        scores = workbench.second_pass.pass_scores(actor, article)
        if scores.segments:
            st.markdown(f"The team's MQM per segment: first pass **{scores.r1_mqm:.2f}**, "
                        f"after the second pass **{scores.final_mqm:.2f}** (per 1,000 words: "
                        f"{scores.r1_per_1000:.1f} → {scores.final_per_1000:.1f}).")
        else:
            st.caption("Nobody on the team has reviewed this article yet: no MQM to show.")
    agreement = workbench.second_pass.second_pass_agreement(actor)
    for title, table, group in (
            ("R1 vs R2 by category", agreement.by_category, "Category"),
            ("R1 vs R2 by first reviewer", agreement.by_reviewer, "First reviewer")):
        st.subheader(title)
        if table.empty:
            st.caption("No second-pass decision yet.")
        else:
            st.dataframe(_agreement_view(table, group), hide_index=True, width="stretch",
                         key=f"{KEY}_{title}")

with verdict_tab:
    profiles = workbench.verdicts.quality_profiles(actor)  # the default one first
    shown = profiles[0] if profiles else None  # the form opens on it, to edit or copy
    tops = sorted({c.split("/")[0] for c in MQM_CATEGORIES})
    shown_limits = {c: v for c, v in (shown.category_limits if shown else {}).items()
                    if c in tops}
    with st.form(f"{KEY}_profile"):
        cols = st.columns(2)
        name = cols[0].text_input("Profile name", value=shown.name if shown else "default",
                                  key=f"{KEY}_pname")
        limit = cols[1].number_input("Max penalty per 1,000 words", 0.0, 10_000.0,
                                     shown.max_per_1000 if shown else 10.0,
                                     key=f"{KEY}_plimit")
        limited = st.multiselect("Limit these categories too", tops,
                                 default=list(shown_limits), key=f"{KEY}_pcats")
        per_cat = st.number_input("Max per 1,000 words for each of them", 0.0, 10_000.0,
                                  max(shown_limits.values(), default=5.0),
                                  key=f"{KEY}_pcatlimit")
        judged = st.radio("Judge the MQM of", MQM_ANNOTATIONS,
                          index=MQM_ANNOTATIONS.index(shown.annotations if shown else "team"),
                          format_func=ANNOTATION_LABELS.get, horizontal=True,
                          key=f"{KEY}_pannotations",
                          help="Imported expert annotations count only when chosen here.")
        if st.form_submit_button("Save profile"):
            try:
                workbench.verdicts.set_quality_profile(actor, name, limit,
                                                       {c: per_cat for c in limited},
                                                       annotations=judged)
                st.success(f"Saved the profile {md(name)}; it is now the default.")
            except ReviewError as exc:
                st.error(inert(exc))
    verdicts = workbench.verdicts.verdicts(actor)
    if verdicts:
        judged_by = next((p.annotations for p in workbench.verdicts.quality_profiles(actor)
                          if p.name == verdicts[0].profile), "team")
        st.markdown(f"Verdicts under the default profile **{md(verdicts[0].profile)}**, "
                    f"from {ANNOTATION_LABELS[judged_by].lower()}:")
        st.dataframe(pd.DataFrame([{
            "Article": articles.get(v.article_id, v.article_id), "Verdict": v.label,
            "Per 1,000 words": round(v.per_1000, 1), "Words": v.words,
            "Reason": v.reason} for v in verdicts]),
            hide_index=True, width="stretch", key=f"{KEY}_verdicts",
            column_config={"Article": st.column_config.TextColumn(width="medium"),
                           "Reason": st.column_config.TextColumn(width="large")})
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
            workbench.ratings.set_effort_bounds(actor, fast, slow)
        except ReviewError as exc:
            st.error(inert(exc))
    effort = workbench.ratings.effort_report(actor)
    if effort.empty:
        st.caption("No timed edit yet.")
    else:
        st.dataframe(effort.rename(columns={
            "reviewer": "Reviewer", "segments": "Segments timed", "excluded": "Left out",
            "seconds": "Seconds", "words": "Words", "seconds_per_segment": "s / segment",
            "words_per_hour": "Words / hour"}), hide_index=True, width="stretch",
            key=f"{KEY}_effort")
