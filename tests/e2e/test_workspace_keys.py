"""Every key of the workspace's keyboard map, in a real browser."""

from __future__ import annotations

import re

from tests.e2e.harness import Plan, Server
from tests.e2e.helpers import TIMEOUT_MS, Page, expect
from tests.e2e.workspace_flows import (
    CURRENT,
    card,
    current,
    editor,
    flag_box,
    go_to,
    message,
    open_workspace,
    select_chars,
    settle,
    stored,
    text_box,
)


def test_moving_editing_saving_and_approving(page: Page, plan: Plan, app_server: Server) -> None:
    seg, after = plan.at(11), plan.at(12)
    open_workspace(page)
    go_to(page, seg)
    for key, expected in (("j", after), ("k", seg), ("ArrowDown", after), ("ArrowUp", seg)):
        page.keyboard.press(key)
        expect(card(page, expected)).to_have_class(CURRENT)
        expect(card(page, expected)).to_be_focused()
    page.keyboard.press("e")
    expect(editor(page)).to_be_focused()
    page.keyboard.type(" More.")
    page.keyboard.press("Escape")  # stops editing, keeps the draft
    expect(current(page).locator("textarea")).to_have_count(0)
    expect(card(page, seg).locator(".rw-draft")).to_contain_text("More.")
    page.keyboard.press("Enter")
    expect(editor(page)).to_have_value(re.compile(r"More\.$"))
    page.keyboard.press("Control+Enter")  # save, then the next to-do segment is editable
    expect(card(page, after)).to_have_class(CURRENT)
    expect(editor(page)).to_be_focused()
    settle(page)
    assert stored(app_server, seg.segment_id).row.current.endswith("More.")
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    settle(page)
    expect(message(page)).to_have_text(f"Approved segment {after.number}.")
    expect(card(page, after).locator(".rw-status")).to_have_text("approved")

    page.keyboard.press("?")
    help_box = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_box).to_be_visible()
    expect(help_box).to_contain_text("merge with the next segment")
    page.keyboard.press("?")
    expect(help_box).to_have_count(0)

    page.keyboard.press("h")
    settle(page)
    expect(page.get_by_role("heading", name=f"Segment {after.number}: history and scores")
           ).to_be_visible(timeout=TIMEOUT_MS)


def test_suggestion_keys_and_undo(page: Page, plan: Plan, app_server: Server) -> None:
    seg = plan.at(5)  # a photo caption with two suggestions
    open_workspace(page)
    go_to(page, seg)
    items = card(page, seg).locator(".rw-list").first.locator(".rw-flag")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_class(re.compile("rw-cursor"))
    page.keyboard.press("s")
    expect(items.nth(1)).to_have_class(re.compile("rw-cursor"))
    page.keyboard.press("s")
    page.keyboard.press("c")  # confirm the first
    settle(page)
    expect(items.nth(0)).to_contain_text("confirmed")
    page.keyboard.press("x")  # the cursor is now on the other open one: dismiss it
    settle(page)
    expect(items.nth(1)).to_contain_text("dismissed")
    page.keyboard.press("u")  # undo the dismissal
    settle(page)
    expect(items.nth(1)).to_contain_text("open")
    states = sorted(f.state for f in stored(app_server, seg.segment_id).flags
                    if f.origin == "check")
    assert states == ["confirmed", "open"]


def test_severity_category_omission_undo_and_kind_keys(page: Page, plan: Plan,
                                                       app_server: Server) -> None:
    seg = plan.at(13)
    words = seg.text.split()
    open_workspace(page)
    go_to(page, seg)
    box = text_box(page, seg, "target")
    for key, severity, number, category in (("M", "Major", "1", "Accuracy/Mistranslation"),
                                            ("m", "Minor", "6", "Fluency/Spelling"),
                                            ("n", "Neutral", "9", "Other")):
        word = words[{"M": 1, "m": 2, "n": 3}[key]]
        start = seg.text.index(word)
        select_chars(box, start, start + len(word))
        card(page, seg).focus()
        page.keyboard.press(key)
        expect(flag_box(page)).to_contain_text(f"“{word}”")
        page.keyboard.press(number)
        page.keyboard.press("Enter")  # saves the flag (a note could come first)
        settle(page)
        expect(message(page)).to_have_text(f"Flagged: {severity} {category}.")
    reviewer = [f for f in stored(app_server, seg.segment_id).flags if f.origin == "reviewer"]
    assert {(f.severity, f.category) for f in reviewer} == {
        ("Major", "Accuracy/Mistranslation"), ("Minor", "Fluency/Spelling"),
        ("Neutral", "Other")}

    page.keyboard.press("u")  # undo the last flag
    settle(page)
    assert len([f for f in stored(app_server, seg.segment_id).flags
                if f.origin == "reviewer"]) == 2

    start = seg.text.index(words[4])
    select_chars(box, start, start + 1)
    card(page, seg).focus()
    page.keyboard.press("o")  # something is missing before this word
    page.keyboard.press("M")
    page.keyboard.press("Enter")
    settle(page)
    expect(box.locator(".rw-missing")).to_have_count(1)
    omission = next(f for f in stored(app_server, seg.segment_id).flags
                    if f.category == "Accuracy/Omission")
    assert (omission.start, omission.end, omission.severity) == (start, start, "Major")

    page.keyboard.press("r")
    settle(page)
    expect(card(page, seg).locator(".rw-kind")).to_have_text("boilerplate")
    page.keyboard.press("b")
    settle(page)
    expect(card(page, seg).locator(".rw-kind")).to_have_text("body")
    assert stored(app_server, seg.segment_id).row.kind == "body"
