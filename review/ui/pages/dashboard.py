"""Dashboard page: quality at a glance for leads — overview, errors, systems, reviewers,
trends and the worst segments, all under one set of filters.

Numbers come from one service call, cached per data version and filters, so reruns are cheap
even with hundreds of thousands of flags. Every table downloads as CSV and every chart as PNG
or SVG; downloads are produced only when clicked (and cached). Each tab is drawn by its own
module in ``review.ui.dashboard_tabs``.
"""

from __future__ import annotations

import streamlit as st

from review.accounts.permissions import can
from review.core.errors import ReviewError
from review.dashboard import DashboardFilters
from review.ui.dashboard_tabs.common import load_dashboard
from review.ui.dashboard_tabs.errors import errors_tab
from review.ui.dashboard_tabs.filters import filter_widgets, filters_from_state
from review.ui.dashboard_tabs.overview import overview_tab
from review.ui.dashboard_tabs.reviewers import reviewers_tab
from review.ui.dashboard_tabs.systems import systems_tab
from review.ui.dashboard_tabs.trends import trends_tab
from review.ui.dashboard_tabs.worst import worst_tab
from review.ui.markup import inert
from review.ui.quality_panels import (
    batch_names,
    clusters_panel,
    team_reviewers_panel,
    verdicts_panel,
)
from review.ui.resources import get_workbench
from review.ui.session import require_actor

workbench = get_workbench()
actor = require_actor(workbench)
st.title("Dashboard")
if not can(actor, "dashboard.view"):
    st.error("The dashboards are for leads and admins; ask one of them for the numbers.")
    st.stop()

filters, freq, with_ter = filters_from_state()
try:
    version = workbench.reports.dashboard_version(actor)
    data = load_dashboard(workbench, actor, version, filters, freq, with_ter)
except ReviewError as exc:
    st.error(inert(exc))
    st.stop()
filter_widgets(data)

if not data.options.articles:
    st.info("No articles yet: import some on the Library page.")
    st.stop()
if data.empty:
    st.info("Nothing matches these filters; widen them in the sidebar."
            if filters != DashboardFilters() else
            "Nothing has been rated, flagged or edited yet.")

tabs = st.tabs(["Overview", "Errors", "Systems", "Reviewers", "Trends", "Worst segments"])
with tabs[0]:
    overview_tab(data)
    verdicts_panel(workbench, actor)
with tabs[1]:
    errors_tab(data)
with tabs[2]:
    clusters_panel(workbench, actor, filters)
    systems_tab(workbench, actor, version, data, filters)
with tabs[3]:
    team_reviewers_panel(workbench, actor, data.reviewers.table)
    reviewers_tab(data)
with tabs[4]:
    data.trends.by_batch = batch_names(workbench, actor, data.trends.by_batch)
    trends_tab(data)
with tabs[5]:
    worst_tab(workbench, actor, data, filters)
