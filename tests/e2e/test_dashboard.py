"""The Dashboard renders its charts in a browser (Vega-Lite through Altair)."""

from __future__ import annotations

from tests.e2e.flows import visible_charts
from tests.e2e.helpers import Page, expect, goto, heading, no_exception, tab


def test_dashboard_renders_charts(page: Page) -> None:
    goto(page, "/dashboard")
    expect(heading(page)).to_have_text("Dashboard")
    assert visible_charts(page, tab(page, "Overview"), drawn=True).count() >= 1
    # The sample MQM annotations fill the error heat map and the top categories.
    assert visible_charts(page, tab(page, "Errors"), drawn=True).count() >= 2
    no_exception(page)
