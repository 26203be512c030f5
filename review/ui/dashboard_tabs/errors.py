"""The Errors tab: the category × severity heat map, top categories and examples
to open.
"""

from __future__ import annotations

import altair as alt
import streamlit as st

from review.core.vocab import SEVERITIES
from review.dashboard import DashboardData
from review.ui.dashboard_tabs.common import KEY, chart, open_segment, table
from review.ui.markup import md


def errors_tab(data: DashboardData) -> None:
    errors = data.errors
    if errors.matrix.empty:
        st.info("No errors flagged for these filters.")
        return
    measure = st.radio("Show", ["points", "count"], horizontal=True, key=f"{KEY}_heat_measure",
                       format_func=lambda m: "Weighted points" if m == "points" else "Count")
    rows = int(errors.matrix["category"].nunique())
    base = alt.Chart(errors.matrix).encode(
        x=alt.X("severity:N", title="Severity", sort=list(SEVERITIES),
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("category:N", title=None, axis=alt.Axis(labelLimit=320)))
    heat = base.mark_rect().encode(
        color=alt.Color(f"{measure}:Q", title=measure.capitalize()),
        tooltip=["category:N", "severity:N", "count:Q", alt.Tooltip("points:Q", format=".1f")])
    labels = base.mark_text(baseline="middle").encode(text=alt.Text(f"{measure}:Q",
                                                                    format=",.4~g"))
    chart((heat + labels).properties(height=22 * rows), "errors-category-severity", "heatmap",
          height=22 * rows + 60)
    table(errors.matrix, "errors-by-category-severity", "matrix")

    st.subheader("Top categories")
    top = errors.top.head(15)
    bars = alt.Chart(top).mark_bar().encode(
        x=alt.X("points:Q", title="Weighted points"),
        y=alt.Y("category:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        tooltip=["category:N", "count:Q", alt.Tooltip("points:Q", format=".1f"),
                 alt.Tooltip("share:Q", format=".0%")]).properties(height=22 * len(top))
    chart(bars, "top-categories", "top", height=22 * len(top) + 60)
    table(errors.top, "top-categories", "top")

    st.subheader("Examples")
    categories = list(errors.top["category"])
    category = st.selectbox("Category", categories, key=f"{KEY}_example_category")
    examples = errors.examples[errors.examples["category"] == category]
    for row in examples.itertuples():
        with st.container(border=True):
            cols = st.columns([6, 1])
            span = f" — “{row.span}”" if row.span else ""
            cols[0].markdown(f"**{md(row.severity)}** · {md(row.system)} · {md(row.rater)}"
                             f"{md(span)}")
            cols[0].text(row.text)
            if cols[1].button("Open", key=f"{KEY}_example_{int(row.flag_id)}",
                              help="Open this segment on the Review page"):
                open_segment(row.article_id, row.segment_id)
