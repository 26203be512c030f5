"""The Dashboard renders its charts in a browser (Vega-Lite through Altair)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.e2e.helpers import TIMEOUT_MS, goto, heading, no_exception, tab

DRAWN = """chart => Array.from(chart.querySelectorAll('[role=graphics-symbol]')).some(mark => {
  const box = mark.getBoundingClientRect();
  return box.width > 0 && box.height > 0;
})"""


def visible_charts(page: Page, panel: Locator, *, drawn: bool = False) -> Locator:
    """The panel's charts, once the first has drawn its marks (one graphics symbol each);
    with ``drawn``, every chart must show at least one mark with an area."""
    charts = panel.locator("[data-testid=stVegaLiteChart]:visible")
    expect(charts.first).to_be_visible(timeout=TIMEOUT_MS)
    expect(charts.first.locator("[role=graphics-symbol]")).not_to_have_count(
        0, timeout=TIMEOUT_MS)
    if drawn:
        for i in range(charts.count()):
            page.wait_for_function(DRAWN, arg=charts.nth(i).element_handle(),
                                   timeout=TIMEOUT_MS)
    return charts


def test_dashboard_renders_charts(page: Page) -> None:
    goto(page, "/dashboard")
    expect(heading(page)).to_have_text("Dashboard")
    assert visible_charts(page, tab(page, "Overview")).count() >= 1
    # The sample MQM annotations fill the error heat map and the top categories.
    assert visible_charts(page, tab(page, "Errors"), drawn=True).count() >= 2
    no_exception(page)
