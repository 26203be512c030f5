"""Page-level actions shared by the browser tests: pick an article, read the diff, see charts."""

from __future__ import annotations

import re

from tests.e2e.helpers import TIMEOUT_MS, Locator, Page, choose, expect

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


def select_article(page: Page, article_id: int) -> None:
    choose(page, "Article", re.compile(rf"^{article_id} · "), typed=f"{article_id} · ")


def changes_view(page: Page) -> Locator:
    """The diff between the MT and the corrected text (the last diff on the page)."""
    return page.locator("[data-testid=diff-view]").last
