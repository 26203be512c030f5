"""Screenshots of the Review, Dashboard and Export pages for the README.

Written only when REVIEW_SCREENSHOTS names a folder (``make screenshots`` sets it to
docs/screenshots); otherwise these tests are skipped.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.flows import changes_view, corrected_box, save_text, select_segment, visible_charts
from tests.e2e.harness import Plan
from tests.e2e.helpers import (
    TIMEOUT_MS,
    Page,
    choose,
    expect,
    flash_success,
    full_page_screenshot,
    goto,
    open_page,
    rerun,
    tab,
    widget,
)


def review_with_an_edit(page: Page, plan: Plan) -> None:
    """The Review page on a corrected and flagged segment, so diff and flags show."""
    seg = plan.segments["screenshot"]
    goto(page, "/")
    select_segment(page, seg)
    # Only the end changes, so a flag's span sits at the same place in the MT and the edit.
    edited = seg.text.replace("has grown", "grew")
    if corrected_box(page).input_value() != edited:
        save_text(page, seg, edited)
    expect(changes_view(page).locator("ins").first).to_be_visible(timeout=TIMEOUT_MS)
    flags = tab(page, "Flags")
    if not flags.get_by_text("Fluency/Grammar").count():
        form = flags.locator("[data-testid=stForm]")
        choose(page, "MQM category", "Fluency/Grammar", scope=form, in_form=True)
        widget(page, "stTextInput", "Span (copy the erroneous words; empty = whole segment)",
               scope=form).locator("input").fill("the added value")
        widget(page, "stTextInput", "Note", scope=form).locator("input").fill(
            "awkward: the value added")
        with rerun(page):
            form.get_by_role("button", name="Add flag", exact=True).click()
        flash_success(page, "Flag added.")


def test_review_screenshots(screenshots_dir: Path, page: Page, plan: Plan) -> None:
    review_with_an_edit(page, plan)
    tab(page, "Flags")
    full_page_screenshot(page, str(screenshots_dir / "review.png"))


def test_dashboard_screenshots(screenshots_dir: Path, page: Page) -> None:
    goto(page, "/dashboard")
    visible_charts(page, tab(page, "Errors"), drawn=True)
    full_page_screenshot(page, str(screenshots_dir / "dashboard.png"))


def test_export_screenshots(screenshots_dir: Path, page: Page, plan: Plan) -> None:
    review_with_an_edit(page, plan)
    open_page(page, "Export")
    expect(page.locator("[data-testid=stCode]")).to_be_visible(timeout=TIMEOUT_MS)
    page.mouse.move(640, 10)  # away from the sidebar, whose buttons show on hover
    full_page_screenshot(page, str(screenshots_dir / "export.png"))
