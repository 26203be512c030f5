"""Accounts in a browser: the first admin, logins by role, and pages a role may not see.

Runs on a server of its own: the first account turns logins on for every session, and the
other browser tests use the no-account local admin.
"""

from __future__ import annotations

import re

from tests.e2e.flows import visible_charts
from tests.e2e.harness import Server
from tests.e2e.helpers import (
    TIMEOUT_MS,
    Page,
    expect,
    flash_success,
    goto,
    heading,
    nav_labels,
    open_page,
    rerun,
    selection,
    widget,
)

PASSWORDS = {"ada": "admin-pass-1", "rita": "reviewer-pass-1", "leo": "lead-pass-1"}


def log_in(page: Page, name: str) -> None:
    goto(page, "/")
    expect(heading(page)).to_have_text("Log in")
    assert not {"Review", "Dashboard", "Admin"} & set(nav_labels(page))  # nothing before login
    form = page.locator("[data-testid=stMain] [data-testid=stForm]")
    widget(page, "stTextInput", "Name", scope=form).locator("input").fill(name)
    widget(page, "stTextInput", "Password", scope=form).locator("input").fill(PASSWORDS[name])
    with rerun(page):
        form.get_by_role("button", name="Log in", exact=True).click()
    expect(heading(page)).to_have_text("Review", timeout=TIMEOUT_MS)


def test_accounts_and_roles(accounts_session, accounts_server: Server) -> None:  # noqa: ANN001
    admin = accounts_session()
    goto(admin, "/login")
    assert "Set up accounts" in nav_labels(admin)  # nobody has an account: local admin mode
    form = admin.locator("[data-testid=stMain] [data-testid=stForm]").filter(
        has_text="Create admin account")
    widget(admin, "stTextInput", "Admin name", scope=form).locator("input").fill("ada")
    widget(admin, "stTextInput", "Password", scope=form).locator("input").fill(PASSWORDS["ada"])
    widget(admin, "stTextInput", "Password again", scope=form).locator("input").fill(
        PASSWORDS["ada"])
    with rerun(admin):
        form.get_by_role("button", name="Create admin account", exact=True).click()
    flash_success(admin, "Created the admin account ada")
    labels = nav_labels(admin)
    assert {"Dashboard", "Admin", "Export"} <= set(labels) and "Set up accounts" not in labels

    accounts_server.cli("users", "add", "rita", "--role", "reviewer", "--password-stdin",
                        stdin=PASSWORDS["rita"] + "\n")
    accounts_server.cli("users", "add", "leo", "--role", "lead", "--password-stdin",
                        stdin=PASSWORDS["leo"] + "\n")
    accounts_server.cli("assign", "1", "rita")

    reviewer = accounts_session()
    log_in(reviewer, "rita")
    labels = nav_labels(reviewer)
    assert "Review" in labels and "Account" in labels
    assert "Dashboard" not in labels and "Admin" not in labels
    expect(selection(reviewer, "Article")).to_have_value(re.compile(r"^1 · .*Wuzhen"))
    # The dashboard's address typed in this session: the page stays the Review page.
    with rerun(reviewer):
        reviewer.evaluate("() => { history.pushState({}, '', '/dashboard');"
                          " dispatchEvent(new PopStateEvent('popstate')); }")
    expect(heading(reviewer)).to_have_text("Review")
    expect(reviewer.locator("[data-testid=stVegaLiteChart]")).to_have_count(0)
    # Loaded afresh, the address never leads to the dashboard (the login itself survives).
    goto(reviewer, "/dashboard")
    expect(heading(reviewer)).to_have_text("Review")
    expect(reviewer.locator("[data-testid=stVegaLiteChart]")).to_have_count(0)

    lead = accounts_session()
    log_in(lead, "leo")
    labels = nav_labels(lead)
    assert "Dashboard" in labels and "Export" in labels and "Admin" not in labels
    open_page(lead, "Dashboard")
    visible_charts(lead, lead.locator("[data-testid=stMain]"))


def test_a_reload_keeps_the_login_and_the_draft(  # noqa: ANN001
        accounts_session, accounts_server: Server, watch) -> None:
    PASSWORDS["remy"] = "reviewer-pass-2"
    accounts_server.cli("users", "add", "remy", "--role", "reviewer", "--password-stdin",
                        stdin=PASSWORDS["remy"] + "\n")
    accounts_server.cli("assign", "1", "remy")
    page = accounts_session()
    log_in(page, "remy")
    page.wait_for_function("() => document.cookie.includes('review_session=')",
                           timeout=TIMEOUT_MS)
    cookie = next(c for c in page.context.cookies() if c["name"] == "review_session")
    assert "reviewer-pass-2" not in cookie["value"] and cookie["sameSite"] == "Strict"
    seg = page.locator(".rw-seg").nth(3)
    seg.locator(".rw-head").click()
    page.keyboard.press("Enter")
    page.locator(".rw-current textarea.rw-editor").fill("A draft typed before a reload.")
    page.keyboard.press("Escape")

    goto(page, "/")  # a reload: a new session on the server
    expect(heading(page)).to_have_text("Review")
    assert "Review" in nav_labels(page)
    expect(page.locator(".rw-draft").filter(has_text="A draft typed before a reload.")
           ).to_have_count(1, timeout=TIMEOUT_MS)
    assert watch.unload_prompts

    open_page(page, "Account")
    with rerun(page):
        page.get_by_role("button", name="Log out").click()
    expect(heading(page)).to_have_text("Log in", timeout=TIMEOUT_MS)
    goto(page, "/")
    expect(heading(page)).to_have_text("Log in")

