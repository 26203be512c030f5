"""Accounts: argon2 hashes, login outcomes, throttling, and the ``users add`` command."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from review.accounts import auth
from review.accounts.permissions import SYSTEM_ACTOR, Actor
from review.cli import main as cli
from review.core.errors import AuthError, InputError, PermissionDenied
from review.db.models import AuditEvent, LoginAttempt, User
from review.db.store import Store
from review.services import Workbench
from tests.factories import make_team

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CHEAPER = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)

# Production parameters cost a third of a second per hash; tests use cheap ones.
pytestmark = pytest.mark.usefixtures("fast_hashing")


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _team(bench: Workbench) -> tuple[Workbench, Clock]:
    clock = Clock()
    bench.accounts._clock = bench.logins._clock = clock
    make_team(bench, {"alice": "reviewer", "bob": "lead"}, emails={"bob": "bob@example.org"})
    return bench, clock


@pytest.fixture
def team(bench: Workbench) -> tuple[Workbench, Clock]:
    return _team(bench)


@pytest.fixture
def any_team(any_bench: Workbench) -> tuple[Workbench, Clock]:
    """On SQLite and PostgreSQL: for what depends on the database (times, locks, case)."""
    return _team(any_bench)


# ------------------------------------------------------------------ hashing
def test_hash_is_argon2id_and_verifies() -> None:
    stored = auth.hash_password("correct horse")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert auth.verify_password(stored, "correct horse") == (True, None)
    assert auth.verify_password(stored, "wrong horse") == (False, None)
    assert auth.verify_password(None, "correct horse") == (False, None)
    assert auth.verify_password("not a hash", "correct horse") == (False, None)


def test_outdated_parameters_are_rehashed(monkeypatch: pytest.MonkeyPatch) -> None:
    old = CHEAPER.hash("correct horse")
    ok, fresh = auth.verify_password(old, "correct horse")
    assert ok and fresh is not None
    assert "m=1024" in fresh and "m=512" in old
    assert auth.verify_password(fresh, "correct horse") == (True, None)


def test_login_replaces_an_outdated_hash(bench: Workbench) -> None:
    bench.accounts.add_user(SYSTEM_ACTOR, "carol", "reviewer", "carol-password")
    with bench.store.write() as session:
        user = session.scalar(select(User).where(User.name == "carol"))
        user.password_hash = CHEAPER.hash("carol-password")
    bench.logins.login("carol", "carol-password")
    with bench.store.read() as session:
        stored = session.scalar(select(User.password_hash).where(User.name == "carol"))
    assert "m=1024" in stored
    assert bench.logins.login("carol", "carol-password").name == "carol"


@pytest.mark.parametrize(("password", "message"), [
    ("short", "at least 8 characters"),
    ("", "at least 8 characters"),
    ("x" * 1025, "at most 1024"),
    ("eight\x00chars", "NUL"),
])
def test_unusable_passwords_are_refused(password: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        auth.hash_password(password)


@pytest.mark.parametrize(("name", "ok"), [
    ("alice", True), ("  Alice Smith ", True), ("", False), ("a\tb", False),
    ("a\nb", False), ("x" * 121, False),
])
def test_account_names(name: str, ok: bool) -> None:
    if ok:
        assert auth.validate_name(name) == name.strip()
    else:
        with pytest.raises(InputError):
            auth.validate_name(name)


# ------------------------------------------------------------------ throttling policy
@pytest.mark.parametrize(("failures", "delay"), [
    (0, 0.0), (4, 0.0), (5, 30.0), (6, 60.0), (7, 120.0), (9, 480.0), (10, 900.0),
    (40, 900.0),
])
def test_delay_doubles_past_five_failures(failures: int, delay: float) -> None:
    assert auth.ACCOUNT_POLICY.delay_after(failures) == delay


def test_wait_counts_from_the_latest_failure_within_the_window() -> None:
    policy = auth.ACCOUNT_POLICY
    five = [T0 + timedelta(seconds=i) for i in range(5)]
    assert policy.wait_seconds(five, T0 + timedelta(seconds=4)) == 30.0
    assert policy.wait_seconds(five, T0 + timedelta(seconds=20)) == 14.0
    assert policy.wait_seconds(five, T0 + timedelta(seconds=34)) == 0.0
    stale = [T0 - timedelta(minutes=20)] + five[1:]
    assert policy.wait_seconds(stale, T0 + timedelta(seconds=4)) == 0.0


# ------------------------------------------------------------------ logging in
def test_login_gives_the_actor(team: tuple[Workbench, Clock]) -> None:
    bench, _ = team
    actor = bench.logins.login("alice", "alice-password", "10.0.0.1")
    assert (actor.name, actor.role) == ("alice", "reviewer")
    assert actor.user_id is not None


def test_unknown_user_and_wrong_password_say_the_same(team: tuple[Workbench, Clock]) -> None:
    bench, _ = team
    messages = []
    for name, password in [("alice", "wrong-password"), ("nobody", "alice-password"),
                           ("alice", ""), ("ALICE", "alice-password")]:
        with pytest.raises(AuthError) as err:
            bench.logins.login(name, password)
        messages.append(str(err.value))
    assert messages == [auth.LOGIN_FAILED] * 4


def test_deactivated_account_cannot_log_in(team: tuple[Workbench, Clock]) -> None:
    bench, _ = team
    bench.accounts.set_active(SYSTEM_ACTOR, "alice", False)
    with pytest.raises(AuthError, match="wrong name or password"):
        bench.logins.login("alice", "alice-password")
    bench.accounts.set_active(SYSTEM_ACTOR, "alice", True)
    assert bench.logins.login("alice", "alice-password").name == "alice"


def test_failures_throttle_the_account(any_team: tuple[Workbench, Clock]) -> None:
    bench, clock = any_team
    for _ in range(5):
        with pytest.raises(AuthError, match="wrong name or password"):
            bench.logins.login("alice", "guess", "10.0.0.1")
        clock.advance(1)
    # even the right password is refused while throttled, from any client
    with pytest.raises(AuthError, match=r"^too many failed attempts for alice; try again in 29 s$"):
        bench.logins.login("alice", "alice-password", "10.0.0.2")
    with pytest.raises(AuthError, match="too many failed attempts for ALICE"):
        bench.logins.login("ALICE", "alice-password", "10.0.0.2")
    assert bench.logins.login("bob", "bob-password", "10.0.0.1").name == "bob"  # others unaffected
    clock.advance(30)
    with pytest.raises(AuthError, match="wrong name or password"):
        bench.logins.login("alice", "guess", "10.0.0.1")
    with pytest.raises(AuthError, match=r"try again in 60 s$"):
        bench.logins.login("alice", "alice-password")
    clock.advance(60)
    assert bench.logins.login("alice", "alice-password").name == "alice"
    # a success starts the count again
    with pytest.raises(AuthError, match="wrong name or password"):
        bench.logins.login("alice", "guess")
    assert bench.logins.login("alice", "alice-password").name == "alice"


def test_unknown_names_are_throttled_like_real_ones(team: tuple[Workbench, Clock]) -> None:
    bench, _ = team
    for _ in range(5):
        with pytest.raises(AuthError, match="wrong name or password"):
            bench.logins.login("mallory", "guess")
    with pytest.raises(AuthError, match="too many failed attempts for mallory; try again in 30 s"):
        bench.logins.login("mallory", "guess")


def test_failures_throttle_the_client_across_accounts(any_team: tuple[Workbench, Clock]) -> None:
    bench, _ = any_team
    for i in range(20):
        with pytest.raises(AuthError, match="wrong name or password"):
            bench.logins.login(f"user{i}", "guess", "203.0.113.9")
    with pytest.raises(AuthError, match="too many failed attempts for bob; try again in 30 s"):
        bench.logins.login("bob", "bob-password", "203.0.113.9")
    assert bench.logins.login("bob", "bob-password", "198.51.100.1").name == "bob"


def test_old_failures_expire(any_team: tuple[Workbench, Clock]) -> None:
    bench, clock = any_team
    for _ in range(5):
        with pytest.raises(AuthError):
            bench.logins.login("alice", "guess")
    clock.advance(16 * 60)
    assert bench.logins.login("alice", "alice-password").name == "alice"


def test_logins_are_recorded_and_audited(any_team: tuple[Workbench, Clock]) -> None:
    bench, _ = any_team
    bench.logins.login("alice", "alice-password", "10.0.0.1")
    with pytest.raises(AuthError):
        bench.logins.login("alice", "nope-nope", "10.0.0.1")
    actor = bench.logins.login("bob", "bob-password", "10.0.0.3")
    bench.accounts.logout(actor)
    with bench.store.read() as session:
        attempts = [(a.name, a.client, a.success) for a in session.scalars(
            select(LoginAttempt).order_by(LoginAttempt.id))]
    assert attempts == [("alice", "10.0.0.1", True), ("alice", "10.0.0.1", False),
                        ("bob", "10.0.0.3", True)]
    events = [(e.actor, e.action) for e in reversed(bench.library.audit_trail(SYSTEM_ACTOR))
              if e.action.startswith("log")]
    assert events == [("alice", "login"), ("alice", "login_failed"), ("bob", "login"),
                      ("bob", "logout")]


def test_secrets_never_reach_the_audit_trail_or_logs(team: tuple[Workbench, Clock],
                                                      caplog: pytest.LogCaptureFixture) -> None:
    bench, _ = team
    caplog.set_level(logging.DEBUG)
    admin = SYSTEM_ACTOR
    bench.accounts.add_user(admin, "dave", "reviewer", "dave-secret-1")
    bench.accounts.reset_password(admin, "dave", "dave-secret-2")
    dave = bench.logins.login("dave", "dave-secret-2")
    bench.logins.change_password(dave, "dave-secret-2", "dave-secret-3")
    with pytest.raises(AuthError):
        bench.logins.login("dave", "dave-secret-1")
    with bench.store.read() as session:
        hashes = [h for h in session.scalars(select(User.password_hash)) if h]
        trail = json.dumps([(e.actor, e.action, e.detail)
                            for e in session.scalars(select(AuditEvent))], default=str)
    views = json.dumps([u.to_json() for u in bench.accounts.list_users(admin)])
    for secret in ["dave-secret-1", "dave-secret-2", "dave-secret-3", *hashes, "$argon2"]:
        assert secret not in trail
        assert secret not in views
        assert secret not in caplog.text
    assert "password_reset" in trail and "password_change" in trail


def test_change_password_needs_the_current_one(team: tuple[Workbench, Clock]) -> None:
    bench, _ = team
    alice = bench.logins.login("alice", "alice-password")
    with pytest.raises(AuthError, match="current password is wrong"):
        bench.logins.change_password(alice, "not-it-at-all", "alice-new-password")
    with pytest.raises(InputError, match="at least 8"):
        bench.logins.change_password(alice, "alice-password", "short")
    bench.logins.change_password(alice, "alice-password", "alice-new-password")
    with pytest.raises(AuthError):
        bench.logins.login("alice", "alice-password")
    assert bench.logins.login("alice", "alice-new-password").name == "alice"
    with pytest.raises(PermissionDenied):
        bench.logins.change_password(Actor("local", "admin"), "x" * 8, "y" * 8)


def test_first_admin_only_while_no_account_exists(any_bench: Workbench) -> None:
    assert not any_bench.library.has_users()
    admin = any_bench.accounts.create_first_admin("root", "root-password", email="root@example.org")
    assert (admin.name, admin.role) == ("root", "admin")
    assert any_bench.logins.login("root", "root-password") == admin
    with pytest.raises(PermissionDenied, match="accounts exist already"):
        any_bench.accounts.create_first_admin("eve", "eve-password")
    assert [u.name for u in any_bench.accounts.list_users(admin)] == ["root"]


def test_resolve_actor_follows_role_changes_and_deactivation(
        team: tuple[Workbench, Clock]) -> None:
    bench, _ = team
    alice = bench.logins.login("alice", "alice-password")
    assert bench.accounts.resolve_actor(alice) == alice
    bench.accounts.set_role(SYSTEM_ACTOR, "alice", "lead")
    assert bench.accounts.resolve_actor(alice) is None  # a role change ends the session
    promoted = bench.logins.login("alice", "alice-password")
    assert bench.accounts.resolve_actor(promoted).role == "lead"
    # an actor that did not come from a login (no generation) follows the account
    assert bench.accounts.resolve_actor(Actor("alice", "reviewer", alice.user_id)).role == "lead"
    bench.accounts.set_active(SYSTEM_ACTOR, "alice", False)
    assert bench.accounts.resolve_actor(promoted) is None
    assert bench.accounts.resolve_actor(Actor("alice", "lead", alice.user_id)) is None
    assert bench.accounts.resolve_actor(SYSTEM_ACTOR) == SYSTEM_ACTOR


# ------------------------------------------------------------------ single sign-on
@pytest.mark.parametrize(("email", "role"), [
    ("lead@example.org", "lead"), ("LEAD@Example.org", "lead"),
    ("someone@example.org", "reviewer"), ("x@other.org", None), ("no-at-sign", None),
])
def test_sso_role_mapping(email: str, role: str | None) -> None:
    roles = auth.normalise_sso_roles({"Lead@example.org": "lead", "@example.org": "reviewer"})
    assert auth.sso_role(email, roles) == role


def test_sso_roles_from_review_toml(tmp_path: Path) -> None:
    config = tmp_path / "review.toml"
    config.write_text('[sso]\nroles = {"a@x.org" = "lead", "@x.org" = "reviewer"}\n')
    assert auth.sso_roles_from_file(config) == {"a@x.org": "lead", "@x.org": "reviewer"}
    config.write_text('[sso]\nroles = {"a@x.org" = "boss"}\n')
    with pytest.raises(InputError, match="must be one of"):
        auth.sso_roles_from_file(config)
    assert auth.sso_roles_from_file(tmp_path / "missing.toml") == {}


def test_sso_login_creates_and_reuses_accounts(any_team: tuple[Workbench, Clock],
                                               monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    bench, _ = any_team
    monkeypatch.setenv("REVIEW_CONFIG", str(tmp_path / "review.toml"))
    (tmp_path / "review.toml").write_text('[sso]\nroles = {"@example.org" = "reviewer"}\n')
    with pytest.raises(AuthError, match="has no role here"):
        bench.accounts.sso_login("carol@elsewhere.org")
    bench.settings.set_setting(SYSTEM_ACTOR, "sso", {"roles": {"carol@elsewhere.org": "lead"}})
    carol = bench.accounts.sso_login("carol@elsewhere.org", "Carol")
    assert (carol.name, carol.role) == ("carol@elsewhere.org", "lead")
    assert bench.accounts.sso_login("Carol@Elsewhere.org") == carol
    assert bench.accounts.sso_login("dan@example.org").role == "reviewer"
    assert bench.accounts.sso_login("bob@example.org").name == "bob"  # an existing account by email
    with pytest.raises(AuthError):  # an SSO account has no password to guess
        bench.logins.login("carol@elsewhere.org", "")
    bench.accounts.set_active(SYSTEM_ACTOR, "carol@elsewhere.org", False)
    with pytest.raises(AuthError, match="deactivated"):
        bench.accounts.sso_login("carol@elsewhere.org")


# ------------------------------------------------------------------ the command line
def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("REVIEW_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "review", *args], input=stdin, text=True,
                          capture_output=True, cwd=REPO, env=env, timeout=120)


@pytest.mark.system
def test_cli_users_add_reads_the_password_from_stdin(sqlite_url: str) -> None:
    added = _cli("users", "add", "erin", "--role", "lead", "--email", "erin@example.org",
                 "--db", sqlite_url, stdin="erin-password\n")
    assert added.returncode == 0, added.stderr
    assert "added lead erin" in added.stdout
    assert "erin-password" not in added.stdout + added.stderr

    listed = _cli("users", "list", "--json", "--db", sqlite_url)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [{"id": 1, "name": "erin", "role": "lead",
                                          "active": True}]
    assert "argon2" not in listed.stdout

    bench = Workbench(Store(sqlite_url))
    actor = bench.logins.login("erin", "erin-password")
    assert (actor.name, actor.role) == ("erin", "lead")

    assert [u.name for u in bench.accounts.list_users(SYSTEM_ACTOR)] == ["erin"]


@pytest.mark.system
@pytest.mark.parametrize(("argv", "stdin", "message"), [
    (["users", "add", "erin", "--role", "reviewer"], "other-password\n", "exists already"),
    (["users", "add", "fay", "--role", "reviewer"], "short\n", "at least 8 characters"),
])
def test_cli_users_add_refusals(sqlite_url: str, argv: list[str], stdin: str, message: str,
                                monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture) -> None:
    bench = Workbench(Store(sqlite_url))
    bench.store.migrate()
    bench.accounts.add_user(SYSTEM_ACTOR, "erin", "lead", "erin-password")
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    assert cli.main([*argv, "--db", sqlite_url]) == 2
    assert message in capsys.readouterr().err
    assert [u.name for u in bench.accounts.list_users(SYSTEM_ACTOR)] == ["erin"]


def test_cli_takes_no_password_argument() -> None:
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["users", "add", "gus", "--role", "reviewer",
                                       "--password", "gus-password"])
