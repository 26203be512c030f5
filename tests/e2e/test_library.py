"""Retranslation from the Library page with a tiny local model, seen in the browser: the
button starts a job, and after a reload the page still follows it to the end."""

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
    open_page,
    reload,
    rerun,
    selection,
    wait_idle,
)
from tests.e2e.workspace_flows import go_to

RETRANSLATE_TIMEOUT_MS = 180_000  # loads torch and the model in the server on first use

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

    with rerun(page):
        panel.get_by_role("button", name="Retranslate", exact=True).click()
    flash_success(page, "Retranslation job")
    reload(page)  # the job lives on in the server: a reload finds it and follows it
    jobs = page.locator("[data-testid=stExpander]").filter(has_text="Recent jobs")
    expect(jobs.locator("[data-testid=stAlertContentSuccess]").filter(
        has_text="segments retranslated by").first).to_be_visible(timeout=RETRANSLATE_TIMEOUT_MS)
    wait_idle(page)

    open_page(page, "Review")
    seg = plan.segments["grid"]
    current = go_to(page, seg)
    # the retranslation, word-diffed against the MT, under the segment being reviewed
    line = current.locator(".rw-line-cand").first
    expect(line.locator(".rw-text")).to_have_text(re.compile(r"\S"), timeout=TIMEOUT_MS)
    expect(line.locator(".rw-ins, .rw-del")).not_to_have_count(0)
