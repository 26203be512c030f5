"""Session tokens: genuine and fresh ones resume the account; anything else does not, and one
token has exactly one spelling."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from review.accounts import tokens as session_token
from review.accounts.permissions import SYSTEM_ACTOR
from review.services import Workbench

SECRET = b"s" * 32
HOUR = 3600.0


def _token(now: float = 1000.0) -> str:
    return session_token.issue({"uid": 3, "name": "rita", "gen": 0}, SECRET, now=now)


def test_round_trip_and_lifetime() -> None:
    token = _token()
    assert session_token.read(token, SECRET, now=1000.0 + HOUR - 1, max_age_s=HOUR)["uid"] == 3
    assert session_token.read(token, SECRET, now=1000.0 + HOUR, max_age_s=HOUR) is None
    # the lifetime is the one given when reading: a lower setting ends the token sooner
    assert session_token.read(token, SECRET, now=1000.0 + 600, max_age_s=300) is None
    # a token from the future (beyond a minute of clock skew) is refused
    assert session_token.read(_token(now=2000.0), SECRET, now=1000.0, max_age_s=HOUR) is None


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # another signature
    lambda t: "e30" + t[3:],                                       # another body
    lambda t: t.replace(".", ""),
    lambda t: "",
    lambda t: "x" * 5000,
    lambda t: t + "=",                                             # padding after it
    lambda t: t + "==",
    lambda t: t.replace(".", "=.", 1),                             # padding inside
    lambda t: t + " ",
    lambda t: " " + t,
    lambda t: t + "\n",
    lambda t: t.replace("-", "+").replace("_", "/") if ("-" in t or "_" in t) else t + "+",
    lambda t: t + ".",
    lambda t: t.split(".")[0] + "." + t.split(".")[1][:-1],       # a shorter signature
    lambda t: t.split(".")[0] + "." + t.split(".")[1] + "A",      # a longer one
])
def test_tampered_or_respelled_tokens_are_refused(mangle) -> None:  # noqa: ANN001
    token = _token()
    assert session_token.read(mangle(token), SECRET, now=1001.0, max_age_s=HOUR) is None
    assert session_token.read(token, b"another secret" * 3, now=1001.0, max_age_s=HOUR) is None


def test_a_non_canonical_signature_is_refused() -> None:
    """The signature's last character carries unused bits; flipping them keeps the bytes
    the same under lenient decoding, and must still be refused."""
    token = _token()
    body, signature = token.split(".")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(signature[-1])
    respelled = signature[:-1] + alphabet[last ^ 0b11]  # 43 chars: the low 2 bits are unused
    assert base64.urlsafe_b64decode(respelled + "=") == base64.urlsafe_b64decode(signature + "=")
    assert session_token.read(f"{body}.{respelled}", SECRET, now=1001.0, max_age_s=HOUR) is None


def _signed(raw_body: bytes) -> str:
    body = session_token.encode(raw_body)
    signature = hmac.new(SECRET, body.encode(), hashlib.sha256).digest()
    return f"{body}.{session_token.encode(signature)}"


@pytest.mark.parametrize("raw", [
    b'{"uid":3,"uid":4,"iat":1000}',          # a duplicate claim
    b'{"uid":3,"iat":NaN}',                   # not a number
    b'{"uid":3,"iat":Infinity}',
    b'{"uid":3,"iat":true}',
    b'{"uid":3,"iat":"1000"}',
    b'{"uid":3}',                              # no issuing time
    b'[1000]',
    b'\xff\xfe',
])
def test_signed_but_malformed_claims_are_refused(raw: bytes) -> None:
    assert session_token.read(_signed(raw), SECRET, now=1001.0, max_age_s=HOUR) is None


def test_decode_accepts_only_the_canonical_unpadded_alphabet() -> None:
    data = json.dumps({"a": 1}).encode()
    text = session_token.encode(data)
    assert session_token.decode(text) == data
    for bad in (text + "=", text + "AA=", text[:-1] + "+", "a", "é" * 4, text + "\n"):
        with pytest.raises(ValueError):
            session_token.decode(bad)


def test_resume_follows_the_account(bench: Workbench, fast_hashing: None,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", "reviewer-pass-1")
    rita = bench.logins.login("rita", "reviewer-pass-1")
    token = bench.sessions.issue_session(rita)
    assert bench.sessions.resume_session(token) == rita
    assert "reviewer-pass-1" not in token
    assert bench.sessions.resume_session(token + "=") is None
    monkeypatch.setenv("REVIEW_SESSION_HOURS", "0")
    assert bench.sessions.issue_session(rita) is None
    assert bench.sessions.resume_session(token) is None
    assert bench.sessions.issue_session(SYSTEM_ACTOR) is None
