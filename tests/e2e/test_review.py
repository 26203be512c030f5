"""The Review page in a browser: open, edit with scores and diff, flags by mouse, suggestions,
history and restore."""

from __future__ import annotations

import re

from tests.e2e.flows import changes_view, select_article
from tests.e2e.harness import Plan, Server
from tests.e2e.helpers import (
    TIMEOUT_MS,
    Page,
    expect,
    flash_success,
    heading,
    metric_value,
    reload,
    rerun,
    selection,
    tab,
)
from tests.e2e.workspace_flows import (
    card,
    drag_words,
    flag_box,
    go_to,
    message,
    open_workspace,
    save_text,
    settle,
    stored,
    text_box,
)


def show_details(page: Page, seg) -> None:  # noqa: ANN001
    go_to(page, seg)
    page.keyboard.press("h")
    settle(page)
    expect(page.get_by_role("heading", name=f"Segment {seg.number}: history and scores")
           ).to_be_visible(timeout=TIMEOUT_MS)


def test_open_sample_article(page: Page, plan: Plan) -> None:
    open_workspace(page)
    expect(heading(page)).to_have_text("Review")
    expect(selection(page, "Article")).to_have_value(re.compile(r"^\d+ · .*Wuzhen"))
    expect(page.locator("[data-testid=stDataFrame]")).to_have_count(0)
    seg = plan.segments["edit"]
    go_to(page, seg)
    expect(text_box(page, seg, "corrected")).to_have_text(seg.text)
    expect(card(page, seg).locator(".rw-label").filter(has_text=re.compile(r"^MT$"))
           ).to_have_count(1)


def test_edit_save_diff_score_and_reload(page: Page, plan: Plan) -> None:
    seg = plan.segments["edit"]
    open_workspace(page)
    show_details(page, seg)
    before = metric_value(page, "chrF (segment)")
    words = seg.text.split()
    edited = " ".join(["Indeed,", *words[:-1], "reviewed", words[-1]])
    save_text(page, seg, edited)
    show_details(page, seg)
    diff = changes_view(page)
    expect(diff.locator("ins").first).to_contain_text("Indeed", timeout=TIMEOUT_MS)
    expect(diff.locator("ins").filter(has_text="reviewed")).to_have_count(1)
    after = metric_value(page, "chrF (segment)")
    assert after != before, f"the segment score stayed {before} after the edit"

    reload(page)
    expect(text_box(page, seg, "corrected")).to_have_text(edited, timeout=TIMEOUT_MS)
    show_details(page, seg)
    expect(changes_view(page).locator("ins").first).to_contain_text("Indeed")
    assert metric_value(page, "chrF (segment)") == after


def test_flag_by_mouse_with_any_category_and_a_note(page: Page, plan: Plan,
                                                    app_server: Server) -> None:
    seg = plan.segments["flag"]
    span = " ".join(seg.text.split()[1:3])
    start = seg.text.index(span)
    open_workspace(page)
    go_to(page, seg)
    drag_words(page, text_box(page, seg, "target"), start, start + len(span))
    box = flag_box(page)
    box.get_by_role("combobox", name="All MQM categories").select_option(
        "Terminology/Inconsistent use")
    box.get_by_role("textbox", name="Note").fill("seen in a browser")
    box.get_by_role("button", name="Major severity, key M").click()
    box.get_by_role("button", name="Save the flag (Enter)").click()  # nothing saved before
    settle(page)
    expect(message(page)).to_have_text("Flagged: Major Terminology/Inconsistent use.")
    entry = card(page, seg).locator(".rw-flag").filter(has_text="seen in a browser")
    expect(entry).to_contain_text("Major")
    expect(entry).to_contain_text(f"“{span}”")
    expect(entry).to_contain_text("confirmed")
    mark = text_box(page, seg, "target").locator("mark").filter(has_text=span)
    expect(mark.first).to_have_attribute("title", re.compile(
        r"^Major · Terminology/Inconsistent use · confirmed"))
    flag = next(f for f in stored(app_server, seg.segment_id).flags if f.note)
    assert (flag.start, flag.end) == (start, start + len(span))


def test_confirm_and_dismiss_suggested_flags(page: Page, plan: Plan) -> None:
    assert plan.suggested, "the QA checks suggested no flag on the imported articles"
    first, count = plan.suggested[0]
    if count >= 2:
        targets = [(first, "Confirm"), (first, "Dismiss")]
    else:
        assert len(plan.suggested) >= 2, "this test needs two suggested flags"
        targets = [(first, "Confirm"), (plan.suggested[1][0], "Dismiss")]
    open_workspace(page)
    for seg, action in targets:
        select_article(page, seg.article_id)
        go_to(page, seg)
        row = card(page, seg).locator(".rw-flag").filter(has_text="suggested by").filter(
            has=page.get_by_role("button", name=f"{action} this suggestion", exact=False)).first
        expect(row).to_be_visible(timeout=TIMEOUT_MS)
        flag_id = row.get_attribute("data-flag")
        row.get_by_role("button", name=re.compile(f"^{action} this suggestion")).click()
        settle(page)
        state = "confirmed" if action == "Confirm" else "dismissed"
        decided = card(page, seg).locator(f".rw-flag[data-flag='{flag_id}']")
        expect(decided).to_contain_text(state)
        expect(decided.get_by_role("button", name=re.compile(f"^{action}"))).to_have_count(0)


def test_restore_earlier_revision(page: Page, plan: Plan) -> None:
    seg = plan.segments["restore"]
    open_workspace(page)
    first = "First draft: " + seg.text
    second = "Second draft, later replaced."
    save_text(page, seg, first)
    save_text(page, seg, second)
    show_details(page, seg)
    revision = tab(page, "History").locator("[data-testid=stHorizontalBlock]").filter(
        has=page.get_by_text(first, exact=True))
    expect(revision).to_have_count(1, timeout=TIMEOUT_MS)
    with rerun(page):
        revision.get_by_role("button", name="Restore").click()
    flash_success(page, "Restored version")
    expect(changes_view(page).locator("ins").first).to_contain_text("First draft")
    expect(text_box(page, seg, "corrected")).to_have_text(first, timeout=TIMEOUT_MS)
