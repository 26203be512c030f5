"""Signed, expiring session tokens: a reload keeps the login without the password.

The token names the account and when it expires, signed with HMAC-SHA256 under a server
secret. It proves nothing beyond that: whoever resumes a session still has the account
checked against the store (active, current role).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue(claims: dict, secret: bytes, ttl_s: float, now: float) -> str:
    """``claims`` plus an expiry, signed."""
    body = _b64(json.dumps({**claims, "exp": now + ttl_s}, sort_keys=True).encode("utf-8"))
    signature = hmac.new(secret, body.encode("ascii"), hashlib.sha256).digest()
    return f"{body}.{_b64(signature)}"


def read(token: str, secret: bytes, now: float) -> dict | None:
    """The claims of a genuine, unexpired token; None for anything else."""
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 4096:
        return None
    body, signature = token.split(".")
    expected = hmac.new(secret, body.encode("ascii", "replace"), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(_unb64(signature), expected):
            return None
        claims = json.loads(_unb64(body))
    except (ValueError, TypeError):
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("exp"), int | float):
        return None
    return claims if claims["exp"] > now else None
