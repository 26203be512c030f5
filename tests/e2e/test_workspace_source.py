"""Attach the original article to the source-less sample, fix one pairing, store it."""

from __future__ import annotations

from tests.e2e.harness import Plan, Server
from tests.e2e.helpers import (
    TIMEOUT_MS,
    Page,
    click_button,
    edit_grid_cell,
    expect,
    flash_success,
    widget,
)
from tests.e2e.workspace_flows import card, go_to, open_workspace, stored, text_box

SOURCE_COL = 2  # "#", "MT", "Source"


def chinese_like(plan: Plan) -> str:
    """One source sentence per content segment, about a third of its length, as Chinese is."""
    return "\n".join(f"第{seg.number}句{'字' * (len(seg.text) // 3)}。" for seg in plan.wuzhen
                     if seg.kind in ("title", "body"))


def test_attach_a_source_and_fix_one_alignment(page: Page, plan: Plan,
                                               app_server: Server) -> None:
    fixed_seg, kept_seg = plan.at(3), plan.at(2)
    open_workspace(page)
    page.get_by_text("Attach the source", exact=True).click()
    area = widget(page, "stTextArea", "Original article").locator("textarea")
    area.fill(chinese_like(plan))
    click_button(page, "Align")
    grid = page.locator("[data-testid=stDataFrame]").filter(
        has=page.locator("#glide-cell-1-0"))
    expect(grid).to_have_count(1, timeout=TIMEOUT_MS)
    edit_grid_cell(page, grid, SOURCE_COL, fixed_seg.position, "嘉宾们讨论了数字长三角。")
    click_button(page, "Save the alignment")
    flash_success(page, "Stored the source of")

    assert stored(app_server, fixed_seg.segment_id).row.source == "嘉宾们讨论了数字长三角。"
    assert stored(app_server, kept_seg.segment_id).row.source.startswith(f"第{kept_seg.number}句")
    go_to(page, fixed_seg)
    expect(text_box(page, fixed_seg, "source")).to_have_text("嘉宾们讨论了数字长三角。",
                                                             timeout=TIMEOUT_MS)
    expect(card(page, fixed_seg).locator(".rw-label").first).to_have_text("Source")
