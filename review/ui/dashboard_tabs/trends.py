"""The Trends tab: numbers per day or week and per import batch."""

from __future__ import annotations

import altair as alt
import streamlit as st

from review.dashboard import DashboardData
from review.ui.dashboard_tabs.common import chart, table


def trends_tab(data: DashboardData) -> None:
    tr = data.trends
    unit = "week" if tr.freq == "W" else "day"
    if tr.by_period.empty:
        st.info("Nothing happened in this period.")
    else:
        mqm_line = alt.Chart(tr.by_period.dropna(subset=["mqm"])).mark_line(point=True).encode(
            x=alt.X("period:T", title=unit.capitalize()),
            y=alt.Y("mqm:Q", title="MQM per segment"),
            tooltip=["period:T", alt.Tooltip("mqm:Q", format=".3f"), "segments_rated:Q"])
        chart(mqm_line, f"mqm-per-{unit}", "trend_mqm")
        activity = alt.Chart(tr.by_period).transform_fold(
            ["errors", "edits"], as_=["what", "n"]).mark_bar().encode(
            x=alt.X("period:T", title=unit.capitalize()), y=alt.Y("n:Q", title="Count"),
            color=alt.Color("what:N", title=None), xOffset="what:N",
            tooltip=["period:T", "what:N", "n:Q"])
        chart(activity, f"activity-per-{unit}", "trend_activity")
        table(tr.by_period, f"trends-per-{unit}", "periods")
    st.subheader("Per import batch")
    if not tr.by_batch.empty:
        bars = alt.Chart(tr.by_batch.dropna(subset=["mqm"])).mark_bar().encode(
            x=alt.X("batch:N", sort=None, title="Batch"), y=alt.Y("mqm:Q", title="MQM"),
            tooltip=["batch:N", "imported:T", "articles:Q", alt.Tooltip("mqm:Q", format=".3f")])
        chart(bars, "mqm-per-batch", "batches")
    table(tr.by_batch, "batches", "batches")
