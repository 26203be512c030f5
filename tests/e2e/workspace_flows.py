"""Actions in the reviewer workspace: find a segment card, move, type, drag over words, and
wait until every event sent to the server has been answered."""

from __future__ import annotations

import re

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.store import open_store
from review.services import Workbench
from tests.e2e.flows import select_article
from tests.e2e.harness import Seg, Server
from tests.e2e.helpers import TIMEOUT_MS, Locator, Page, expect, goto, wait_idle

ROOT = ".rw-root"
CURRENT = re.compile(r"\brw-current\b")

# Where the characters start..end of a text box are on screen (skipping deleted diff text).
_RECTS = """(box, [start, end]) => {
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  let pos = 0, a = null, b = null;
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (t.parentElement.closest('[data-skip]')) continue;
    const len = t.textContent.length;
    if (!a && start < pos + len) a = [t, start - pos];
    if (!b && end <= pos + len) { b = [t, end - pos]; break; }
    pos += len;
  }
  const one = (node, from) => { const r = document.createRange();
    r.setStart(node, from); r.setEnd(node, from + 1); return r.getBoundingClientRect(); };
  const first = one(a[0], a[1]), last = one(b[0], b[1] - 1);
  return [first.left + 2, first.top + first.height / 2, last.right - 2,
          last.top + last.height / 2];
}"""


def open_workspace(page: Page, article_id: int | None = None) -> None:
    goto(page, "/")
    if article_id is not None:
        select_article(page, article_id)
    expect(page.locator(".rw-seg").first).to_be_visible(timeout=TIMEOUT_MS)


def card(page: Page, seg: Seg | int) -> Locator:
    segment_id = seg if isinstance(seg, int) else seg.segment_id
    return page.locator(f".rw-seg[data-id='{segment_id}']")


def current(page: Page) -> Locator:
    return page.locator(".rw-seg.rw-current")


def go_to(page: Page, seg: Seg | int) -> Locator:
    """Make the segment current with a click on its header (no server round trip)."""
    target = card(page, seg)
    target.locator(".rw-head").click()
    expect(target).to_have_class(CURRENT, timeout=TIMEOUT_MS)
    return target


def text_box(page: Page, seg: Seg | int, field: str) -> Locator:
    return card(page, seg).locator(f".rw-text[data-field='{field}']")


def editor(page: Page) -> Locator:
    return current(page).locator("textarea.rw-editor")


def settle(page: Page) -> None:
    """Wait until every event sent to the server has its answer, and the page is idle."""
    expect(page.locator(ROOT)).to_have_attribute("data-pending", "0", timeout=TIMEOUT_MS)
    wait_idle(page)


def message(page: Page) -> Locator:
    return page.locator(".rw-bar .rw-msg")


def drag_words(page: Page, box: Locator, start: int, end: int) -> None:
    """Drag the mouse from character ``start`` to character ``end - 1`` of ``box``."""
    box.scroll_into_view_if_needed()
    x1, y1, x2, y2 = box.evaluate(_RECTS, [start, end])
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move((x1 + x2) / 2, (y1 + y2) / 2, steps=3)
    page.mouse.move(x2, y2, steps=3)
    page.mouse.up()


_SELECT = """(box, [start, end]) => {
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let pos = 0, started = false;
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (t.parentElement.closest('[data-skip]')) continue;
    const len = t.textContent.length;
    if (!started && start < pos + len) { range.setStart(t, start - pos); started = true; }
    if (started && end <= pos + len) { range.setEnd(t, end - pos); break; }
    pos += len;
  }
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}"""


def select_chars(box: Locator, start: int, end: int) -> None:
    """Select characters start..end of a text box the way a keyboard selection would."""
    box.evaluate(_SELECT, [start, end])


def flag_box(page: Page) -> Locator:
    return page.locator(".rw-pop[role=dialog]")


def save_text(page: Page, seg: Seg, text: str) -> None:
    """Open the segment, type ``text`` as its correction, save with Ctrl+Enter."""
    go_to(page, seg)
    page.keyboard.press("Enter")
    editor(page).fill(text)
    page.keyboard.press("Control+Enter")
    settle(page)
    expect(message(page)).to_have_text(f"Saved segment {seg.number}.")


def workbench(server: Server) -> Workbench:
    """The server's database, read directly to check what the page stored."""
    return Workbench(open_store(server.db_url))


def stored(server: Server, segment_id: int):  # noqa: ANN201 - SegmentDetail
    bench = workbench(server)
    try:
        return bench.reading.segment(SYSTEM_ACTOR, segment_id)
    finally:
        bench.store.dispose()


def expert_segment(server: Server) -> tuple[int, dict]:
    """A WMT segment with imported rater annotations on several systems: its article and row."""
    bench = workbench(server)
    try:
        wmt = next(a for a in bench.reading.summaries(SYSTEM_ACTOR) if a.mt_system)
        rows = bench.workspace.workspace_rows(SYSTEM_ACTOR, wmt.id)
    finally:
        bench.store.dispose()
    row = max(rows, key=lambda r: (len(r["candidates"]),
                                   sum(f["origin"] == "import" for f in r["flags"])))
    return wmt.id, row


def audit_actions(server: Server, segment_id: int) -> list[str]:
    bench = workbench(server)
    try:
        return [e.action for e in bench.library.audit_trail(SYSTEM_ACTOR, segment_id=segment_id)]
    finally:
        bench.store.dispose()
