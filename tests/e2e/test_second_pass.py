"""The Second pass page in a browser: the second reviewer sees the first reviewer's
correction as a word diff and their flags read-only, and edits their own flag. Runs on a
server with a database of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from review.accounts.permissions import SYSTEM_ACTOR, Actor
from review.db.models import Flag
from review.db.store import Store
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench
from tests.e2e.conftest import fresh_copy, new_page
from tests.e2e.flows import log_in
from tests.e2e.harness import Server, Watch, start_server
from tests.e2e.helpers import (
    TIMEOUT_MS,
    Page,
    choose,
    expect,
    flash_success,
    open_page,
    rerun,
    widget,
)

PASSWORD = "reviewer-pass-1"
MT = "Playing a game of chess together is not allowed in May."
CORRECTED = "Playing chess together is forbidden in May."


@pytest.fixture(scope="module")
def second_server(seeded_db: Path, e2e_dir: Path) -> Iterator[tuple[Server, int]]:
    """Rita corrected and flagged one segment; Omar has the second pass and one flag."""
    folder = e2e_dir / "second"
    db_url = fresh_copy(seeded_db, folder, "second.db")
    store = Store(db_url)
    bench = Workbench(store)
    people = {name: Actor(name, "reviewer", bench.accounts.add_user(
        SYSTEM_ACTOR, name, "reviewer", PASSWORD).id) for name in ("rita", "omar")}
    [article] = bench.imports.import_articles(SYSTEM_ACTOR, [DocArticle(
        title="Chess", source_lang="zh", target_lang="en",
        segments=[DocSegment(mt="Playing chess", kind="title"), DocSegment(mt=MT)])]).articles
    bench.assignments.assign(SYSTEM_ACTOR, article.id, "rita")
    title, body = bench.reading.article(SYSTEM_ACTOR, article.id).rows
    bench.editing.set_status(people["rita"], title.id, "fixed", title.version)
    bench.flags.add_flag(people["rita"], body.id, "Style/Awkward", "Minor", span="a game of",
                         note="wordy")
    fresh = bench.reading.segment(SYSTEM_ACTOR, body.id).row
    bench.editing.save_segment(people["rita"], body.id, CORRECTED, fresh.version)
    bench.second_pass.assign_second_pass(SYSTEM_ACTOR, article.id, "omar")
    own = bench.second_pass.add_missing_flag(people["omar"], body.id, "Accuracy/Omission",
                                             "Minor", start=0, end=7)
    store.dispose()
    server = start_server(folder, db_url)
    yield server, own.id
    server.stop()


def _flag(server: Server, flag_id: int) -> tuple[str, str]:
    store = Store(server.db_url)
    try:
        with store.read() as session:
            flag = session.get(Flag, flag_id)
            assert flag is not None
            return flag.severity, flag.note
    finally:
        store.dispose()


def test_second_reviewer_sees_the_diff_and_edits_their_own_flag(
        browser, second_server) -> None:  # noqa: ANN001
    server, own = second_server
    watch = Watch()
    context, page = new_page(browser, server, watch)
    try:
        _check_and_edit(page, server, own)
    finally:
        context.close()
    server.check_alive()


def _check_and_edit(page: Page, server: Server, own: int) -> None:
    log_in(page, "omar", PASSWORD)
    open_page(page, "Second pass")
    diff = page.locator("[data-testid=diff-view]").first
    expect(diff.locator("del.diff-del").first).to_have_text(" a game of", timeout=TIMEOUT_MS)
    expect(diff.locator("ins.diff-ins")).to_have_text("forbidden")
    main = page.locator("[data-testid=stMain]")
    expect(main.get_by_text("Style/Awkward (Minor) on “a game of” by rita: wordy")).to_be_visible()
    expect(main.get_by_role("button", name="Delete flag")).to_have_count(1)  # Omar's only
    form = main.locator("[data-testid=stForm]").filter(
        has=page.get_by_role("button", name="Save flag"))
    choose(page, "Severity", "Major", scope=form, in_form=True)
    widget(page, "stTextInput", "Note", scope=form).locator("input").fill("a word is missing")
    with rerun(page):
        form.get_by_role("button", name="Save flag", exact=True).click()
    flash_success(page, "Flag on segment 2 saved.")
    assert _flag(server, own) == ("Major", "a word is missing")
