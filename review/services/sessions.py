"""Resuming a login after a reload: issue a session token at login, turn it back into the
actor later, for as long as ``REVIEW_SESSION_HOURS`` allows (12 by default; 0 turns it off).

The signing secret is ``REVIEW_SESSION_SECRET`` or, when unset, a random one kept in the
settings table, so every server process of one database agrees on it.
"""

from __future__ import annotations

import os
import secrets
import time

from review.accounts import tokens as session_token
from review.accounts.permissions import Actor
from review.db.models import Setting, User
from review.services.base import Service

SECRET_SETTING = "session_secret"
DEFAULT_HOURS = 12.0


def session_seconds() -> float:
    """How long a login survives reloads; 0 when sessions are not to be resumed."""
    try:
        hours = float(os.environ.get("REVIEW_SESSION_HOURS", DEFAULT_HOURS))
    except ValueError:
        hours = DEFAULT_HOURS
    return max(0.0, hours) * 3600.0


class SessionServices(Service):
    """Session tokens for logged-in accounts."""

    def _session_secret(self) -> bytes:
        configured = os.environ.get("REVIEW_SESSION_SECRET")
        if configured:
            return configured.encode("utf-8")
        with self.store.write() as session:
            row = session.get(Setting, SECRET_SETTING)
            if row is None:
                row = Setting(key=SECRET_SETTING, value={"hex": secrets.token_hex(32)})
                session.add(row)
            return bytes.fromhex(row.value["hex"])

    def issue_session(self, actor: Actor) -> str | None:
        """A token for ``actor``'s account, or None (no account, or sessions turned off)."""
        ttl = session_seconds()
        if actor.user_id is None or ttl <= 0:
            return None
        return session_token.issue({"uid": actor.user_id, "name": actor.name},
                                   self._session_secret(), ttl, time.time())

    def resume_session(self, token: str) -> Actor | None:
        """The account a genuine, unexpired token names, if it is still active."""
        if not token or session_seconds() <= 0:
            return None
        claims = session_token.read(token, self._session_secret(), time.time())
        if claims is None or not isinstance(claims.get("uid"), int):
            return None
        with self.store.read() as session:
            user = session.get(User, claims["uid"])
            if user is None or not user.active or user.name != claims.get("name"):
                return None
            return Actor(name=user.name, role=user.role, user_id=user.id)
