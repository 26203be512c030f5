"""The README's picture of the workspace at 1366x768: a WMT segment with the experts'
annotations in place, on the MT line and each system's line, one rater's group open.

Written only when REVIEW_SCREENSHOTS names a folder (``make screenshots``)."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.harness import Server
from tests.e2e.helpers import Page, expect
from tests.e2e.workspace_flows import expert_segment, go_to, open_workspace

VIEWPORT = {"width": 1366, "height": 768}


def test_workspace_with_expert_annotations(screenshots_dir: Path, page: Page,
                                           app_server: Server) -> None:
    page.set_viewport_size(VIEWPORT)
    article_id, row = expert_segment(app_server)
    open_workspace(page, article_id)
    seg = go_to(page, row["id"])
    seg.locator("details.rw-rater summary").first.click()
    expect(seg.locator("details.rw-rater[open]")).to_have_count(1)
    seg.scroll_into_view_if_needed()
    doc = page.locator(".rw-doc").bounding_box()
    assert doc is not None and doc["height"] >= 0.7 * VIEWPORT["height"]
    page.mouse.move(1300, 10)
    page.screenshot(path=str(screenshots_dir / "review-expert-annotations.png"))
