"""The Overview tab: headline numbers, review progress and automatic metrics."""

from __future__ import annotations

import altair as alt
import streamlit as st

from review.core.vocab import SEGMENT_STATUSES
from review.dashboard import SMALL_SAMPLE, DashboardData
from review.ui.dashboard_tabs.common import _fmt, chart, table


def overview_tab(data: DashboardData) -> None:
    ov = data.overview
    mqm = ov.mqm
    cols = st.columns(6)
    cols[0].metric("Articles", f"{ov.articles:,}")
    cols[1].metric("Segments", f"{ov.segments:,}", help=f"{ov.residue_segments:,} web-residue "
                   "segments are left out")
    cols[2].metric("Words (MT)", f"{ov.words:,}")
    cols[3].metric("MQM per segment", _fmt(mqm.score),
                   help=f"95% bootstrap interval {_fmt(mqm.ci_low)}–{_fmt(mqm.ci_high)} over "
                   f"{mqm.segments:,} rated segments; lower is better. {data.weights}")
    cols[4].metric("MQM per 1,000 words", _fmt(mqm.per_1000_words, 1))
    cols[5].metric("Mean HTER", _fmt(ov.mean_hter, 1),
                   help=f"TER of the MT against the corrected text over {ov.hter_segments:,} "
                   "finished (fixed or approved) segments")
    if mqm.segments:
        st.caption(f"MQM {_fmt(mqm.score)} (95% CI {_fmt(mqm.ci_low)}–{_fmt(mqm.ci_high)}, "
                   f"{mqm.segments:,} rated segments, {mqm.errors:,} errors), from every "
                   "annotation: the team's flags and imported experts' alike. Verdicts count "
                   "what their quality profile says.")
    if mqm.small_sample:
        st.warning(f"Sample too small: {mqm.segments} rated segments (fewer than "
                   f"{SMALL_SAMPLE}); the MQM score and its interval say little yet.")
    st.subheader("Review progress")
    figure = alt.Chart(ov.progress).mark_bar().encode(
        x=alt.X("segments:Q", title="Segments (titles and body)"),
        y=alt.Y("status:N", sort=list(SEGMENT_STATUSES), title=None),
        color=alt.Color("status:N", scale=alt.Scale(domain=list(SEGMENT_STATUSES)),
                        legend=None),
        tooltip=["status:N", "segments:Q"]).properties(height=150)
    chart(figure, "review-progress", "progress", height=190)
    st.subheader("Automatic metrics")
    st.caption("The MT scored against the corrected text (finished segments) and against the "
               "retranslation (a model's, else another system's).")
    table(ov.metrics, "metrics", "metrics")
