"""Sessions: a login is bound to the account's state, and a reload keeps it for a while.

A session is an account id, its name and its *session generation* at login. Logging out,
changing or resetting the password, changing the role and deactivating (or reactivating)
the account move the generation on, so every session of the account ends: a logged-in page
at its next click, a session token (the cookie that survives reloads) at its next use, a
copied cookie included. Tokens are signed with a key kept outside the database
(``review.accounts.secret``) and live ``REVIEW_SESSION_HOURS`` (12 by default; 0 turns
resuming off), counted from when they were issued against the setting in force when they
are read.
"""

from __future__ import annotations

import os
import time

from review.accounts import secret as session_secret
from review.accounts import tokens as session_token
from review.accounts.permissions import Actor
from review.db.models import User
from review.services.account_state import session_actor, session_is_current
from review.services.base import Service

DEFAULT_HOURS = 12.0
HOURS_ENV = "REVIEW_SESSION_HOURS"


def session_seconds() -> float:
    """How long a login survives reloads; 0 when sessions are not to be resumed."""
    try:
        hours = float(os.environ.get(HOURS_ENV, DEFAULT_HOURS))
    except ValueError:
        hours = DEFAULT_HOURS
    if hours != hours:  # NaN
        hours = DEFAULT_HOURS
    return max(0.0, min(hours, 24 * 366.0)) * 3600.0


class SessionServices(Service):
    """Session tokens for logged-in accounts."""

    def issue_session(self, actor: Actor) -> str | None:
        """A token for ``actor``'s session, or None (no account, the session has ended, or
        resuming is turned off)."""
        if actor.user_id is None or session_seconds() <= 0:
            return None
        with self.store.read() as session:
            user = session.get(User, actor.user_id)
            if not session_is_current(user, actor) or user.name != actor.name:
                return None
            claims = {"uid": user.id, "name": user.name, "gen": user.session_generation or 0}
        return session_token.issue(claims, session_secret.load_secret(), time.time())

    def resume_session(self, token: str) -> Actor | None:
        """The session a genuine, fresh token names, if the account's state still matches."""
        max_age = session_seconds()
        if not token or max_age <= 0:
            return None
        claims = session_token.read(token, session_secret.load_secret(), time.time(), max_age)
        if claims is None:
            return None
        uid, name, generation = claims.get("uid"), claims.get("name"), claims.get("gen")
        if not (type(uid) is int and type(generation) is int and isinstance(name, str)):
            return None
        with self.store.read() as session:
            user = session.get(User, uid)
            if user is None or not user.active or user.name != name \
                    or (user.session_generation or 0) != generation:
                return None
            return session_actor(user)
