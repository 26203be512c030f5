"""One-time links carry the rights they were made with: a change of role or a deactivation of
the maker or of the account a reset is for ends them; a used, revoked or expired link says so
when it is opened; open links are listed and can be revoked; look-alike names are refused
when the invitation is made, and a race at redemption gives a clear message."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import update

from review.accounts.permissions import SYSTEM_ACTOR, Actor
from review.core.errors import AuthError, InputError, NotFound, PermissionDenied, ReviewError
from review.db.models import OneTimeToken, utcnow
from review.services import Workbench

pytestmark = pytest.mark.usefixtures("fast_hashing")


def _people(bench: Workbench) -> dict[str, Actor]:
    for name, role in (("ada", "admin"), ("abe", "admin"), ("lena", "lead"),
                       ("rita", "reviewer")):
        bench.accounts.add_user(SYSTEM_ACTOR, name, role, f"{name}-password")
    return {name: bench.logins.login(name, f"{name}-password") for name in ("ada", "abe", "lena")}


@pytest.fixture
def people(any_bench: Workbench) -> dict[str, Actor]:
    return _people(any_bench)


def test_a_reset_link_ends_when_its_account_is_promoted(any_bench: Workbench,
                                                        people: dict) -> None:
    """A lead's reset link for a reviewer must not hand out an admin account."""
    link = any_bench.invitations.reset_link(people["lena"], "rita")
    assert any_bench.invitations.open_link(link.token, "reset").role == "reviewer"
    any_bench.accounts.set_role(people["ada"], "rita", "admin")
    with pytest.raises(AuthError, match="rita changed"):
        any_bench.invitations.open_link(link.token, "reset")
    with pytest.raises(AuthError, match="rita changed"):
        any_bench.invitations.use_reset_link(link.token, "taken-over-1")
    assert any_bench.logins.login("rita", "rita-password").role == "admin"  # password unchanged


def test_an_admins_invitation_ends_when_the_admin_is_deactivated(any_bench: Workbench,
                                                                 people: dict) -> None:
    link = any_bench.invitations.invite(people["abe"], "newboss", role="admin")
    any_bench.accounts.set_active(people["ada"], "abe", False)
    with pytest.raises(AuthError, match="abe, who made this link, no longer"):
        any_bench.invitations.accept_invitation(link.token, "newboss-password")
    any_bench.accounts.set_active(people["ada"], "abe", True)  # undoing it does not revive the link
    with pytest.raises(AuthError, match="no longer"):
        any_bench.invitations.accept_invitation(link.token, "newboss-password")
    assert "newboss" not in [u.name for u in any_bench.accounts.list_users(people["ada"])]


def test_a_leads_invitation_ends_when_the_lead_is_demoted(any_bench: Workbench,
                                                          people: dict) -> None:
    link = any_bench.invitations.invite(people["lena"], "omar")
    any_bench.accounts.set_role(people["ada"], "lena", "reviewer")
    with pytest.raises(AuthError, match="no longer"):
        any_bench.invitations.open_link(link.token, "invite")
    with pytest.raises(AuthError, match="no longer"):
        any_bench.invitations.accept_invitation(link.token, "omar-password")


def test_a_reset_link_ends_when_its_account_is_deactivated(any_bench: Workbench,
                                                           people: dict) -> None:
    link = any_bench.invitations.reset_link(people["ada"], "rita")
    any_bench.accounts.set_active(people["ada"], "rita", False)
    any_bench.accounts.set_active(people["ada"], "rita", True)
    with pytest.raises(AuthError, match="changed"):
        any_bench.invitations.use_reset_link(link.token, "rita-new-password")


def test_a_makers_logout_or_password_change_keeps_their_links(any_bench: Workbench,
                                                              people: dict) -> None:
    lena = people["lena"]
    link = any_bench.invitations.invite(lena, "omar")
    any_bench.accounts.logout(lena)
    renewed = any_bench.logins.login("lena", "lena-password")
    any_bench.logins.change_password(renewed, "lena-password", "lena-password-2")
    assert any_bench.invitations.accept_invitation(link.token, "omar-password").name == "omar"


def test_an_ended_session_cannot_make_links(any_bench: Workbench, people: dict) -> None:
    lena = people["lena"]
    any_bench.accounts.set_role(people["ada"], "lena", "reviewer")
    with pytest.raises(PermissionDenied):
        any_bench.invitations.invite(lena, "omar")  # the page still thinks she is a lead
    with pytest.raises(PermissionDenied):
        any_bench.invitations.reset_link(lena, "rita")


def test_opening_says_used_revoked_or_expired(any_bench: Workbench, people: dict) -> None:
    bench, lena = any_bench, people["lena"]
    used = bench.invitations.invite(lena, "omar")
    bench.invitations.accept_invitation(used.token, "omar-password")
    with pytest.raises(AuthError, match="used already"):
        bench.invitations.open_link(used.token, "invite")
    revoked = bench.invitations.invite(lena, "nina")
    link_id = next(v.id for v in bench.invitations.pending_links(lena) if v.user_name == "nina")
    bench.invitations.revoke_link(lena, link_id)
    with pytest.raises(AuthError, match="revoked"):
        bench.invitations.open_link(revoked.token, "invite")
    with pytest.raises(AuthError, match="revoked"):
        bench.invitations.accept_invitation(revoked.token, "nina-password")
    expired = bench.invitations.invite(lena, "ivan", hours=1)
    with bench.store.write() as session:
        session.execute(update(OneTimeToken).where(OneTimeToken.user_name == "ivan")
                        .values(expires_at=utcnow() - timedelta(minutes=1)))
    with pytest.raises(AuthError, match="expired"):
        bench.invitations.open_link(expired.token, "invite")
    for forged in ("", "forged", "x" * 5000):
        with pytest.raises(AuthError, match="not valid"):
            bench.invitations.open_link(forged, "invite")
    with pytest.raises(AuthError, match="not valid"):
        bench.invitations.open_link(used.token, "bogus")


def test_pending_links_and_revoking(any_bench: Workbench, people: dict) -> None:
    bench, lena, ada = any_bench, people["lena"], people["ada"]
    bench.invitations.invite(lena, "omar")
    bench.invitations.reset_link(lena, "rita")
    bench.invitations.invite(ada, "boss", role="lead")
    mine = bench.invitations.pending_links(lena)
    assert sorted((v.kind, v.user_name, v.created_by) for v in mine) == [
        ("invite", "omar", "lena"), ("reset", "rita", "lena")]
    everything = bench.invitations.pending_links(ada)
    assert {v.user_name for v in everything} == {"omar", "rita", "boss"}
    boss = next(v for v in everything if v.user_name == "boss")
    with pytest.raises(PermissionDenied, match="only the links they made"):
        bench.invitations.revoke_link(lena, boss.id)
    bench.invitations.revoke_link(ada, mine[0].id)  # an admin may revoke anybody's
    assert {v.user_name for v in bench.invitations.pending_links(ada)} == {"rita", "boss"}
    with pytest.raises(NotFound):
        bench.invitations.revoke_link(ada, 10_000)
    with pytest.raises(PermissionDenied):
        bench.invitations.pending_links(bench.logins.login("rita", "rita-password"))
    assert "link_revoke" in [e.action for e in bench.library.account_events(ada)]


def test_a_used_link_cannot_be_revoked(bench: Workbench) -> None:
    people = _people(bench)
    link = bench.invitations.invite(people["lena"], "omar")
    link_id = bench.invitations.pending_links(people["lena"])[0].id
    bench.invitations.accept_invitation(link.token, "omar-password")
    with pytest.raises(InputError, match="used already"):
        bench.invitations.revoke_link(people["lena"], link_id)


@pytest.mark.parametrize("twin", ["r\u0456ta", "RITA", "\uff52\uff49\uff54\uff41"])
def test_a_look_alike_invitation_is_refused_when_made(any_bench: Workbench, people: dict,
                                                      twin: str) -> None:
    with pytest.raises(InputError, match="account named 'rita' exists already"):
        any_bench.invitations.invite(people["lena"], twin)
    assert any_bench.invitations.pending_links(people["ada"]) == []


def test_a_look_alike_of_an_open_invitation_is_refused(any_bench: Workbench,
                                                       people: dict) -> None:
    any_bench.invitations.invite(people["lena"], "omar")
    with pytest.raises(InputError, match="invitation for 'omar' is still open"):
        any_bench.invitations.invite(people["lena"], "\u043emar")  # Cyrillic o


def test_a_redemption_race_gives_a_clear_message(any_bench: Workbench) -> None:
    """Two links for look-alike names (written past the checks), redeemed at once: one
    account, and the other person reads a sentence, never a database error."""
    bench = any_bench
    first = bench.invitations.invite(SYSTEM_ACTOR, "omar")
    second = bench.invitations.invite(SYSTEM_ACTOR, "oskar")
    with bench.store.write() as session:
        session.execute(update(OneTimeToken).where(OneTimeToken.user_name == "oskar")
                        .values(user_name="\u043emar", name_key="omar"))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def redeem(token: str) -> None:
        barrier.wait()
        try:
            outcomes.append(bench.invitations.accept_invitation(token, "joiner-password").name)
        except ReviewError as err:
            outcomes.append(f"refused: {err}")

    threads = [threading.Thread(target=redeem, args=(t,)) for t in (first.token, second.token)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == 2 and sum(not o.startswith("refused") for o in outcomes) == 1
    refusal = next(o for o in outcomes if o.startswith("refused"))
    assert "IntegrityError" not in refusal and "INSERT" not in refusal
    assert "ask your lead" in refusal


def test_links_made_by_the_command_line_still_work(bench: Workbench) -> None:
    link = bench.invitations.invite(SYSTEM_ACTOR, "omar", role="admin")
    assert bench.invitations.accept_invitation(link.token, "omar-password").role == "admin"
    reset = bench.invitations.reset_link(SYSTEM_ACTOR, "omar")
    assert bench.invitations.use_reset_link(reset.token, "omar-password-2").name == "omar"


def test_the_link_points_at_a_page_that_works_logged_out(bench: Workbench) -> None:
    link = bench.invitations.invite(SYSTEM_ACTOR, "omar")
    assert link.path == f"join?invite={link.token}"
