"""Screenshots of the quality-control views for the README: the Quality, Team, Audit,
My queue and Second pass pages and the Dashboard's Reviewers and Systems tabs.

They need a team at work, so this module's server runs on a database of its own where
``quality_story`` has written a week of reviewing (accounts, assignments with attention
checks, a second pass, a quality profile). Written only when REVIEW_SCREENSHOTS names a
folder, like the other screenshots; otherwise skipped before anything is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import fresh_copy, new_page
from tests.e2e.flows import log_in, visible_charts
from tests.e2e.harness import Server, Watch, start_server
from tests.e2e.helpers import (
    TIMEOUT_MS,
    Locator,
    Page,
    choose,
    click_button,
    expect,
    flash_success,
    full_page_screenshot,
    open_page,
    rerun,
    settle_visuals,
    tab,
    wait_idle,
    widget,
)
from tests.e2e.quality_story import PASSWORDS, Story, build_story

WIDTH = 1366
"""The README's screenshots are all as wide as a common laptop screen."""

Opener = Callable[[str], Page]


@pytest.fixture(scope="module")
def team_server(screenshots_dir: Path, seeded_db: Path,
                e2e_dir: Path) -> Iterator[tuple[Server, Story]]:
    """The samples plus the team's week, served by a server of this module's own."""
    folder = e2e_dir / "quality"
    db_url = fresh_copy(seeded_db, folder, "quality.db")
    story = build_story(db_url)
    server = start_server(folder, db_url)
    yield server, story
    server.stop()


@pytest.fixture
def open_as(browser, team_server: tuple[Server, Story]) -> Iterator[Opener]:  # noqa: ANN001
    """Opens a browser session logged in as the named account (each its own context)."""
    server, _ = team_server
    watch = Watch()
    contexts = []

    def open_session(name: str) -> Page:
        context, page = new_page(browser, server, watch)
        contexts.append(context)
        page.set_viewport_size({"width": WIDTH, "height": 900})
        log_in(page, name, PASSWORDS[name])
        return page

    yield open_session
    for context in contexts:
        context.close()
    server.check_alive()
    assert not watch.dialogs, f"the page opened dialogs: {watch.dialogs}"


def shot(page: Page, path: Path, *, full: bool = True, until: Locator | None = None) -> None:
    """The main area as shown, or the whole page when ``full``, or the page down to the end
    of ``until``; the pointer off the sidebar and no widget focused."""
    page.mouse.move(WIDTH - 20, 10)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    if until is None and full:
        full_page_screenshot(page, str(path))
        return
    if until is not None:
        height = page.evaluate(
            "() => document.querySelector('[data-testid=stMain]').scrollHeight")
        page.set_viewport_size({"width": WIDTH, "height": int(height)})
    wait_idle(page)
    settle_visuals(page)
    if until is None:
        page.screenshot(path=str(path))
        return
    box = until.bounding_box()
    assert box, "the part to show is not on the page"
    page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": WIDTH,
                                          "height": box["y"] + box["height"] + 12})


def pick_in_sidebar(page: Page, label: str, options: list[str]) -> None:
    """Add ``options`` (the start of each one's text) to the sidebar's multiselect."""
    box = widget(page, "stMultiSelect", label, scope=page.locator("[data-testid=stSidebar]"))
    for option in options:
        field = box.locator("input")
        field.click()
        field.fill(option)
        with rerun(page):
            page.locator("[role=option]").filter(has_text=option).first.click()
        page.keyboard.press("Escape")
    expect(box.locator("[data-tag]")).to_have_count(len(options), timeout=TIMEOUT_MS)


def test_quality_page_screenshots(screenshots_dir: Path, open_as: Opener) -> None:
    page = open_as("lena")
    open_page(page, "Quality", "Quality control")
    choose(page, "Assignment", "rita · ")
    panel = tab(page, "Attention checks")
    expect(panel.locator("[data-testid=stDataFrame]")).to_have_count(2, timeout=TIMEOUT_MS)
    shot(page, screenshots_dir / "quality-checks.png")

    page.set_viewport_size({"width": WIDTH, "height": 900})
    panel = tab(page, "Second pass")
    expect(panel.locator("[data-testid=stDataFrame]")).to_have_count(2, timeout=TIMEOUT_MS)
    shot(page, screenshots_dir / "quality-second-pass.png")

    page.set_viewport_size({"width": WIDTH, "height": 900})
    panel = tab(page, "Verdicts")
    expect(panel.locator("[data-testid=stDataFrame]")).to_have_count(1, timeout=TIMEOUT_MS)
    shot(page, screenshots_dir / "quality-verdicts.png")


def test_team_page_screenshots(screenshots_dir: Path, open_as: Opener) -> None:
    page = open_as("lena")
    open_page(page, "Team")
    panel = tab(page, "Invite")
    widget(page, "stTextInput", "New reviewer's name", scope=panel).locator("input").fill(
        "noor")
    page.keyboard.press("Enter")
    click_button(page, "Make invitation link", scope=panel)
    flash_success(page, "Invitation for noor")
    shot(page, screenshots_dir / "team-invite.png", full=False)

    panel = tab(page, "Progress")
    expect(panel.locator("[data-testid=stDataFrame]")).to_have_count(1, timeout=TIMEOUT_MS)
    shot(page, screenshots_dir / "team-progress.png", full=False)


def test_audit_page_screenshot(screenshots_dir: Path, open_as: Opener) -> None:
    page = open_as("lena")
    open_page(page, "Audit", "Audit trail")
    choose(page, "Who", "omar")
    expect(page.locator("[data-testid=stDataFrame]")).to_have_count(1, timeout=TIMEOUT_MS)
    shot(page, screenshots_dir / "audit.png", full=False)


def test_queue_page_screenshot(screenshots_dir: Path, open_as: Opener,
                               team_server: tuple[Server, Story]) -> None:
    page = open_as("sana")
    open_page(page, "My queue")
    for _ in range(team_server[1].sana_done):  # on to the first item she has not seen
        click_button(page, "Next")
    shot(page, screenshots_dir / "my-queue.png")


def test_second_pass_page_screenshot(screenshots_dir: Path, open_as: Opener) -> None:
    page = open_as("omar")
    open_page(page, "Second pass")
    choose(page, "Flag", "Style/Awkward")
    shot(page, screenshots_dir / "second-pass.png")


def test_dashboard_team_screenshots(screenshots_dir: Path, open_as: Opener,
                                    team_server: tuple[Server, Story]) -> None:
    page = open_as("lena")
    open_page(page, "Dashboard")
    panel = tab(page, "Reviewers")
    charts = visible_charts(page, panel, drawn=True)
    shot(page, screenshots_dir / "dashboard-reviewers.png", until=charts.first)

    page.set_viewport_size({"width": WIDTH, "height": 900})
    wmt = [f"{n} · " for n in team_server[1].wmt]
    pick_in_sidebar(page, "Articles", wmt)  # the WMT systems only, on the same documents
    panel = tab(page, "Systems")
    charts = visible_charts(page, panel, drawn=True)
    shot(page, screenshots_dir / "dashboard-systems.png", until=charts.first)
