"""Logins under load: wrong passwords sent at once are counted before any is checked, so the
ones past the limit are refused without hashing; and password work runs a few at a time."""

from __future__ import annotations

import threading
import time

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from review.accounts import auth, password_gate
from review.accounts.permissions import SYSTEM_ACTOR
from review.core.errors import AuthError
from review.db.models import LoginAttempt
from review.services import Workbench


class Watched(PasswordHasher):
    """Cheap argon2 that takes a while and counts how many checks ran, and at most at once."""

    def __init__(self, pause_s: float = 0.15) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.pause_s = pause_s
        self.lock = threading.Lock()
        self.calls = self.running = self.peak = 0

    def verify(self, hash, password) -> bool:  # noqa: A002, ANN001 - the library's names
        with self.lock:
            self.calls += 1
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            time.sleep(self.pause_s)
            return super().verify(hash, password)
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture
def watched(monkeypatch: pytest.MonkeyPatch) -> Watched:
    hasher = Watched()
    monkeypatch.setattr(auth, "HASHER", hasher)
    monkeypatch.setattr(password_gate, "GATE", password_gate.Gate(2))
    return hasher


def _at_once(count: int, call) -> list[str]:  # noqa: ANN001
    barrier = threading.Barrier(count)
    outcomes: list[str] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            call(i)
            outcomes.append("ok")
        except AuthError as err:
            outcomes.append(str(err))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return outcomes


def test_wrong_passwords_at_once_past_the_limit_are_not_checked(
        any_bench: Workbench, watched: Watched) -> None:
    any_bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", "rita-password")
    watched.calls = 0
    outcomes = _at_once(16, lambda i: any_bench.logins.login("rita", f"guess-{i}", f"10.0.0.{i}"))
    free = auth.ACCOUNT_POLICY.free_failures
    assert watched.calls == free, f"{watched.calls} passwords checked, the limit is {free}"
    assert outcomes.count(auth.LOGIN_FAILED) == free
    assert sum(o.startswith("too many failed attempts for rita") for o in outcomes) == 16 - free
    with any_bench.store.read() as session:
        recorded = session.scalars(select(LoginAttempt.success)).all()
    assert recorded == [False] * free


def test_unknown_names_at_once_are_limited_per_client(any_bench: Workbench,
                                                      watched: Watched) -> None:
    outcomes = _at_once(24, lambda i: any_bench.logins.login(f"nobody{i}", "guess", "203.0.113.9"))
    free = auth.CLIENT_POLICY.free_failures
    assert watched.calls == free
    assert outcomes.count(auth.LOGIN_FAILED) == free


def test_password_checks_run_at_most_n_at_a_time(bench: Workbench, watched: Watched) -> None:
    for i in range(10):
        bench.accounts.add_user(SYSTEM_ACTOR, f"user{i}", "reviewer", f"password-{i}")
    watched.calls = watched.peak = 0
    outcomes = _at_once(10, lambda i: bench.logins.login(f"user{i}", f"password-{i}",
                                                         f"10.0.1.{i}"))
    assert outcomes == ["ok"] * 10
    assert watched.calls == 10
    assert watched.peak <= 2, f"{watched.peak} password checks ran at once"


def test_a_right_password_is_recorded_as_a_success(bench: Workbench, watched: Watched) -> None:
    bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", "rita-password")
    bench.logins.login("rita", "rita-password", "10.0.0.1")
    with bench.store.read() as session:
        assert session.scalars(select(LoginAttempt.success)).all() == [True]


def test_a_try_that_finds_no_free_slot_is_not_a_failure(
        bench: Workbench, watched: Watched, monkeypatch: pytest.MonkeyPatch) -> None:
    bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", "rita-password")
    gate = password_gate.Gate(1)
    monkeypatch.setattr(password_gate, "GATE", gate)
    monkeypatch.setattr(password_gate, "WAIT_S", 0.1)
    with gate.slot():  # somebody else's check holds the only slot
        with pytest.raises(AuthError, match="busy checking other passwords"):
            bench.logins.login("rita", "rita-password", "10.0.0.1")
    with bench.store.read() as session:
        assert session.scalars(select(LoginAttempt)).all() == []
    assert bench.logins.login("rita", "rita-password").name == "rita"


@pytest.mark.parametrize(("value", "slots"), [("", 2), ("3", 3), ("0", 1), ("x", 2),
                                              ("1000", password_gate.MAX_SLOTS)])
def test_the_number_of_slots_is_configurable(value: str, slots: int) -> None:
    assert password_gate.configured_slots({password_gate.SLOTS_ENV: value}) == slots
