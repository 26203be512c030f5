"""Attention checks in a browser, on the My queue page: in loud mode a reviewer misses a
check, is told, and catches it on the retry; in silent mode a reviewer misses one check
without being told and catches the next. Runs on a server with a database of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.store import Store
from review.services import Workbench
from tests.e2e.conftest import fresh_copy, new_page
from tests.e2e.flows import log_in
from tests.e2e.harness import Server, Watch, start_server
from tests.e2e.helpers import (
    TIMEOUT_MS,
    Page,
    click_button,
    expect,
    flash_success,
    heading,
    open_page,
    rerun,
    widget,
)

PASSWORD = "reviewer-pass-1"


@pytest.fixture(scope="module")
def checks_server(seeded_db: Path, e2e_dir: Path) -> Iterator[tuple[Server, dict]]:
    folder = e2e_dir / "checks"
    db_url = fresh_copy(seeded_db, folder, "checks.db")
    store = Store(db_url)
    bench = Workbench(store)
    checks = {}
    for name, mode in (("rita", "loud"), ("omar", "silent")):
        bench.accounts.add_user(SYSTEM_ACTOR, name, "reviewer", PASSWORD)
        assignment = bench.assignments.assign(SYSTEM_ACTOR, 1, name, first=1, last=8)
        bench.attention.set_attention_checks(SYSTEM_ACTOR, assignment.id, 0.5 if mode == "silent"
                                   else 0.2, mode)
        checks[name] = (assignment.id, bench.attention.attention_checks(SYSTEM_ACTOR,
                                                                        assignment.id))
    store.dispose()
    server = start_server(folder, db_url)
    yield server, checks
    server.stop()


def _log_in(page: Page, name: str) -> None:
    log_in(page, name, PASSWORD)
    open_page(page, "My queue")
    expect(heading(page)).to_have_text("My queue", timeout=TIMEOUT_MS)


def _walk_to(page: Page, texts: list[str]) -> str:
    """Press Next until one of ``texts`` is shown; returns it."""
    for _ in range(40):
        shown = page.locator("[data-testid=stMain] [data-testid=stText]").all_inner_texts()
        found = [t for t in texts if t in shown]
        if found:
            return found[0]
        click_button(page, "Next")
    raise AssertionError("the check never came up in the queue")


def _flag(page: Page, span: str) -> None:
    form = page.locator("[data-testid=stMain] [data-testid=stForm]")
    widget(page, "stTextInput", "Error span (copy it from the translation)",
           scope=form).locator("input").fill(span)
    with rerun(page):
        form.get_by_role("button", name="Add flag", exact=True).click()
    flash_success(page, "Flag added.")


def _check_texts(server: Server, assignment_id: int) -> dict[str, str]:
    """Each check's text as shown -> the span that catches it."""
    store = Store(server.db_url)
    try:
        return {c.text: c.span_text
                for c in Workbench(store).attention.attention_checks(SYSTEM_ACTOR, assignment_id)}
    finally:
        store.dispose()


def _results(server: Server, assignment_id: int) -> list[tuple[str, bool]]:
    store = Store(server.db_url)
    try:
        return [(c.result, c.retry_passed)
                for c in Workbench(store).attention.attention_checks(SYSTEM_ACTOR, assignment_id)]
    finally:
        store.dispose()


def test_loud_check_missed_then_caught(browser, checks_server) -> None:  # noqa: ANN001
    server, checks = checks_server
    assignment_id, _ = checks["rita"]
    spans = _check_texts(server, assignment_id)
    watch = Watch()
    context, page = new_page(browser, server, watch)
    try:
        _log_in(page, "rita")
        text = _walk_to(page, list(spans))
        click_button(page, "Next")  # moved on without a flag: a miss, told at once
        warning = page.locator("[data-testid=stAlertContentWarning]")
        expect(warning).to_contain_text("attention check", timeout=TIMEOUT_MS)
        shown = page.locator("[data-testid=stMain] [data-testid=stText]").all_inner_texts()
        assert text in shown  # still on the same item: a retry
        _flag(page, spans[text])
        click_button(page, "Next")
        flash_success(page, "You found the error on the second look.")
    finally:
        context.close()
    assert ("missed", True) in _results(server, assignment_id)


def test_silent_check_missed_then_caught(browser, checks_server) -> None:  # noqa: ANN001
    server, checks = checks_server
    assignment_id, _ = checks["omar"]
    spans = _check_texts(server, assignment_id)
    assert len(spans) >= 2
    watch = Watch()
    context, page = new_page(browser, server, watch)
    try:
        _log_in(page, "omar")
        first = _walk_to(page, list(spans))
        click_button(page, "Next")  # missed, and nothing is said
        expect(page.locator("[data-testid=stAlertContentWarning]")).to_have_count(0)
        second = _walk_to(page, [t for t in spans if t != first])
        _flag(page, spans[second])
        click_button(page, "Next")
        expect(page.locator("[data-testid=stAlertContentWarning]")).to_have_count(0)
    finally:
        context.close()
    results = [r for r, _ in _results(server, assignment_id)]
    assert "missed" in results and "passed" in results
