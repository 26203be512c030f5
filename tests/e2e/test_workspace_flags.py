"""Flags in the workspace: spans by mouse and by keyboard, flag edits, suggestions kept."""

from __future__ import annotations

import re

from review.db.models import Candidate
from tests.e2e.harness import Plan, Server
from tests.e2e.helpers import TIMEOUT_MS, Page, expect
from tests.e2e.workspace_flows import (
    CURRENT,
    card,
    drag_words,
    editor,
    flag_box,
    go_to,
    message,
    open_workspace,
    settle,
    stored,
    text_box,
    workbench,
)

PHRASE = "will account"


def test_flag_the_second_occurrence_with_the_mouse(page: Page, plan: Plan,
                                                   app_server: Server) -> None:
    seg = plan.at(8)  # "In 2022, ... will account for nearly 30% ... will account for 1% ..."
    second = seg.text.index(PHRASE, seg.text.index(PHRASE) + 1)
    open_workspace(page)
    go_to(page, seg)
    # from "will" to inside "account": the span snaps to the two whole words
    drag_words(page, text_box(page, seg, "target"), second, second + len(PHRASE) - 2)
    expect(flag_box(page)).to_contain_text(f"“{PHRASE}”")
    page.keyboard.press("M")
    page.keyboard.press("4")  # Fluency/Grammar in the numbered list
    page.keyboard.press("Enter")  # saves the flag (a note could come first)
    settle(page)
    expect(message(page)).to_have_text("Flagged: Major Fluency/Grammar.")
    flags = [f for f in stored(app_server, seg.segment_id).flags
             if f.origin == "reviewer" and f.category == "Fluency/Grammar"]
    assert (second, second + len(PHRASE)) in {(f.start, f.end) for f in flags}
    assert all(f.severity == "Major" for f in flags)
    marks = text_box(page, seg, "target").locator("mark.rw-major")
    mine = marks.filter(has_text=re.compile(rf"^{PHRASE}$"))  # not the checks' suggestions
    expect(mine).not_to_have_count(0)
    expect(mine.first).to_have_attribute("title", re.compile("Major · Fluency/Grammar"))


def test_change_a_flags_severity(page: Page, plan: Plan, app_server: Server) -> None:
    seg = plan.at(15)
    word = seg.text.split()[1]
    start = seg.text.index(word)
    open_workspace(page)
    go_to(page, seg)
    drag_words(page, text_box(page, seg, "target"), start, start + len(word))
    page.keyboard.press("m")
    page.keyboard.press("8")  # Style/Awkward
    page.keyboard.press("Enter")  # saves the flag (a note could come first)
    settle(page)
    mark = text_box(page, seg, "target").locator("mark.rw-minor").filter(has_text=word)
    expect(mark).to_have_count(1)
    mark.click()
    box = flag_box(page)
    expect(box).to_have_attribute("aria-label", "Change the flag")
    box.get_by_role("button", name="Major severity, key M").click()
    box.get_by_role("button", name="Save the flag's changes (Enter)").click()
    settle(page)
    expect(message(page)).to_have_text("Flag changed.")
    expect(text_box(page, seg, "target").locator("mark.rw-major").filter(has_text=word)
           ).to_have_count(1)
    flag = next(f for f in stored(app_server, seg.segment_id).flags if f.origin == "reviewer")
    assert (flag.severity, flag.category) == ("Major", "Style/Awkward")


def test_mt_suggestion_still_there_after_the_fix(page: Page, plan: Plan,
                                                 app_server: Server) -> None:
    seg = plan.at(3)  # the checks question its brackets
    before = [f for f in stored(app_server, seg.segment_id).flags if f.origin == "check"]
    assert before, "the sample should carry a suggestion on this segment"
    open_workspace(page)
    go_to(page, seg)
    suggestion = card(page, seg).locator(".rw-list").first.locator(".rw-flag").filter(
        has_text=before[0].category)
    expect(suggestion).to_have_count(1)
    page.keyboard.press("Enter")
    editor(page).fill(seg.text.replace("“", "").replace("”", ""))
    page.keyboard.press("Control+Enter")
    settle(page)
    expect(message(page)).to_have_text(f"Saved segment {seg.number}.")
    go_to(page, seg)
    expect(card(page, seg).locator(".rw-flags-title").first).to_have_text(
        "Flags and suggestions on the MT")
    expect(suggestion).to_have_count(1)
    after = [f for f in stored(app_server, seg.segment_id).flags if f.origin == "check"]
    assert {(f.check_name, f.start, f.end) for f in before} <= {
        (f.check_name, f.start, f.end) for f in after if f.span_in == "target"}


def test_keyboard_alone_flag_fix_and_next(page: Page, plan: Plan, app_server: Server) -> None:
    """Segment 9 of the sample: flag the second "will account" as Major Fluency/Grammar,
    fix it and move on, never touching the mouse after opening the page."""
    seg, after = plan.at(8), plan.at(9)
    second = seg.text.index(PHRASE, seg.text.index(PHRASE) + 1)
    open_workspace(page)
    page.locator(".rw-seg.rw-current").focus()
    for _ in range(30):
        if card(page, seg).get_attribute("class").find("rw-current") >= 0:
            break
        page.keyboard.press("j")
    expect(card(page, seg)).to_have_class(CURRENT)
    page.keyboard.press("f")
    page.keyboard.type(PHRASE)
    page.keyboard.press("ArrowDown")  # the second occurrence
    expect(page.locator(".rw-find-count")).to_have_text("occurrence 2 of 2")
    page.keyboard.press("Enter")
    page.keyboard.press("M")
    page.keyboard.press("4")
    page.keyboard.press("Enter")  # saves the flag (a note could come first)
    settle(page)
    spans = {(f.start, f.end, f.severity, f.category)
             for f in stored(app_server, seg.segment_id).flags if f.origin == "reviewer"}
    assert (second, second + len(PHRASE), "Major", "Fluency/Grammar") in spans
    page.keyboard.press("Enter")
    page.keyboard.press("Control+End")
    fixed = seg.text[:second] + "accounted" + seg.text[second + len(PHRASE):]
    editor(page).fill(fixed)
    page.keyboard.press("Control+Enter")
    settle(page)
    expect(card(page, after)).to_have_class(CURRENT)
    detail = stored(app_server, seg.segment_id)
    assert detail.row.current == fixed
    assert [f for f in detail.flags if f.origin == "check" and f.span_in == "target"]
    go_to(page, seg)
    expect(card(page, seg).locator(".rw-list").first.locator(".rw-flag").filter(
        has_text="suggested by")).not_to_have_count(0, timeout=TIMEOUT_MS)


def test_turn_a_suspect_span_into_a_flag(page: Page, plan: Plan, app_server: Server) -> None:
    """Words the retranslation does not support are marked as suspects; ``g`` opens the flag
    box on the first one, and two keys make it a flag."""
    seg = plan.at(12)
    words = seg.text.split()
    odd = max(words[2:], key=len).strip(".,;:")
    start = seg.text.index(odd)
    bench = workbench(app_server)
    try:
        with bench.store.write() as session:
            session.add(Candidate(segment_id=seg.segment_id, system="retranslation-model",
                                  kind="model", text=seg.text.replace(odd, "zzzz"), meta={}))
    finally:
        bench.store.dispose()
    open_workspace(page)
    go_to(page, seg)
    suspect = text_box(page, seg, "target").locator("mark.rw-suspect")
    expect(suspect.filter(has_text=odd)).to_have_count(1)
    page.keyboard.press("g")
    expect(flag_box(page)).to_contain_text(f"“{odd}”")
    page.keyboard.press("m")
    page.keyboard.press("1")  # Accuracy/Mistranslation
    page.keyboard.press("Enter")  # saves the flag (a note could come first)
    settle(page)
    expect(message(page)).to_have_text("Flagged: Minor Accuracy/Mistranslation.")
    flags = [f for f in stored(app_server, seg.segment_id).flags if f.origin == "reviewer"]
    assert (start, start + len(odd)) in {(f.start, f.end) for f in flags}
    # the flag now covers the words: the suspect mark gives way to it
    expect(text_box(page, seg, "target").locator("mark.rw-suspect").filter(has_text=odd)
           ).to_have_count(0)
