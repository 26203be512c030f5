"""Page-level actions shared by the browser tests: pick, correct, read the diff, see charts."""

from __future__ import annotations

import re

from tests.e2e.harness import Seg
from tests.e2e.helpers import (
    TIMEOUT_MS,
    Locator,
    Page,
    choose,
    click_button,
    expect,
    fill_text,
    flash_success,
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


def select_segment(page: Page, seg: Seg, text: str | None = None) -> None:
    """Pick the segment by the start of its text (the picker shows it), or by its number."""
    if text is None:
        choose(page, "Segment", re.compile(rf"^{seg.number} · "),
               typed=f"{seg.number} · {seg.kind} · ")
    else:
        choose(page, "Segment", text[:30])
    expect(page.get_by_role("heading", name=f"Segment {seg.number}", exact=True)
           ).to_be_visible(timeout=TIMEOUT_MS)


def corrected_box(page: Page) -> Locator:
    return widget(page, "stTextArea", "Corrected text").locator("textarea")


def save_text(page: Page, seg: Seg, text: str) -> None:
    """Type ``text`` as the segment's correction and press Save."""
    fill_text(page, "stTextArea", "Corrected text", text)
    click_button(page, "Save")
    flash_success(page, f"Saved segment {seg.number}.")
    expect(corrected_box(page)).to_have_value(text, timeout=TIMEOUT_MS)


def changes_view(page: Page) -> Locator:
    """The diff between the MT and the corrected text (the last diff on the page)."""
    return page.locator("[data-testid=diff-view]").last
