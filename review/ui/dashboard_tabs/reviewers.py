"""The Reviewers tab: what each reviewer did, how they decided the checks'
suggestions, and agreement between raters.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from review.dashboard import DashboardData
from review.ui.dashboard_tabs.common import _fmt, chart, table


def reviewers_tab(data: DashboardData) -> None:
    rv = data.reviewers  # the people tables come first (review.ui.quality_panels)
    if rv.table.empty:
        st.info("Nobody has reviewed or rated anything for these filters.")
    if not rv.flags.empty:
        bars = alt.Chart(rv.flags).mark_bar().encode(
            x=alt.X("sum(count):Q", title="Errors flagged"),
            y=alt.Y("reviewer:N", title=None),
            color=alt.Color("category:N", title="Category"),
            tooltip=["reviewer:N", "category:N", "severity:N", "count:Q"])
        chart(bars, "flags-per-reviewer", "flags")
        table(rv.flags, "flags-per-reviewer", "flags")
    st.subheader("Automatic checks")
    st.caption("How reviewers decided the checks' suggestions (precision: confirmed out of "
               "decided).")
    table(rv.checks, "automatic-checks", "checks")

    st.subheader("Agreement between raters")
    ag = rv.agreement
    if ag.segments == 0:
        st.info("No segment has more than one rater under these filters.")
        return
    cols = st.columns(3)
    cols[0].metric("Krippendorff's α (interval)", _fmt(ag.alpha, 3),
                   help="On each rater's MQM points per segment; 1 is perfect agreement")
    cols[1].metric("Span F1", _fmt(ag.span_f1, 3),
                   help="Character overlap of the error spans of two raters on the same text")
    cols[2].metric("Segments with 2+ raters", f"{ag.segments:,}", help=f"{ag.raters} raters")
    st.caption("Per pair of raters: Kendall's tau of their MQM points on the segments both "
               "rated, and the overlap of their error spans.")
    table(ag.pairs, "rater-agreement", "agreement")
