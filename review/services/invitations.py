"""One-time links: a lead or admin invites a reviewer, or lets somebody set a new password,
by copying a link; no e-mail server is needed. Only a digest of the secret is stored, the
link works once, and it expires."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from review.accounts import auth
from review.accounts.permissions import Actor, can, require
from review.core.errors import AuthError, InputError, PermissionDenied
from review.db.models import OneTimeToken, User, utcnow
from review.services.base import Service, as_utc, audit

MAX_HOURS = 24 * 14


@dataclass(frozen=True)
class OneTimeLink:
    token: str
    kind: str
    user_name: str
    role: str
    expires_at: datetime

    @property
    def query(self) -> str:
        """What to append to the app's address: ``?invite=…`` or ``?reset=…``."""
        return f"?{self.kind}={self.token}"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationServices(Service):
    """Create and redeem invitation and password-reset links."""

    def invite(self, actor: Actor, user_name: str, role: str = "reviewer",
               hours: float = 72) -> OneTimeLink:
        """A link that creates the account ``user_name`` with ``role`` (leads invite
        reviewers; admins any role)."""
        require(actor, "users.invite")
        name, role = auth.validate_name(user_name), auth.validate_role(role)
        if role != "reviewer" and not can(actor, "users.manage"):
            raise PermissionDenied(f"{actor.name} may invite reviewers only; ask an admin")
        with self.store.write() as session:
            if session.scalar(select(User.id).where(
                    func.lower(User.name) == name.lower())) is not None:
                raise InputError(f"an account named {name!r} exists already")
            return self._issue(session, actor, "invite", name, role, hours)

    def reset_link(self, actor: Actor, user_name: str, hours: float = 24) -> OneTimeLink:
        """A link that sets a new password for ``user_name`` (leads: reviewers only)."""
        require(actor, "users.invite")
        with self.store.write() as session:
            user = session.scalar(select(User).where(User.name == user_name))
            if user is None:
                raise InputError(f"no account named {user_name!r}")
            if user.role != "reviewer" and not can(actor, "users.manage"):
                raise PermissionDenied(f"{actor.name} may reset reviewers' passwords only")
            return self._issue(session, actor, "reset", user.name, user.role, hours)

    def accept_invitation(self, token: str, password: str) -> Actor:
        """Redeem an invitation: the account is created and the new user is logged in."""
        auth.validate_password(password)
        password_hash = auth.hash_password(password)
        with self.store.write() as session:
            row = self._redeem(session, token, "invite")
            if session.scalar(select(User.id).where(
                    func.lower(User.name) == row.user_name.lower())) is not None:
                raise InputError(f"an account named {row.user_name!r} exists already")
            user = User(name=row.user_name, role=row.role, password_hash=password_hash,
                        active=True)
            session.add(user)
            session.flush()
            created = Actor(user.name, user.role, user.id)
            audit(session, created, "user_add", user=user.name, role=user.role,
                  invited_by=row.created_by)
            return created

    def use_reset_link(self, token: str, new_password: str) -> Actor:
        auth.validate_password(new_password)
        password_hash = auth.hash_password(new_password)
        with self.store.write() as session:
            row = self._redeem(session, token, "reset")
            user = session.scalar(select(User).where(User.name == row.user_name))
            if user is None or not user.active:
                raise AuthError("this link's account is no longer active")
            user.password_hash = password_hash
            actor = Actor(user.name, user.role, user.id)
            audit(session, actor, "password_reset", user=user.name, by_link_of=row.created_by)
            return actor

    def _issue(self, session: Session, actor: Actor, kind: str, name: str, role: str,
               hours: float) -> OneTimeLink:
        if not 0 < float(hours) <= MAX_HOURS:
            raise InputError(f"a link must expire within 1-{MAX_HOURS} hours, not {hours}")
        token = secrets.token_urlsafe(24)
        expires = utcnow() + timedelta(hours=float(hours))
        session.add(OneTimeToken(digest=_digest(token), kind=kind, user_name=name, role=role,
                                 created_by=actor.name, expires_at=expires))
        audit(session, actor, f"{kind}_link", user=name, role=role,
              expires=expires.isoformat(timespec="minutes"))
        return OneTimeLink(token, kind, name, role, expires)

    def _redeem(self, session: Session, token: str, kind: str) -> OneTimeToken:
        row = session.scalar(select(OneTimeToken).where(
            OneTimeToken.digest == _digest(token or ""), OneTimeToken.kind == kind)
            .with_for_update())
        if row is None:
            raise AuthError("this link is not valid; ask your lead for a new one")
        if row.used_at is not None:
            raise AuthError("this link was used already; ask your lead for a new one")
        if as_utc(row.expires_at) < utcnow():
            raise AuthError("this link has expired; ask your lead for a new one")
        row.used_at = utcnow()
        return row
