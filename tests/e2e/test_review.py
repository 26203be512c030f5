"""The Review page in a browser: open, edit, grid editing, flags, suggestions, history."""

from __future__ import annotations

import re

from tests.e2e.flows import (
    changes_view,
    corrected_box,
    save_text,
    select_article,
    select_segment,
)
from tests.e2e.harness import Plan
from tests.e2e.helpers import (
    TIMEOUT_MS,
    Page,
    choose,
    edit_grid_cell,
    expect,
    flash_success,
    goto,
    grid_cell,
    heading,
    metric_value,
    reload,
    rerun,
    selection,
    tab,
    widget,
)

GRID_CORRECTED = 4  # "#", "Kind", "MT", "Retranslation", "Corrected", ...


def test_open_sample_article(page: Page, plan: Plan) -> None:
    goto(page, "/")
    expect(heading(page)).to_have_text("Review")
    expect(selection(page, "Article")).to_have_value(re.compile(r"^\d+ · .*Wuzhen"))
    expect(page.locator("[data-testid=stDataFrame]")).to_have_count(1)
    seg = plan.segments["edit"]
    select_segment(page, seg)
    expect(corrected_box(page)).to_have_value(seg.text)
    expect(page.get_by_text("Machine translation", exact=True)).to_be_visible()


def test_edit_save_diff_score_and_reload(page: Page, plan: Plan) -> None:
    seg = plan.segments["edit"]
    goto(page, "/")
    select_segment(page, seg)
    before = metric_value(page, "chrF (segment)")
    words = seg.text.split()
    edited = " ".join(["Indeed,", *words[:-1], "reviewed", words[-1]])
    save_text(page, seg, edited)

    diff = changes_view(page)
    expect(diff.locator("ins").first).to_contain_text("Indeed", timeout=TIMEOUT_MS)
    expect(diff.locator("ins").filter(has_text="reviewed")).to_have_count(1)
    after = metric_value(page, "chrF (segment)")
    assert after != before, f"the segment score stayed {before} after the edit"

    reload(page)
    select_segment(page, seg, text=edited)
    expect(corrected_box(page)).to_have_value(edited, timeout=TIMEOUT_MS)
    expect(changes_view(page).locator("ins").first).to_contain_text("Indeed")
    assert metric_value(page, "chrF (segment)") == after


def test_edit_in_grid(page: Page, plan: Plan) -> None:
    seg = plan.segments["grid"]
    goto(page, "/")
    grid = page.locator("[data-testid=stDataFrame]")
    row = seg.position  # every row is listed, in position order
    expect(grid_cell(grid, 0, row)).to_have_text(str(seg.number), timeout=TIMEOUT_MS)
    edited = seg.text + " (checked in the grid)"
    edit_grid_cell(page, grid, GRID_CORRECTED, row, edited)
    expect(grid_cell(grid, GRID_CORRECTED, row)).to_have_text(edited, timeout=TIMEOUT_MS)
    # Saved for real: a new session reads it back from the database.
    reload(page)
    select_segment(page, seg, text=edited)
    expect(corrected_box(page)).to_have_value(edited, timeout=TIMEOUT_MS)
    expect(changes_view(page).locator("ins")).to_contain_text("checked in the grid")


def test_flag_with_category_severity_and_span(page: Page, plan: Plan) -> None:
    seg = plan.segments["flag"]
    goto(page, "/")
    select_segment(page, seg)
    form = tab(page, "Flags").locator("[data-testid=stForm]")
    span = " ".join(seg.text.split()[1:3])
    choose(page, "MQM category", "Accuracy/Mistranslation", scope=form, in_form=True)
    choose(page, "Severity", re.compile("^Major$"), typed="Major", scope=form, in_form=True)
    widget(page, "stTextInput", "Span (copy the erroneous words; empty = whole segment)",
           scope=form).locator("input").fill(span)
    widget(page, "stTextInput", "Note", scope=form).locator("input").fill("seen in a browser")
    with rerun(page):
        form.get_by_role("button", name="Add flag", exact=True).click()
    flash_success(page, "Flag added.")
    entry = tab(page, "Flags").locator("[data-testid=stHorizontalBlock]").filter(
        has_text="Accuracy/Mistranslation").filter(has_text="seen in a browser")
    expect(entry).to_have_count(1, timeout=TIMEOUT_MS)
    expect(entry).to_contain_text("Major")
    expect(entry).to_contain_text(f"“{span}”")
    expect(entry).to_contain_text("confirmed")
    mark = page.locator(".diff-box mark").filter(has_text=span)
    expect(mark.first).to_have_attribute("title", "Major Accuracy/Mistranslation")


def test_confirm_and_dismiss_suggested_flags(page: Page, plan: Plan) -> None:
    assert plan.suggested, "the QA checks suggested no flag on the imported articles"
    first, count = plan.suggested[0]
    if count >= 2:
        targets = [(first, "Confirm"), (first, "Dismiss")]
    else:
        assert len(plan.suggested) >= 2, "this test needs two suggested flags"
        targets = [(first, "Confirm"), (plan.suggested[1][0], "Dismiss")]
    goto(page, "/")
    for seg, action in targets:
        select_article(page, seg.article_id)
        select_segment(page, seg)
        rows = tab(page, "Flags").locator("[data-testid=stHorizontalBlock]").filter(
            has_text="suggested by")
        row = rows.filter(has_text=" · open · ").first
        expect(row).to_be_visible(timeout=TIMEOUT_MS)
        described = row.locator("[data-testid=stMarkdownContainer]").first.inner_text()
        with rerun(page):
            row.get_by_role("button", name=action, exact=True).click()
        state = "confirmed" if action == "Confirm" else "dismissed"
        decided = tab(page, "Flags").locator("[data-testid=stHorizontalBlock]").filter(
            has_text=described.replace(" · open · ", f" · {state} · "))
        expect(decided).to_have_count(1, timeout=TIMEOUT_MS)
        expect(decided.get_by_role("button", name=action, exact=True)).to_have_count(0)


def test_restore_earlier_revision(page: Page, plan: Plan) -> None:
    seg = plan.segments["restore"]
    goto(page, "/")
    select_segment(page, seg)
    first = "First draft: " + seg.text
    second = "Second draft, later replaced."
    save_text(page, seg, first)
    save_text(page, seg, second)
    revision = tab(page, "History").locator("[data-testid=stHorizontalBlock]").filter(
        has=page.get_by_text(first, exact=True))
    expect(revision).to_have_count(1, timeout=TIMEOUT_MS)
    with rerun(page):
        revision.get_by_role("button", name="Restore", exact=True).click()
    flash_success(page, "Restored version")
    expect(changes_view(page).locator("ins").first).to_contain_text("First draft")
    expect(corrected_box(page)).to_have_value(first, timeout=TIMEOUT_MS)
