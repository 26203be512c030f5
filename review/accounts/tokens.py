"""Signed session tokens: a reload keeps the login without the password.

A token is ``BODY.SIGNATURE``: BODY the base64url (no padding) of a JSON object of claims with
the issuing time ``iat``, SIGNATURE the base64url of its HMAC-SHA256 under the server key.
The token proves only that this server issued these claims at that time; the caller checks
them against the store (``review.services.sessions``: account active, same session
generation) and the lifetime against the setting in force when it is read, so lowering the
setting ends older tokens.

Parsing is strict: exactly one dot, only the base64url alphabet, no padding, the canonical
encoding of the bytes (no stray trailing bits), a 32-byte signature, a JSON object without
duplicate keys or non-finite numbers. Anything else is refused, so one token has one
spelling.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import re

MAX_TOKEN_CHARS = 4096
SIGNATURE_BYTES = 32
CLOCK_SKEW_S = 60.0
"""A token issued this far in the future (another server's clock) is still accepted."""
_ALPHABET = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)


def encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def decode(text: str) -> bytes:
    """The bytes of a canonical unpadded base64url text; ValueError for anything else."""
    if not _ALPHABET.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if encode(data) != text:
        raise ValueError("not the canonical encoding")
    return data


def _sign(body: str, secret: bytes) -> bytes:
    return hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest()


def issue(claims: dict, secret: bytes, now: float) -> str:
    """``claims`` plus the issuing time, signed."""
    body = encode(json.dumps({**claims, "iat": now}, sort_keys=True,
                             separators=(",", ":")).encode("utf-8"))
    return f"{body}.{encode(_sign(body, secret))}"


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate claim")
    return result


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


def read(token: object, secret: bytes, now: float, max_age_s: float) -> dict | None:
    """The claims of a genuine token issued less than ``max_age_s`` ago; None otherwise."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or token.count(".") != 1:
        return None
    body, signature = token.split(".")
    try:
        given = decode(signature)
        if len(given) != SIGNATURE_BYTES or not hmac.compare_digest(given,
                                                                    _sign(body, secret)):
            return None
        claims = json.loads(decode(body).decode("utf-8"), object_pairs_hook=_no_duplicates,
                            parse_constant=_refuse_constant)
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    if not isinstance(claims, dict):
        return None
    issued = claims.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, int | float) \
            or not math.isfinite(issued):
        return None
    if issued > now + CLOCK_SKEW_S or now - issued >= max_age_s:
        return None
    return claims
