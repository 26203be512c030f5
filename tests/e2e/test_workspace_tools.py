"""Find and replace across the article, the concordance, links to a segment, drafts per
person and the room the workspace gets at 1366x768."""

from __future__ import annotations

from tests.e2e.harness import Plan, Server
from tests.e2e.helpers import TIMEOUT_MS, Page, expect, goto, reload
from tests.e2e.workspace_flows import (
    CURRENT,
    card,
    current,
    editor,
    go_to,
    message,
    open_workspace,
    save_text,
    select_chars,
    settle,
    stored,
    text_box,
)


def test_find_and_replace_with_preview_per_match_and_undo(page: Page, plan: Plan,
                                                          app_server: Server) -> None:
    needle = "Yangtze River Delta"
    hits = [s for s in plan.wuzhen if needle in s.text and s.kind in ("title", "body")]
    assert len(hits) >= 3, "the sample should name the delta in several segments"
    open_workspace(page)
    page.keyboard.press("F")
    panel = page.get_by_role("dialog", name="Find and replace")
    panel.get_by_role("textbox", name="Find").fill(needle)
    panel.get_by_role("textbox", name="Replace with").fill("Yangtze Delta")
    boxes = panel.locator(".rw-match input[type=checkbox]")
    total = boxes.count()
    assert total >= len(hits)
    boxes.first.uncheck()  # keep the first occurrence as it is
    panel.get_by_role("button", name="Replace the ticked matches").click()
    settle(page)
    changed = [s for s in hits if stored(app_server, s.segment_id).row.current != s.text]
    assert len(changed) == len(hits) - 1
    assert stored(app_server, hits[0].segment_id).row.current == hits[0].text
    for seg in changed:
        detail = stored(app_server, seg.segment_id)
        assert detail.row.current == seg.text.replace(needle, "Yangtze Delta")
        assert [r.action for r in detail.revisions].count("replace") == 1
    expect(message(page)).to_have_text(f"Replaced in {len(changed)} segments.")

    page.keyboard.press("u")
    settle(page)
    expect(message(page)).to_have_text(f"Undid the replacement in {len(changed)} segments.")
    assert all(stored(app_server, s.segment_id).row.current == s.text for s in hits)


def test_concordance_finds_the_teams_earlier_correction(page: Page, plan: Plan) -> None:
    earlier, later = plan.at(10), plan.at(11)
    phrase = "digital economy"
    assert phrase in earlier.text and phrase in later.text
    open_workspace(page)
    save_text(page, earlier, earlier.text + " Corrected by the team.")
    go_to(page, later)
    box = text_box(page, later, "target")
    select_chars(box, later.text.index(phrase), later.text.index(phrase) + len(phrase))
    card(page, later).focus()
    page.keyboard.press("t")
    settle(page)
    panel = page.get_by_role("dialog", name="Concordance")
    expect(panel).to_contain_text(f"“{phrase}” in the library", timeout=TIMEOUT_MS)
    expect(panel).to_contain_text("Matches for this segment")
    expect(panel.locator(".rw-conc-fix").filter(has_text="Corrected by the team.")
           ).to_have_count(1)
    page.keyboard.press("Escape")
    expect(panel).to_have_count(0)


def test_a_link_opens_the_article_and_segment(page: Page, plan: Plan) -> None:
    seg = plan.at(20)
    goto(page, f"/?article={plan.wuzhen_id}&segment={seg.segment_id}")
    expect(card(page, seg)).to_have_class(CURRENT, timeout=TIMEOUT_MS)
    page.keyboard.press("j")
    following = plan.at(21)
    expect(card(page, following)).to_have_class(CURRENT)
    assert f"segment={following.segment_id}" in page.url
    reload(page)
    expect(card(page, following)).to_have_class(CURRENT, timeout=TIMEOUT_MS)


def test_a_draft_belongs_to_the_person_who_typed_it(page: Page, plan: Plan) -> None:
    seg = plan.at(17)
    open_workspace(page)
    go_to(page, seg)
    page.keyboard.press("Enter")
    editor(page).fill(seg.text + " (my draft)")
    page.keyboard.press("Escape")
    expect(card(page, seg).locator(".rw-unsaved")).to_be_visible()
    # the same browser, another account: its drafts are stored under its own name
    page.evaluate("""() => {
      for (const key of Object.keys(localStorage)) {
        if (!key.startsWith('rw:draft:')) continue;
        const parts = key.split(':');
        parts[2] = encodeURIComponent('someone else');
        localStorage.setItem(parts.join(':'), localStorage.getItem(key));
        localStorage.removeItem(key);
      }
    }""")
    reload(page)
    expect(card(page, seg)).to_be_visible(timeout=TIMEOUT_MS)
    expect(card(page, seg).locator(".rw-unsaved")).to_have_count(0)
    go_to(page, seg)
    page.keyboard.press("Enter")
    expect(editor(page)).to_have_value(seg.text)


def test_the_work_gets_most_of_a_1366x768_screen(page: Page, plan: Plan) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    open_workspace(page)
    doc = page.locator(".rw-doc").bounding_box()
    assert doc is not None and doc["height"] >= 0.7 * 768, doc
    go_to(page, plan.at(8))
    box = text_box(page, plan.at(8), "target")
    select_chars(box, 0, 5)
    card(page, plan.at(8)).focus()
    page.keyboard.press("M")
    pop = page.locator(".rw-pop[role=dialog]").bounding_box()
    assert pop is not None and pop["y"] >= 0 and pop["y"] + pop["height"] <= 768, pop
    page.keyboard.press("Escape")
    expect(current(page)).to_be_visible()
