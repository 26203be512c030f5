"""Untrusted text stays text: markup, entities, markdown, bidi controls and very long lines
in segments never become elements, scripts or links in the workspace or the details.

The hostile article (``data/hostile.jsonl``) is imported with the command line before the
server starts. Nothing may open a dialog or log an error.
"""

from __future__ import annotations

import re

from tests.e2e.flows import changes_view, select_article
from tests.e2e.harness import HOSTILE_TITLE, Plan, Server, Watch
from tests.e2e.helpers import TIMEOUT_MS, Page, expect, goto, selection
from tests.e2e.workspace_flows import card, editor, go_to, message, settle, stored

SCRIPT = "<script>alert(1)</script> The meeting opened in 2023."
IMG = "<img src=x onerror=alert(2)>"
ENTITIES = "Entities &lt;b&gt; and &amp; stay as typed."
MARKDOWN = "**bold** _x_ [link](javascript:alert(3)) # heading"
BIDI = "Bidi \u202egnirts desrever\u202c and \u2067isolate\u2069 controls stay text."


def no_markup_from_text(page: Page) -> None:
    """No element was made from the segments' text anywhere on the page."""
    main = page.locator("[data-testid=stMain]")
    expect(main.locator("img")).to_have_count(0)
    expect(main.locator("script")).to_have_count(0)
    expect(page.locator("a[href^='javascript']")).to_have_count(0)
    expect(main.locator("a").filter(has_text="link")).to_have_count(0)
    expect(main.locator("strong, em, b").filter(has_text=re.compile(r"^(bold|x|text|today)$"))
           ).to_have_count(0)


def test_hostile_text_is_shown_as_text(page: Page, plan: Plan, app_server: Server,
                                       watch: Watch) -> None:
    goto(page, "/")
    select_article(page, plan.hostile_id)
    expect(selection(page, "Article")).to_have_value(f"{plan.hostile_id} · {HOSTILE_TITLE}")
    mts = page.locator(".rw-text[data-field=target]")
    for text in (SCRIPT, IMG, ENTITIES, MARKDOWN, BIDI):
        expect(mts.filter(has_text=text).first).to_be_visible(timeout=TIMEOUT_MS)
    long_line = mts.filter(has_text="Long line:")
    expect(long_line).to_have_count(1)
    box = long_line.bounding_box()
    assert box and box["width"] <= page.viewport_size["width"], "a long line widened the page"
    no_markup_from_text(page)

    seg = plan.segments["hostile"]
    go_to(page, seg)
    page.keyboard.press("Enter")
    edited = seg.text.replace("arrived in", "reached") + " <b>today</b> &amp; **now**"
    editor(page).fill(edited)
    page.keyboard.press("Control+Enter")
    settle(page)
    expect(message(page)).to_have_text(f"Saved segment {seg.number}.")
    expect(card(page, seg).locator(".rw-text[data-field=corrected]")).to_have_text(edited)
    assert stored(app_server, seg.segment_id).row.current == edited

    go_to(page, seg)
    page.keyboard.press("h")
    settle(page)
    diff = changes_view(page)
    expect(diff.locator("ins").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(diff).to_contain_text(IMG)
    expect(diff).to_contain_text("<b>today</b> &amp; **now**")
    expect(diff.locator("img")).to_have_count(0)
    expect(diff.locator("b, strong")).to_have_count(0)
    no_markup_from_text(page)

    assert not watch.dialogs, f"a script ran: {watch.dialogs}"
    assert not watch.errors, f"the browser logged errors: {watch.errors}"
