"""Screenshots of the Review, Dashboard and Export pages for the README.

Written only when REVIEW_SCREENSHOTS names a folder (``make screenshots`` sets it to
docs/screenshots); otherwise these tests are skipped.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.flows import visible_charts
from tests.e2e.harness import Plan
from tests.e2e.helpers import (
    TIMEOUT_MS,
    Page,
    expect,
    full_page_screenshot,
    goto,
    open_page,
    tab,
)
from tests.e2e.workspace_flows import (
    card,
    drag_words,
    editor,
    go_to,
    open_workspace,
    settle,
    text_box,
)

REVIEW_VIEWPORT = {"width": 1366, "height": 768}
"""A common laptop screen: the current segment's editor must be on it without scrolling."""


def review_with_an_edit(page: Page, plan: Plan) -> None:
    """The Review page on a corrected and flagged segment, so flags and the fix show."""
    seg = plan.segments["screenshot"]
    open_workspace(page)
    go_to(page, seg)
    edited = seg.text.replace("has grown", "grew")
    if text_box(page, seg, "corrected").inner_text() != edited:
        page.keyboard.press("Enter")
        editor(page).fill(edited)
        page.keyboard.press("Control+Enter")
        settle(page)
        go_to(page, seg)
    if not card(page, seg).locator(".rw-flag").filter(has_text="Fluency/Grammar").count():
        start = seg.text.index("the added value")
        drag_words(page, text_box(page, seg, "target"), start, start + len("the added value"))
        page.keyboard.press("M")
        page.keyboard.press("4")
        page.keyboard.press("Enter")  # saves the flag (a note could come first)
        settle(page)
    expect(card(page, seg).locator(".rw-flag").filter(has_text="Fluency/Grammar")
           ).not_to_have_count(0, timeout=TIMEOUT_MS)


def test_review_screenshots(screenshots_dir: Path, page: Page, plan: Plan) -> None:
    page.set_viewport_size(REVIEW_VIEWPORT)
    review_with_an_edit(page, plan)
    page.keyboard.press("Enter")  # the editor open, as a reviewer sees it while fixing
    expect(editor(page)).to_be_visible()
    box = editor(page).bounding_box()
    assert box and box["y"] + box["height"] <= REVIEW_VIEWPORT["height"], (
        "the editor is below the fold at 1366x768")
    page.mouse.move(1300, 10)
    page.screenshot(path=str(screenshots_dir / "review.png"))


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
