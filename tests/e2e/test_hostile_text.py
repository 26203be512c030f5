"""Untrusted text stays text: markup, entities and markdown in segments never reach the DOM.

The hostile article (``data/hostile.jsonl``) is imported with the command line before the
server starts. Nothing may open a dialog or log an error, and the diff view, which is built
as HTML, must show the literal markup with no element made from it.
"""

from __future__ import annotations

import re

from tests.e2e.flows import (
    changes_view,
    corrected_box,
    save_text,
    select_article,
    select_segment,
)
from tests.e2e.harness import HOSTILE_TITLE, Plan, Watch
from tests.e2e.helpers import TIMEOUT_MS, Page, choose, expect, goto, selection

SCRIPT = "<script>alert(1)</script> The meeting opened in 2023."
IMG = "<img src=x onerror=alert(2)>"
ENTITIES = "Entities &lt;b&gt; and &amp; stay as typed."
MARKDOWN = "**bold** _x_ [link](javascript:alert(3)) # heading"


def no_markup_from_text(page: Page) -> None:
    """No element was made from the segments' text anywhere on the page."""
    main = page.locator("[data-testid=stMain]")
    expect(main.locator("img")).to_have_count(0)
    expect(main.locator("script")).to_have_count(0)
    expect(page.locator("a[href^='javascript']")).to_have_count(0)
    expect(main.locator("a").filter(has_text="link")).to_have_count(0)
    expect(main.locator("strong, em, b").filter(has_text=re.compile(r"^(bold|x|text)$"))
           ).to_have_count(0)


def test_hostile_text_is_shown_as_text(page: Page, plan: Plan, watch: Watch) -> None:
    goto(page, "/")
    select_article(page, plan.hostile_id)
    expect(selection(page, "Article")).to_have_value(f"{plan.hostile_id} · {HOSTILE_TITLE}")
    main = page.locator("[data-testid=stMain]")

    for text in (SCRIPT, IMG, ENTITIES, MARKDOWN):
        choose(page, "Segment", text[:30])
        expect(corrected_box(page)).to_have_value(re.compile("^" + re.escape(text)))
        shown = main.locator(".diff-box").filter(has_text=text)  # the MT as the page shows it
        expect(shown.first).to_be_visible(timeout=TIMEOUT_MS)
        no_markup_from_text(page)

    # Edit the <img> segment: the diff view then holds both texts, built as HTML.
    seg = plan.segments["hostile"]
    select_segment(page, seg)
    edited = seg.text.replace("arrived in", "reached") + " <b>today</b> &amp; **now**"
    save_text(page, seg, edited)
    diff = changes_view(page)
    expect(diff.locator("ins").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(diff.locator("del").first).to_be_visible()
    expect(diff).to_contain_text(IMG)
    expect(diff).to_contain_text("<b>today</b> &amp; **now**")
    expect(diff.locator("img")).to_have_count(0)
    expect(diff.locator("b, strong")).to_have_count(0)
    no_markup_from_text(page)

    assert not watch.dialogs, f"a script ran: {watch.dialogs}"
    assert not watch.errors, f"the browser logged errors: {watch.errors}"
