"""Retranslation from the Library page with a tiny local model, seen in the browser."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.harness import Plan
from tests.e2e.helpers import (
    TIMEOUT_MS,
    Page,
    expect,
    flash_success,
    goto,
    grid_cell,
    open_page,
    rerun,
    selection,
)

GRID_RETRANSLATION = 3
RETRANSLATE_TIMEOUT_MS = 180_000  # loads torch and the model in the server on first use

RECORD_PROGRESS = """() => {
  window.__progress = [];
  const seen = () => document.querySelectorAll('[data-testid=stProgress]').forEach(
      bar => window.__progress.push(bar.innerText.trim()));
  new MutationObserver(seen).observe(document.body,
      {subtree: true, childList: true, characterData: true});
}"""


def test_retranslate_with_tiny_model(page: Page, plan: Plan, tiny_model: Path) -> None:
    goto(page, "/library")
    expect(selection(page, "Article")).to_have_value(re.compile(rf"^{plan.wuzhen_id} · "))
    panel = page.locator("[data-testid=stExpander]").filter(has_text="Retranslate with a model")
    panel.locator("summary").click()
    models = panel.locator("[data-testid=stTextInput]").filter(has_text="Model (")
    expect(models).to_have_count(2, timeout=TIMEOUT_MS)  # round trip: there and back
    for i in range(2):
        field = models.nth(i).locator("input")
        field.fill(str(tiny_model))
        with rerun(page):
            field.press("Enter")
        expect(models.nth(i).locator("input")).to_have_value(str(tiny_model))

    page.evaluate(RECORD_PROGRESS)
    with rerun(page, timeout=RETRANSLATE_TIMEOUT_MS):
        panel.get_by_role("button", name="Retranslate", exact=True).click()
    flash_success(page, "segments retranslated by")
    seen = page.evaluate("() => window.__progress")
    finished = [m for m in (re.search(r"(\d+) / (\d+) segments retranslated", t) for t in seen)
                if m and m.group(1) == m.group(2) and int(m.group(1)) > 0]
    assert finished, f"the progress bar never reached the end; it showed {sorted(set(seen))}"

    open_page(page, "Review")
    grid = page.locator("[data-testid=stDataFrame]")
    seg = plan.segments["grid"]
    cell = grid_cell(grid, GRID_RETRANSLATION, seg.position)
    expect(cell).to_have_text(re.compile(r"\S"), timeout=TIMEOUT_MS)
