"""A session ends when the account's state changes: a copied cookie (a session token) and an
open page (the actor a page holds) both stop working after logout, a password change, an
admin's reset, a reset link, a role change and a deactivation, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select, text

from review.accounts import tokens as session_token
from review.accounts.permissions import SYSTEM_ACTOR, Actor
from review.core.errors import AuthError, PermissionDenied
from review.db.models import Setting, User, utcnow
from review.db.store import MIGRATIONS_DIR, Store
from review.services import Workbench
from tests.conftest import empty_postgres_schema, postgres_url

pytestmark = pytest.mark.usefixtures("fast_hashing")

PASSWORD = "rita-password-1"
Event = Callable[[Workbench, Actor], None]

EVENTS: dict[str, Event] = {
    "logout": lambda b, rita: b.accounts.logout(rita),
    "password change": lambda b, rita: b.logins.change_password(rita, PASSWORD, "rita-password-2"),
    "admin reset": lambda b, rita: b.accounts.reset_password(SYSTEM_ACTOR, "rita",
                                                             "rita-password-3"),
    "reset link": lambda b, rita: b.invitations.use_reset_link(
        b.invitations.reset_link(SYSTEM_ACTOR, "rita").token, "rita-password-4"),
    "role change": lambda b, rita: b.accounts.set_role(SYSTEM_ACTOR, "rita", "lead"),
    "deactivation": lambda b, rita: b.accounts.set_active(SYSTEM_ACTOR, "rita", False),
    "deactivation and reactivation": lambda b, rita: (
        b.accounts.set_active(SYSTEM_ACTOR, "rita", False), b.accounts.set_active(SYSTEM_ACTOR,
                                                                                  "rita", True)),
}


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_each_account_change_ends_every_open_session(any_bench: Workbench, event: str) -> None:
    bench = any_bench
    bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", PASSWORD)
    bench.accounts.add_user(SYSTEM_ACTOR, "omar", "reviewer", "omar-password")
    rita = bench.logins.login("rita", PASSWORD)
    elsewhere = bench.logins.login("rita", PASSWORD)  # another browser
    copied = bench.sessions.issue_session(rita)          # the cookie, copied to a third one
    omar = bench.logins.login("omar", "omar-password")
    omar_cookie = bench.sessions.issue_session(omar)
    assert bench.sessions.resume_session(copied) == rita
    assert bench.accounts.resolve_actor(elsewhere) == rita

    EVENTS[event](bench, rita)

    assert bench.sessions.resume_session(copied) is None, f"a copied cookie outlived the {event}"
    assert bench.accounts.resolve_actor(rita) is None, f"an open page outlived the {event}"
    assert bench.accounts.resolve_actor(elsewhere) is None
    assert bench.sessions.issue_session(rita) is None  # nor can the old session get a fresh cookie
    assert bench.sessions.resume_session(omar_cookie) == omar  # other accounts are untouched
    assert bench.accounts.resolve_actor(omar) == omar


def test_the_new_session_after_a_password_change_or_reset_link_works(
        any_bench: Workbench) -> None:
    bench = any_bench
    bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", PASSWORD)
    rita = bench.logins.login("rita", PASSWORD)
    renewed = bench.logins.change_password(rita, PASSWORD, "rita-password-2")
    assert bench.accounts.resolve_actor(renewed) == renewed
    assert bench.sessions.resume_session(bench.sessions.issue_session(renewed)) == renewed
    linked = bench.invitations.use_reset_link(bench.invitations.reset_link(SYSTEM_ACTOR,
                                                                           "rita").token,
                                  "rita-password-3")
    assert bench.accounts.resolve_actor(renewed) is None
    assert bench.sessions.resume_session(bench.sessions.issue_session(linked)) == linked


def test_an_ended_session_cannot_change_the_password(bench: Workbench) -> None:
    bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", PASSWORD)
    rita = bench.logins.login("rita", PASSWORD)
    bench.accounts.logout(bench.logins.login("rita",
                                             PASSWORD))  # logging out elsewhere ends this one too
    with pytest.raises(PermissionDenied, match="has ended"):
        bench.logins.change_password(rita, PASSWORD, "rita-password-2")


def test_lowering_the_session_hours_ends_older_tokens(bench: Workbench,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", PASSWORD)
    rita = bench.logins.login("rita", PASSWORD)
    monkeypatch.setenv("REVIEW_SESSION_HOURS", "12")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 2 * 3600)  # issued 2 hours ago
    token = bench.sessions.issue_session(rita)
    monkeypatch.setattr(time, "time", real_time)
    assert bench.sessions.resume_session(token) == rita
    monkeypatch.setenv("REVIEW_SESSION_HOURS", "1")
    assert bench.sessions.resume_session(token) is None
    monkeypatch.setenv("REVIEW_SESSION_HOURS", "12")
    assert bench.sessions.resume_session(token) == rita


def test_the_secret_row_in_the_database_signs_nothing(bench: Workbench) -> None:
    """Whoever holds a copy of the database must not be able to forge a session."""
    bench.accounts.add_user(SYSTEM_ACTOR, "root", "admin", "root-password")
    known = "ab" * 32
    with bench.store.write() as session:
        session.merge(Setting(key="session_secret", value={"hex": known}))
    admin = bench.logins.login("root", "root-password")
    forged = session_token.issue({"uid": admin.user_id, "name": "root", "gen": 0},
                                 bytes.fromhex(known), time.time())
    assert bench.sessions.resume_session(forged) is None
    assert bench.sessions.resume_session(bench.sessions.issue_session(admin)) == admin


def _store_at_0005(kind: str, tmp_path: Path) -> Store:
    if kind == "sqlite":
        store = Store(f"sqlite:///{tmp_path / 'old.db'}")
    else:
        store = Store(postgres_url())
        empty_postgres_schema(store)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with store.write_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
    return store


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_upgrade_drops_the_old_secret_and_keeps_open_links_checked(
        kind: str, tmp_path: Path) -> None:
    store = _store_at_0005(kind, tmp_path)
    later = (utcnow() + timedelta(hours=5)).isoformat()
    with store.write_engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO settings (key, value) VALUES ('session_secret', '{\"hex\": \"00\"}'),"
            " ('glossary', '{}')"))
        connection.execute(text(
            "INSERT INTO users (name, name_key, role, email, active, created_at) VALUES "
            "('lena', 'lena', 'lead', '', true, :at), ('rita', 'rita', 'reviewer', '', true, :at),"
            " ('omar\u3164', 'omar\u3164', 'reviewer', '', true, :at)"), {"at": later})
        for kind_, name in (("invite", "nina"), ("reset", "rita")):
            connection.execute(text(
                "INSERT INTO one_time_tokens (digest, kind, user_name, role, created_by, "
                "created_at, expires_at) VALUES (:d, :k, :n, 'reviewer', 'lena', :at, :at)"),
                {"d": hashlib.sha256(name.encode()).hexdigest(), "k": kind_, "n": name,
                 "at": later})
    store.migrate()
    bench = Workbench(store)
    with store.read() as session:
        assert session.scalars(select(Setting.key)).all() == ["glossary"]
        assert session.scalar(select(User.name_key).where(User.role == "reviewer",
                                                          User.name != "rita")) == "omar"
    assert bench.invitations.open_link("nina", "invite").created_by == "lena"
    assert bench.invitations.open_link("rita", "reset").user_name == "rita"
    bench.accounts.set_role(SYSTEM_ACTOR, "lena", "reviewer")  # the maker's rights now count
    with pytest.raises(AuthError, match="no longer"):
        bench.invitations.open_link("nina", "invite")
    store.dispose()
