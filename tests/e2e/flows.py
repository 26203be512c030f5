"""Page-level actions shared by the browser tests: log in, pick an article, read the diff,
see charts."""

from __future__ import annotations

import re

from tests.e2e.helpers import (
    TIMEOUT_MS,
    Locator,
    Page,
    choose,
    expect,
    goto,
    heading,
    rerun,
    widget,
)

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


def log_in(page: Page, name: str, password: str) -> None:
    """Log in through the form on the first page; the Review page follows."""
    goto(page, "/")
    form = page.locator("[data-testid=stMain] [data-testid=stForm]")
    widget(page, "stTextInput", "Name", scope=form).locator("input").fill(name)
    widget(page, "stTextInput", "Password", scope=form).locator("input").fill(password)
    with rerun(page):
        form.get_by_role("button", name="Log in", exact=True).click()
    errors = page.locator("[data-testid=stAlertContentError]").all_inner_texts()
    assert not errors, errors
    expect(heading(page)).to_have_text("Review", timeout=TIMEOUT_MS)
