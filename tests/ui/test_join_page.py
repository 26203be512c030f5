"""AppTest flows of the join page (where links lead, logged out), open links and revoking
them on the Team page, and a password change that keeps its own session."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.store import open_store
from review.services import Workbench
from tests.ui.test_admin_page import REPO, flashes, frame_with, logged_in

JOIN = "review/ui/pages/join.py"


@pytest.fixture
def bench(empty_app_db: str) -> Workbench:
    bench = Workbench(open_store(empty_app_db))
    bench.accounts.add_user(SYSTEM_ACTOR, "lena", "lead", "lena-password")
    bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", "rita-password")
    return bench


def logged_out_at_link(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(JOIN).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("title", "subheader", "markdown", "error",
                                               "info", "warning")
                     for e in getattr(at, kind))


def test_a_lead_makes_a_link_to_the_join_page(bench: Workbench) -> None:
    at = logged_in("lena", "team.py")
    at.text_input(key="team_page_invite_name").input("omar").run()
    at.button(key="team_page_invite").click().run()
    assert not at.exception, at.exception
    link = next(c.value for c in at.code if "invite=" in c.value)
    assert "/join?invite=" in link and "/team" not in link
    assert list(frame_with(at, "Made by")["For"]) == ["omar"]


def test_an_invitation_opens_logged_out_and_creates_the_account(bench: Workbench) -> None:
    link = bench.invitations.invite(SYSTEM_ACTOR, "omar")
    at = logged_out_at_link({"invite": link.token})
    assert at.title[0].value == "Join the workbench"
    assert "omar" in texts(at) and not at.error
    at.text_input(key="link_password").input("omar-password")
    at.text_input(key="link_again").input("omar-password")
    at.button(key="FormSubmitter:link_form-Continue").click().run()
    assert not at.exception, at.exception
    assert at.session_state["actor"].name == "omar"
    again = logged_out_at_link({"invite": link.token})
    assert any("used already" in e.value for e in again.error)
    assert not again.text_input  # no form for a dead link


@pytest.mark.parametrize("dead", ["revoked", "expired", "forged", "maker demoted"])
def test_a_dead_link_says_why_on_opening(bench: Workbench, dead: str) -> None:
    lena = bench.logins.login("lena", "lena-password")
    link = bench.invitations.invite(lena, "omar", hours=1)
    token = link.token
    if dead == "revoked":
        bench.invitations.revoke_link(lena, bench.invitations.pending_links(lena)[0].id)
    elif dead == "expired":
        from datetime import timedelta

        from sqlalchemy import update

        from review.db.models import OneTimeToken, utcnow
        with bench.store.write() as session:
            session.execute(update(OneTimeToken).values(
                expires_at=utcnow() - timedelta(minutes=1)))
    elif dead == "forged":
        token = "forged-token"
    else:
        bench.accounts.set_role(SYSTEM_ACTOR, "lena", "reviewer")
    at = logged_out_at_link({"invite": token})
    words = {"revoked": "revoked", "expired": "expired", "forged": "not valid",
             "maker demoted": "no longer"}[dead]
    assert any(words in e.value for e in at.error), texts(at)
    assert not at.text_input


def test_the_join_page_without_a_link_explains_itself(bench: Workbench) -> None:
    at = logged_out_at_link({})
    assert any("opens invitation and password-reset links" in i.value for i in at.info)


def test_revoking_a_link_on_the_team_page(bench: Workbench) -> None:
    lena = bench.logins.login("lena", "lena-password")
    link = bench.invitations.invite(lena, "omar")
    at = logged_in("lena", "team.py")
    at.button(key="team_revoke").click().run()
    assert not at.exception, at.exception
    assert any("Revoked the invitation for omar" in m for m in flashes(at))
    assert bench.invitations.pending_links(lena) == []
    dead = logged_out_at_link({"invite": link.token})
    assert any("revoked" in e.value for e in dead.error)


def test_changing_the_password_keeps_this_session(bench: Workbench) -> None:
    at = logged_in("rita", "account.py")
    old = at.session_state["actor"]
    at.text_input(key="account_old").input("rita-password")
    at.text_input(key="account_new").input("rita-password-2")
    at.text_input(key="account_again").input("rita-password-2")
    at.button(key="FormSubmitter:account_password_form-Change password").click().run()
    assert not at.exception, at.exception
    assert any("Password changed" in m for m in flashes(at))
    assert at.session_state["actor"].name == "rita"
    assert bench.accounts.resolve_actor(old) is None
    at.run()
    assert at.title[0].value == "Account"  # still logged in


def test_a_reset_ends_a_running_session(bench: Workbench) -> None:
    at = logged_in("rita", "review.py")
    bench.accounts.reset_password(SYSTEM_ACTOR, "rita", "rita-password-9")
    at.run()
    assert at.title[0].value == "Log in"


def test_an_unreadable_signing_key_is_one_line_not_a_traceback(
        bench: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEW_SESSION_SECRET", "too short")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30).run()
    at.text_input(key="login_name").input("rita")
    at.text_input(key="login_password").input("rita-password")
    at.button(key="FormSubmitter:login_form-Log in").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Review"  # logging in still works
    assert any("at least 32 characters" in e.value for e in at.sidebar.error)
