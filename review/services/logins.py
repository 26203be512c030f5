"""Logins and password changes: throttled atomically, checked a few at a time.

Every try is written down as a failure *before* its password is checked, in the same
transaction that counts the earlier failures (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an
advisory lock per name and per client). So the sixth of sixteen simultaneous wrong
passwords already sees five failures and is refused without hashing anything; a try whose
password turns out right is then marked a success. The check itself waits for a slot of
``review.accounts.password_gate``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from review.accounts import auth
from review.accounts.permissions import Actor
from review.core.errors import AuthError, PermissionDenied
from review.db.models import LoginAttempt, User, utcnow
from review.services.account_state import end_sessions, session_actor, session_is_current
from review.services.base import Service, as_utc, audit

PASSWORD_CHANGE_CLIENT = "password-change"


def _lock_id(kind: str, value: str) -> int:
    digest = hashlib.sha256(f"review-login:{kind}:{value}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class LoginServices(Service):
    """Password logins and password changes."""

    _clock: Callable[[], datetime] = staticmethod(utcnow)
    """The time source of login throttling (tests set a fixed one)."""

    # ------------------------------------------------------------ throttling
    def _serialise_tries(self, session: Session, key: str, client: str) -> None:
        """On PostgreSQL, one try per name (and per client) counts and records at a time;
        SQLite's write transactions are serial already."""
        if session.get_bind().dialect.name != "postgresql":
            return
        ids = sorted({_lock_id("name", key)} | ({_lock_id("client", client)} if client else set()))
        for lock in ids:  # always in the same order: two tries never wait on each other
            session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock})

    def _account_failures(self, session: Session, key: str, now: datetime) -> list[datetime]:
        """Failures of one account name since its last success, within the window."""
        since = now - auth.ACCOUNT_POLICY.window
        last_ok = session.scalar(select(func.max(LoginAttempt.at)).where(
            LoginAttempt.name == key, LoginAttempt.success.is_(True)))
        if last_ok is not None and as_utc(last_ok) > since:
            since = as_utc(last_ok)
        return [as_utc(at) for at in session.scalars(select(LoginAttempt.at).where(
            LoginAttempt.name == key, LoginAttempt.success.is_(False), LoginAttempt.at > since))]

    def _client_failures(self, session: Session, client: str, now: datetime) -> list[datetime]:
        if not client:
            return []
        since = now - auth.CLIENT_POLICY.window
        return [as_utc(at) for at in session.scalars(select(LoginAttempt.at).where(
            LoginAttempt.client == client, LoginAttempt.success.is_(False),
            LoginAttempt.at > since))]

    def _begin_try(self, session: Session, name: str, key: str, client: str, now: datetime,
                   *, per_client: bool = True) -> int:
        """Refuse a throttled try, else record it as a failure; its id."""
        self._serialise_tries(session, key, client if per_client else "")
        auth.raise_if_throttled(
            name, self._account_failures(session, key, now),
            self._client_failures(session, client, now) if per_client else [], now)
        attempt = LoginAttempt(name=key, client=client, success=False, at=now)
        session.add(attempt)
        session.flush()
        return attempt.id

    def _verify_or_forget(self, attempt_id: int, stored: str | None,
                          password: str) -> tuple[bool, str | None]:
        """Check the password; a try that never got a slot does not count as a failure."""
        try:
            return auth.verify_password(stored, password)
        except AuthError:
            with self.store.write() as session:
                session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))
            raise

    @staticmethod
    def _succeeded(session: Session, attempt_id: int) -> None:
        session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id)
                        .values(success=True))

    # ------------------------------------------------------------ use cases
    def login(self, name: str, password: str, client: str = "") -> Actor:
        """The actor for a name and password, or AuthError with the same message for an
        unknown name, a wrong password and a deactivated account.

        Failures are recorded per name and per client (an address); past a few within the
        window, tries are refused for a doubling delay without even checking the password.
        """
        key = auth.throttle_key(name)
        client = (client or "")[:120]
        now = self._clock()
        with self.store.write() as session:
            attempt_id = self._begin_try(session, name, key, client, now)
            user = session.scalar(select(User).where(User.name == (name or "").strip()))
            user_id = user.id if user is not None else None
            stored = user.password_hash if user is not None else None
        ok, new_hash = self._verify_or_forget(attempt_id, stored, password)
        actor: Actor | None = None
        with self.store.write() as session:
            user = session.get(User, user_id) if ok and user_id is not None else None
            if user is not None and user.active and user.password_hash == stored:
                if new_hash:
                    user.password_hash = new_hash
                actor = session_actor(user)
                self._succeeded(session, attempt_id)
                audit(session, actor, "login", client=client, method="password")
            else:
                audit(session, Actor(name=key, role=""), "login_failed", client=client)
        if actor is None:
            raise AuthError(auth.LOGIN_FAILED)
        return actor

    def change_password(self, actor: Actor, old_password: str, new_password: str) -> Actor:
        """The acting user replaces its own password, proving it knows the current one.

        Every session of the account ends, this one too: the actor returned carries the new
        session (a page keeps the person logged in with it).
        """
        if actor.user_id is None:
            raise PermissionDenied(f"{actor.name} has no account whose password could change")
        auth.validate_password(new_password)
        key = auth.throttle_key(actor.name)
        now = self._clock()
        with self.store.write() as session:
            user = session.get(User, actor.user_id)
            if not session_is_current(user, actor):
                raise PermissionDenied(f"the session of {actor.name} has ended; log in again")
            attempt_id = self._begin_try(session, actor.name, key, PASSWORD_CHANGE_CLIENT, now,
                                         per_client=False)
            stored = user.password_hash
        ok, _ = self._verify_or_forget(attempt_id, stored, old_password)
        new_hash = auth.hash_password(new_password) if ok else None
        if not ok:
            raise AuthError("the current password is wrong; nothing was changed")
        with self.store.write() as session:
            user = session.get(User, actor.user_id)
            if not session_is_current(user, actor) or user.password_hash != stored:
                raise PermissionDenied(f"the account {actor.name} changed meanwhile (another "
                                       "session or an admin); nothing was changed")
            user.password_hash = new_hash
            end_sessions(user)
            self._succeeded(session, attempt_id)
            audit(session, actor, "password_change", user=actor.name)
            return session_actor(user)
