"""Editing in the workspace: drafts that survive, save-and-next, no jump, merge and split."""

from __future__ import annotations

from tests.e2e.harness import Plan, Server, Watch
from tests.e2e.helpers import TIMEOUT_MS, Page, expect, reload
from tests.e2e.workspace_flows import (
    CURRENT,
    card,
    current,
    editor,
    go_to,
    message,
    open_workspace,
    settle,
    stored,
)


def test_draft_survives_a_switch_and_a_reload(page: Page, plan: Plan, app_server: Server,
                                              watch: Watch) -> None:
    seg = plan.at(16)
    open_workspace(page)
    go_to(page, seg)
    page.keyboard.press("Enter")
    draft = seg.text + " (draft kept)"
    editor(page).fill(draft)
    page.keyboard.press("Escape")  # stop editing: the draft stays
    expect(card(page, seg).locator(".rw-unsaved")).to_be_visible()
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(card(page, seg)).to_have_class(CURRENT)
    page.keyboard.press("e")
    expect(editor(page)).to_have_value(draft)

    reload(page)
    expect(card(page, seg).locator(".rw-unsaved")).to_be_visible(timeout=TIMEOUT_MS)
    expect(card(page, seg).locator(".rw-draft")).to_contain_text(draft)
    go_to(page, seg)
    page.keyboard.press("Enter")
    expect(editor(page)).to_have_value(draft)
    assert watch.unload_prompts, "leaving with an unsaved draft gave no warning"
    assert stored(app_server, seg.segment_id).row.current == seg.text  # nothing saved


def test_save_and_next(page: Page, plan: Plan, app_server: Server) -> None:
    seg, following = plan.at(18), plan.at(19)
    open_workspace(page)
    go_to(page, seg)
    page.keyboard.press("Enter")
    fixed = seg.text.replace("are", "remain", 1) if " are " in seg.text else seg.text + " Yes."
    editor(page).fill(fixed)
    page.keyboard.press("Control+Enter")
    expect(card(page, following)).to_have_class(CURRENT)
    expect(editor(page)).to_be_focused()
    settle(page)
    expect(message(page)).to_have_text(f"Saved segment {seg.number}.")
    detail = stored(app_server, seg.segment_id)
    assert detail.row.current == fixed and detail.row.status == "fixed"
    expect(card(page, seg).locator(".rw-status")).to_have_text("fixed")
    expect(card(page, seg).locator(".rw-unsaved")).to_have_count(0)


def test_scroll_position_held_after_a_save(page: Page, plan: Plan) -> None:
    seg = plan.at(24)
    open_workspace(page)
    go_to(page, seg)
    page.keyboard.press("Enter")
    editor(page).fill(seg.text + " Checked.")
    page.keyboard.press("Control+Enter")
    expect(current(page).locator("textarea")).to_be_focused()
    main = page.locator("[data-testid=stMain]")
    page_scroll = main.evaluate("m => m.scrollTop")
    box = current(page).bounding_box()
    settle(page)
    expect(message(page)).to_contain_text("Saved segment")
    # The segment being edited stays where it is on screen, even when the saved one above
    # it changes height (its draft line goes): the list scrolls to compensate.
    after = current(page).bounding_box()
    # the same place, to within a pixel (layout rounds sub-pixel heights differently)
    assert after is not None and box is not None
    assert all(abs(after[k] - box[k]) <= 1 for k in ("x", "y", "width", "height")), \
        f"the segment being edited moved: {box} -> {after}"
    assert main.evaluate("m => m.scrollTop") == page_scroll, "the page scrolled"
    expect(editor(page)).to_be_focused()


def test_merge_with_next_and_split_at_the_cursor(page: Page, plan: Plan,
                                                 app_server: Server) -> None:
    first, second = plan.at(21), plan.at(22)  # "... the platform includes" / "or cooperation"
    open_workspace(page)
    go_to(page, first)
    page.keyboard.press("+")
    settle(page)
    expect(message(page)).to_have_text("Merged with the next segment.")
    expect(card(page, second)).to_have_count(0)
    merged = stored(app_server, first.segment_id)
    assert merged.row.mt == first.text + " " + second.text
    assert merged.revisions[0].action == "merge"

    page.keyboard.press("Enter")
    area = editor(page)
    area.evaluate("(a, at) => a.setSelectionRange(at, at)", len(first.text) + 1)
    page.keyboard.press("Alt+s")
    settle(page)
    expect(message(page)).to_have_text("Split into two segments.")
    again = stored(app_server, first.segment_id)
    assert again.row.mt == first.text
    assert [r.action for r in again.revisions][:2] == ["split", "merge"]
    cards = page.locator(".rw-seg")
    texts = cards.locator(".rw-line-target .rw-text").all_inner_texts()
    at = texts.index(first.text)
    assert texts[at + 1] == second.text


def test_editor_on_screen_at_1366x768(page: Page, plan: Plan) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    open_workspace(page)
    for seg in (plan.at(1), plan.at(27)):  # the first segment and one far down the article
        go_to(page, seg)
        page.keyboard.press("Enter")
        box = editor(page).bounding_box()
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= 768, box
        page.keyboard.press("Escape")
    assert page.locator("[data-testid=stMain]").evaluate("m => m.scrollTop") == 0
