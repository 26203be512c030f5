"""Session tokens: genuine and fresh ones resume the account; anything else does not."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from review.accounts import tokens as session_token
from review.accounts.permissions import SYSTEM_ACTOR
from review.services import Workbench

SECRET = b"s" * 32


def test_round_trip_and_expiry() -> None:
    token = session_token.issue({"uid": 3, "name": "rita"}, SECRET, 60, now=1000.0)
    assert session_token.read(token, SECRET, now=1059.0)["uid"] == 3
    assert session_token.read(token, SECRET, now=1061.0) is None


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # another signature
    lambda t: "e30" + t[3:],                                       # another body
    lambda t: t.replace(".", ""),
    lambda t: "",
    lambda t: "x" * 5000,
])
def test_tampered_tokens_are_refused(mangle) -> None:  # noqa: ANN001
    token = session_token.issue({"uid": 3, "name": "rita"}, SECRET, 60, now=1000.0)
    assert session_token.read(mangle(token), SECRET, now=1001.0) is None
    assert session_token.read(token, b"another secret", now=1001.0) is None


def test_resume_follows_the_account(bench: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("review.accounts.auth.HASHER",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", "reviewer-pass-1")
    rita = bench.accounts.login("rita", "reviewer-pass-1")
    token = bench.sessions.issue_session(rita)
    assert bench.sessions.resume_session(token) == rita
    assert "reviewer-pass-1" not in token
    bench.accounts.set_role(SYSTEM_ACTOR, "rita", "lead")
    assert bench.sessions.resume_session(token).role == "lead"
    bench.accounts.set_active(SYSTEM_ACTOR, "rita", False)
    assert bench.sessions.resume_session(token) is None
    monkeypatch.setenv("REVIEW_SESSION_HOURS", "0")
    assert bench.sessions.issue_session(rita) is None
    assert bench.sessions.issue_session(SYSTEM_ACTOR) is None
