"""Links and sessions in a real browser: an invitation opened logged out, a revoked link, and
a password reset that ends a session open in another browser and a copied cookie.

Runs on a server of its own, with accounts made by the command line before it starts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.store import Store
from review.services import Workbench
from tests.e2e.conftest import fresh_copy, new_page
from tests.e2e.flows import log_in
from tests.e2e.harness import Server, Watch, cli, start_server
from tests.e2e.helpers import (
    TIMEOUT_MS,
    Page,
    click_button,
    expect,
    fill_text,
    flash_success,
    goto,
    heading,
    open_page,
    rerun,
    track_socket,
    widget,
)

PASSWORDS = {"lena": "lead-pass-1", "rita": "reviewer-pass-1"}


@pytest.fixture(scope="module")
def links_server(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("links")
    db_url = fresh_copy(seeded_db, folder, "links.db")
    cli(db_url, "users", "add", "lena", "--role", "lead", "--password-stdin",
        stdin=PASSWORDS["lena"] + "\n")
    cli(db_url, "users", "add", "rita", "--role", "reviewer", "--password-stdin",
        stdin=PASSWORDS["rita"] + "\n")
    cli(db_url, "assign", "1", "rita")
    server = start_server(folder, db_url)
    yield server
    server.stop()


@pytest.fixture
def browse(browser, links_server: Server, watch: Watch):  # noqa: ANN001, ANN201
    """Opens pages, each in a context of its own (a separate browser), or with the cookies
    of another page's context (a copied cookie)."""
    contexts = []

    def open_browser(copy_of: Page | None = None) -> Page:
        if copy_of is None:
            context, page = new_page(browser, links_server, watch)
        else:
            context = browser.new_context(base_url=links_server.url,
                                          storage_state=copy_of.context.storage_state())
            page = context.new_page()
            track_socket(page)
        contexts.append(context)
        return page

    yield open_browser
    for context in contexts:
        context.close()
    links_server.check_alive()
    assert not watch.dialogs, f"the page opened dialogs: {watch.dialogs}"


def make_invitation(lead: Page, name: str) -> str:
    """The lead makes an invitation on the Team page; the link's path and query."""
    open_page(lead, "Team")
    fill_text(lead, "stTextInput", "New reviewer's name", name)
    click_button(lead, "Make invitation link")
    code = lead.locator("[data-testid=stCode]").filter(has_text="join?invite=").last
    expect(code).to_be_visible(timeout=TIMEOUT_MS)
    link = code.inner_text().strip()
    assert "/team" not in link
    return "/" + link.split("/", 3)[3]  # relative to the server


def no_page_not_found(page: Page) -> None:
    expect(page.get_by_text("Page not found")).to_have_count(0)


def test_an_invitation_opened_logged_out(browse) -> None:  # noqa: ANN001
    lead = browse()
    log_in(lead, "lena", PASSWORDS["lena"])
    path = make_invitation(lead, "omar")

    invitee = browse()
    goto(invitee, path)
    expect(heading(invitee)).to_have_text("Join the workbench")
    no_page_not_found(invitee)
    expect(invitee.locator("[data-testid=stMain]")).to_contain_text("omar")
    form = invitee.locator("[data-testid=stMain] [data-testid=stForm]")
    widget(invitee, "stTextInput", "Password", scope=form).locator("input").fill("omar-pass-1")
    widget(invitee, "stTextInput", "Password again", scope=form).locator("input").fill(
        "omar-pass-1")
    with rerun(invitee):
        form.get_by_role("button", name="Continue", exact=True).click()
    expect(heading(invitee)).to_have_text("Review", timeout=TIMEOUT_MS)

    again = browse()
    goto(again, path)
    expect(again.locator("[data-testid=stAlertContentError]")).to_contain_text("used already")
    expect(again.locator("[data-testid=stForm]")).to_have_count(0)


def test_a_revoked_invitation(browse) -> None:  # noqa: ANN001
    lead = browse()
    log_in(lead, "lena", PASSWORDS["lena"])
    path = make_invitation(lead, "nina")
    click_button(lead, "Revoke")
    flash_success(lead, "Revoked the invitation for nina")

    invitee = browse()
    goto(invitee, path)
    no_page_not_found(invitee)
    expect(invitee.locator("[data-testid=stAlertContentError]")).to_contain_text("revoked")
    expect(invitee.locator("[data-testid=stForm]")).to_have_count(0)


def test_a_reset_ends_a_session_open_elsewhere(browse, links_server: Server) -> None:  # noqa: ANN001
    open_session = browse()
    log_in(open_session, "rita", PASSWORDS["rita"])
    open_session.wait_for_function("() => document.cookie.includes('review_session=')",
                                   timeout=TIMEOUT_MS)
    copied = browse(copy_of=open_session)  # the cookie, copied into another browser
    goto(copied, "/")
    expect(heading(copied)).to_have_text("Review")

    store = Store(links_server.db_url)
    try:
        link = Workbench(store).invitations.reset_link(SYSTEM_ACTOR, "rita")
    finally:
        store.dispose()
    other = browse()
    goto(other, "/" + link.path)
    form = other.locator("[data-testid=stMain] [data-testid=stForm]")
    widget(other, "stTextInput", "Password", scope=form).locator("input").fill("new-pass-22")
    widget(other, "stTextInput", "Password again", scope=form).locator("input").fill(
        "new-pass-22")
    with rerun(other):
        form.get_by_role("button", name="Continue", exact=True).click()
    expect(heading(other)).to_have_text("Review", timeout=TIMEOUT_MS)

    # the session open in the first browser ends at its next click ...
    link_to_queue = open_session.locator("[data-testid=stSidebarNav]").get_by_role(
        "link", name="My queue", exact=True)
    with rerun(open_session):
        link_to_queue.click()
    expect(heading(open_session)).to_have_text("Log in", timeout=TIMEOUT_MS)
    # ... and the copied cookie no longer logs anybody in
    goto(copied, "/")
    expect(heading(copied)).to_have_text("Log in")
