"""The reviewer's loop at a working pace: nothing she did is lost or turned against her.

Each test first reproduced a failure a post-editor met in a working day: a conflict with
herself after Esc, a, Ctrl+Enter; one Chinese character stored as a whole clause; undo that
deleted unrelated flags; find that lost typed characters; keys dead after the help.
"""

from __future__ import annotations

import re

from review.accounts.permissions import SYSTEM_ACTOR
from tests.e2e.flows import select_article
from tests.e2e.harness import Plan, Server
from tests.e2e.helpers import TIMEOUT_MS, Page, expect, open_page
from tests.e2e.workspace_flows import (
    CURRENT,
    audit_actions,
    card,
    current,
    drag_words,
    editor,
    expert_segment,
    flag_box,
    go_to,
    message,
    open_workspace,
    select_chars,
    settle,
    stored,
    text_box,
    workbench,
)


def test_own_approval_then_save_is_not_a_conflict(page: Page, plan: Plan,
                                                  app_server: Server) -> None:
    seg = plan.at(16)
    fixed = seg.text + " (checked)"
    open_workspace(page)
    go_to(page, seg)
    page.keyboard.press("Enter")
    editor(page).fill(fixed)
    page.keyboard.press("Escape")
    page.keyboard.press("a")  # approve, then save at once: the approval is still on its way
    go_to(page, seg)
    page.keyboard.press("Enter")
    page.keyboard.press("Control+Enter")
    settle(page)
    expect(page.get_by_role("alertdialog", name="Save conflict")).to_have_count(0)
    expect(message(page)).to_have_text(f"Saved segment {seg.number}.")
    row = stored(app_server, seg.segment_id).row
    assert row.current == fixed
    assert row.status == "fixed"  # edited after its approval: it needs approval again
    actions = audit_actions(app_server, seg.segment_id)
    assert "conflict" not in actions
    assert actions[:3] == ["unapprove", "edit", "status"]


def test_one_chinese_character_is_flagged_as_one_character(page: Page,
                                                           app_server: Server) -> None:
    article_id, row = expert_segment(app_server)
    source = row["source"]
    at = next(i for i in range(len(source) // 2, len(source))
              if "\u4e00" <= source[i] <= "\u9fff")
    open_workspace(page, article_id)
    go_to(page, row["id"])
    drag_words(page, text_box(page, row["id"], "source"), at, at + 1)
    expect(flag_box(page)).to_contain_text(f"“{source[at]}”")
    page.keyboard.press("m")
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    settle(page)
    flags = [f for f in stored(app_server, row["id"]).flags
             if f.origin == "reviewer" and f.span_in == "source"]
    assert [(f.start, f.end) for f in flags] == [(at, at + 1)]


def test_undo_takes_back_her_own_actions_one_by_one(page: Page, plan: Plan,
                                                    app_server: Server) -> None:
    flagged, first, second = plan.at(13), plan.at(21), plan.at(22)
    word = flagged.text.split()[1]
    bench = workbench(app_server)
    try:  # a flag of the second segment, made before: not on her undo list
        kept = bench.flags.add_flag(SYSTEM_ACTOR, second.segment_id, "Style/Awkward", "Minor")
    finally:
        bench.store.dispose()
    open_workspace(page)
    go_to(page, flagged)
    select_chars(text_box(page, flagged, "target"), flagged.text.index(word),
                 flagged.text.index(word) + len(word))
    card(page, flagged).focus()
    page.keyboard.press("M")
    page.keyboard.press("4")
    page.keyboard.press("Enter")
    settle(page)
    go_to(page, first)
    page.keyboard.press("+")
    settle(page)
    expect(card(page, second)).to_have_count(0)
    page.keyboard.press("r")
    settle(page)
    expect(card(page, first).locator(".rw-kind")).to_have_text("boilerplate")

    page.keyboard.press("u")
    settle(page)
    expect(message(page)).to_have_text(f"Undid the residue mark on segment {first.number}.")
    assert stored(app_server, first.segment_id).row.kind == "body"
    page.keyboard.press("u")
    settle(page)
    expect(message(page)).to_have_text(
        f"Undid the merge of segments {first.number} and {second.number}.")
    texts = current(page).locator("xpath=..").locator(".rw-line-target .rw-text").all_inner_texts()
    assert first.text in texts and second.text in texts
    expect(card(page, second)).to_have_count(1)  # the second segment has its own id again
    assert kept.id in [f.id for f in stored(app_server, second.segment_id).flags]
    assert stored(app_server, first.segment_id).row.mt == first.text
    flags = [f for f in stored(app_server, flagged.segment_id).flags if f.origin == "reviewer"]
    assert len(flags) == 1, "undoing the merge touched the flag on another segment"
    page.keyboard.press("u")
    settle(page)
    expect(message(page)).to_have_text("Undid the Major Fluency/Grammar flag.")
    assert not [f for f in stored(app_server, flagged.segment_id).flags
                if f.origin == "reviewer"]
    page.keyboard.press("u")
    expect(message(page)).to_have_text("Nothing to undo.")


def test_find_keeps_every_typed_character(page: Page, plan: Plan) -> None:
    seg = plan.at(8)
    phrase = "will account"
    open_workspace(page)
    go_to(page, seg)
    page.keyboard.press("f")
    find = page.get_by_role("textbox", name="Find in the MT")
    page.keyboard.type(phrase, delay=60)  # a person's pace
    expect(find).to_have_value(phrase)
    expect(find).to_be_focused()
    expect(page.locator(".rw-find-count")).to_have_text("occurrence 1 of 2")
    page.keyboard.press("Enter")
    assert page.evaluate("getSelection().toString()") == phrase


def test_focus_comes_back_to_the_workspace(page: Page, plan: Plan) -> None:
    seg, after = plan.at(11), plan.at(12)
    open_workspace(page)
    go_to(page, seg)
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_have_count(0)
    page.keyboard.press("j")
    expect(card(page, after)).to_have_class(CURRENT)

    select_article(page, plan.hostile_id)
    expect(page.locator(".rw-seg.rw-current")).to_be_focused(timeout=TIMEOUT_MS)
    before = current(page).get_attribute("data-id")
    page.keyboard.press("j")
    expect(page.get_by_role("listbox")).to_have_count(0)
    expect(current(page)).not_to_have_attribute("data-id", before or "")


def test_expert_annotations_sit_on_their_system_line(page: Page, app_server: Server) -> None:
    article_id, row = expert_segment(app_server)
    systems = [c["system"] for c in row["candidates"]]
    open_workspace(page, article_id)
    seg = go_to(page, row["id"])
    expect(seg.locator(".rw-head")).not_to_contain_text("47 flag")  # experts counted apart
    expect(seg.locator(".rw-expert-count")).to_contain_text("expert")
    expect(text_box(page, row["id"], "target").locator("mark.rw-expert")).not_to_have_count(0)
    groups = seg.locator("details.rw-rater")
    expect(groups.first).not_to_have_attribute("open", "")
    assert seg.locator(".rw-line-cand").count() == min(3, len(systems))
    page.keyboard.press("v")
    expect(seg.locator(".rw-line-cand")).to_have_count(len(systems))
    annotated = next(c for c in row["candidates"]
                     if any(f["on"] == c["system"] for f in row["flags"]))
    expect(text_box(page, row["id"], annotated["system"]).locator("mark")).not_to_have_count(0)
    expect(seg.locator(".rw-flags")).not_to_contain_text("“”")


def test_reviewer_flag_on_a_retranslation_is_highlighted(page: Page,
                                                         app_server: Server) -> None:
    article_id, row = expert_segment(app_server)
    cand = row["candidates"][0]
    word = max(cand["text"].split(), key=len).strip(".,;:")
    start = cand["text"].index(word)
    open_workspace(page, article_id)
    go_to(page, row["id"])
    drag_words(page, text_box(page, row["id"], cand["system"]), start, start + len(word))
    page.keyboard.press("C")  # Critical
    page.keyboard.press("1")
    page.keyboard.type("wrong sense")  # the note comes before the flag is saved
    page.keyboard.press("Enter")
    settle(page)
    expect(message(page)).to_have_text("Flagged: Critical Accuracy/Mistranslation.")
    mark = text_box(page, row["id"], cand["system"]).locator("mark.rw-critical")
    expect(mark.filter(has_text=word)).not_to_have_count(0)
    flag = next(f for f in stored(app_server, row["id"]).flags
                if f.origin == "reviewer" and f.severity == "Critical")
    assert (flag.target, flag.note) == (cand["system"], "wrong sense")


def test_the_workspace_keeps_its_undo_list_when_streamlit_mounts_it_anew(
        page: Page, plan: Plan, app_server: Server) -> None:
    """Streamlit may rebuild the component's host element (after a merge's full redraw,
    or a visit to another page and back): the undo list and the place move with it."""
    seg = plan.at(11)
    word = seg.text.split()[2]
    open_workspace(page)
    go_to(page, seg)
    select_chars(text_box(page, seg, "target"), seg.text.index(word),
                 seg.text.index(word) + len(word))
    card(page, seg).focus()
    page.keyboard.press("M")
    page.keyboard.press("4")
    page.keyboard.press("Enter")
    settle(page)
    assert len([f for f in stored(app_server, seg.segment_id).flags
                if f.origin == "reviewer"]) == 1
    open_page(page, "Library")
    open_page(page, "Review")
    expect(card(page, seg)).to_have_class(CURRENT, timeout=TIMEOUT_MS)
    go_to(page, seg)  # the sidebar link kept the focus: back into the workspace
    page.keyboard.press("u")
    settle(page)
    expect(message(page)).to_have_text(re.compile(r"^Undid the .* flag\.$"))
    assert not [f for f in stored(app_server, seg.segment_id).flags if f.origin == "reviewer"]


def test_approve_and_next_and_the_segment_timer(page: Page, plan: Plan,
                                                app_server: Server) -> None:
    seg, after = plan.at(27), plan.at(28)
    open_workspace(page)
    go_to(page, seg)
    expect(page.locator(".rw-timer")).to_have_text(
        re.compile(rf"^\d+:\d\d on segment {seg.number}$"))
    page.keyboard.press("A")
    expect(card(page, after)).to_have_class(CURRENT)
    settle(page)
    assert stored(app_server, seg.segment_id).row.status == "approved"
    expect(page.locator(".rw-timer")).to_have_text(re.compile(rf"on segment {after.number}$"))
