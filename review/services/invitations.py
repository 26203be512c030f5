"""One-time links: a lead or admin invites a reviewer, or lets somebody set a new password,
by copying a link; no e-mail server is needed. Only a digest of the secret is stored, the
link works once, it expires, and its maker can revoke it.

A link carries the rights it was made with: the maker's account, role and rights generation
(``review.services.account_state``), and for a reset link the target account's role and
rights generation. When the link is opened or used, the maker must still hold that account
in that state and still be allowed to make such a link, and the target must be unchanged:
a promotion, demotion or deactivation on either side (even undone since) ends the link.
Links made by the command line, which holds the database anyway, have no maker account.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from review.accounts import auth
from review.accounts.names import name_key
from review.accounts.permissions import Actor, can, require
from review.core.errors import AuthError, InputError, NotFound, PermissionDenied
from review.db.models import OneTimeToken, User, utcnow
from review.db.rows import existing
from review.services.account_state import end_sessions, session_actor, session_is_current
from review.services.base import Service, as_utc, audit

MAX_HOURS = 24 * 14
KINDS = ("invite", "reset")
PAGE = "join"
"""The app page that opens links; it works logged out."""
ASK = "ask your lead for a new one"


@dataclass(frozen=True)
class OneTimeLink:
    token: str
    kind: str
    user_name: str
    role: str
    expires_at: datetime

    @property
    def query(self) -> str:
        """The link's query string: ``?invite=…`` or ``?reset=…``."""
        return f"?{self.kind}={self.token}"

    @property
    def path(self) -> str:
        """What to append to the app's root address: ``join?invite=…`` (a page that works
        logged out)."""
        return f"{PAGE}{self.query}"


@dataclass(frozen=True)
class LinkView:
    """What a link is for, as the page opening it shows (never the secret)."""

    id: int
    kind: str
    user_name: str
    role: str
    created_by: str
    created_at: datetime
    expires_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _view(row: OneTimeToken) -> LinkView:
    return LinkView(row.id, row.kind, row.user_name, row.role, row.created_by,
                    as_utc(row.created_at), as_utc(row.expires_at))


def _may_make(role: str, kind: str, for_role: str) -> bool:
    """Whether an account with ``role`` may make a ``kind`` link for a ``for_role`` account."""
    actor = Actor("", role)
    return can(actor, "users.invite") and (for_role == "reviewer"
                                           or can(actor, "users.manage"))


class InvitationServices(Service):
    """Create, list, revoke, open and redeem invitation and password-reset links."""

    def invite(self, actor: Actor, user_name: str, role: str = "reviewer",
               hours: float = 72) -> OneTimeLink:
        """A link that creates the account ``user_name`` with ``role`` (leads invite
        reviewers; admins any role). A name that looks like an existing account's, or like
        one an open invitation is for, is refused now, not when the link is used."""
        require(actor, "users.invite")
        name, role = auth.validate_name(user_name), auth.validate_role(role)
        if role != "reviewer" and not can(actor, "users.manage"):
            raise PermissionDenied(f"{actor.name} may invite reviewers only; ask an admin")
        key = name_key(name)
        with self.store.write() as session:
            maker = self._maker(session, actor, "invite", role)
            twin = session.scalar(select(User.name).where(User.name_key == key))
            if twin is not None:
                raise InputError(self._twin_message(name, twin))
            pending = session.scalar(select(OneTimeToken.user_name).where(
                *self._open(), OneTimeToken.kind == "invite", OneTimeToken.name_key == key))
            if pending is not None:
                raise InputError(f"an invitation for {pending!r} is still open"
                                 + ("" if pending == name else f" ({name!r} would look the same)")
                                 + "; revoke it on the Team page first, or choose another name")
            return self._issue(session, actor, maker, "invite", name, role, hours)

    def reset_link(self, actor: Actor, user_name: str, hours: float = 24) -> OneTimeLink:
        """A link that sets a new password for ``user_name`` (leads: reviewers only)."""
        require(actor, "users.invite")
        with self.store.write() as session:
            user = session.scalar(select(User).where(User.name == user_name))
            if user is None:
                raise InputError(f"no account named {user_name!r}")
            maker = self._maker(session, actor, "reset", user.role)
            if not user.active:
                raise InputError(f"{user.name} is deactivated; reactivate the account first")
            return self._issue(session, actor, maker, "reset", user.name, user.role, hours,
                               target=user)

    def pending_links(self, actor: Actor) -> list[LinkView]:
        """Links not used, revoked or expired yet: all of them for admins, a lead's own."""
        require(actor, "users.invite")
        with self.store.read() as session:
            query = select(OneTimeToken).where(*self._open()).order_by(OneTimeToken.created_at)
            if not can(actor, "users.manage"):
                query = query.where(*self._made_by(actor))
            return [_view(row) for row in session.scalars(query)]

    def revoke_link(self, actor: Actor, link_id: int) -> LinkView:
        """End a link before it is used (admins: any link; leads: their own)."""
        require(actor, "users.invite")
        with self.store.write() as session:
            row = session.get(OneTimeToken, link_id, with_for_update=True)
            if row is None:
                raise NotFound(f"no link with id {link_id}")
            if not can(actor, "users.manage") and not self._is_maker(row, actor):
                raise PermissionDenied(f"{actor.name} may revoke only the links they made")
            if row.used_at is not None:
                raise InputError(f"the link for {row.user_name} was used already")
            if row.revoked_at is None:
                row.revoked_at, row.revoked_by = utcnow(), actor.name
                audit(session, actor, "link_revoke", kind=row.kind, user=row.user_name,
                      role=row.role)
            return _view(row)

    def open_link(self, token: str, kind: str) -> LinkView:
        """What a link is for, if it can still be used; AuthError saying why not (used,
        revoked, expired, or the maker's or the account's rights changed)."""
        with self.store.read() as session:
            return _view(self._usable(session, token, kind, lock=False))

    def accept_invitation(self, token: str, password: str) -> Actor:
        """Redeem an invitation: the account is created and the new user is logged in."""
        auth.validate_password(password)
        self.open_link(token, "invite")  # refuse a dead link before hashing anything
        password_hash = auth.hash_password(password)
        try:
            with self.store.write() as session:
                row = self._redeem(session, token, "invite")
                twin = session.scalar(select(User.name).where(
                    User.name_key == name_key(row.user_name)))
                if twin is not None:
                    raise InputError(self._twin_message(row.user_name, twin) + f"; {ASK}")
                user = User(name=row.user_name, role=row.role, password_hash=password_hash,
                            active=True)
                session.add(user)
                session.flush()
                created = session_actor(user)
                audit(session, created, "user_add", user=user.name, role=user.role,
                      invited_by=row.created_by)
                return created
        except IntegrityError:  # another invitation for a look-alike name won the race
            raise InputError(f"an account that looks like this one was created at the same "
                             f"moment; {ASK}") from None

    def use_reset_link(self, token: str, new_password: str) -> Actor:
        """Redeem a reset link: a new password, every open session of the account ends, and
        the person is logged in with a new one."""
        auth.validate_password(new_password)
        self.open_link(token, "reset")
        password_hash = auth.hash_password(new_password)
        with self.store.write() as session:
            row = self._redeem(session, token, "reset")
            user = existing(session, User, row.target_id)
            user.password_hash = password_hash
            end_sessions(user)
            actor = session_actor(user)
            audit(session, actor, "password_reset", user=user.name, by_link_of=row.created_by)
            return actor

    # ------------------------------------------------------------ helpers
    @staticmethod
    def _open() -> tuple:
        return (OneTimeToken.used_at.is_(None), OneTimeToken.revoked_at.is_(None),
                OneTimeToken.expires_at > utcnow())

    @staticmethod
    def _made_by(actor: Actor) -> tuple:
        if actor.user_id is None:
            return (OneTimeToken.maker_id.is_(None), OneTimeToken.created_by == actor.name)
        return (OneTimeToken.maker_id == actor.user_id,)

    @staticmethod
    def _is_maker(row: OneTimeToken, actor: Actor) -> bool:
        if actor.user_id is None:
            return row.maker_id is None and row.created_by == actor.name
        return row.maker_id == actor.user_id

    @staticmethod
    def _twin_message(name: str, twin: str) -> str:
        if twin == name:
            return f"an account named {name!r} exists already"
        return (f"an account named {twin!r} exists already, and {name!r} would look the same "
                "(names ignore case and look-alike letters); choose another name")

    @staticmethod
    def _maker(session: Session, actor: Actor, kind: str, for_role: str) -> User | None:
        """The maker's account as it is now (None for the command line), checked once more
        against the store: a stale page cannot make a link its account may no longer make."""
        if actor.user_id is None:
            if not _may_make(actor.role, kind, for_role):
                raise PermissionDenied(f"{actor.name} may not make this link")
            return None
        user = session.get(User, actor.user_id)
        if not session_is_current(user, actor) or user.role != actor.role:
            raise PermissionDenied(f"the session of {actor.name} has ended; log in again")
        if not _may_make(user.role, kind, for_role):
            raise PermissionDenied(f"{actor.name} may make links for reviewers only; ask an "
                                   "admin")
        return user

    @staticmethod
    def _issue(session: Session, actor: Actor, maker: User | None, kind: str, name: str,
               role: str, hours: float, *, target: User | None = None) -> OneTimeLink:
        try:
            hours = float(hours)
        except (TypeError, ValueError):
            raise InputError(f"a link must expire within 1-{MAX_HOURS} hours") from None
        if not 0 < hours <= MAX_HOURS:
            raise InputError(f"a link must expire within 1-{MAX_HOURS} hours, not {hours:g}")
        token = secrets.token_urlsafe(24)
        expires = utcnow() + timedelta(hours=hours)
        session.add(OneTimeToken(
            digest=_digest(token), kind=kind, user_name=name, name_key=name_key(name),
            role=role, created_by=actor.name, expires_at=expires,
            maker_id=maker.id if maker else None, maker_role=maker.role if maker else actor.role,
            maker_generation=(maker.rights_generation or 0) if maker else None,
            target_id=target.id if target else None,
            target_generation=(target.rights_generation or 0) if target else None))
        audit(session, actor, f"{kind}_link", user=name, role=role,
              expires=expires.isoformat(timespec="minutes"))
        return OneTimeLink(token, kind, name, role, expires)

    def _usable(self, session: Session, token: str, kind: str, *, lock: bool) -> OneTimeToken:
        if kind not in KINDS or not isinstance(token, str) or not 0 < len(token) <= 200:
            raise AuthError(f"this link is not valid; {ASK}")
        query = select(OneTimeToken).where(OneTimeToken.digest == _digest(token),
                                           OneTimeToken.kind == kind)
        row = session.scalar(query.with_for_update() if lock else query)
        if row is None:
            raise AuthError(f"this link is not valid; {ASK}")
        if row.used_at is not None:
            raise AuthError(f"this link was used already; {ASK}")
        if row.revoked_at is not None:
            raise AuthError(f"this link was revoked; {ASK}")
        if as_utc(row.expires_at) <= utcnow():
            raise AuthError(f"this link has expired; {ASK}")
        if row.maker_id is not None:
            maker = session.get(User, row.maker_id)
            if (maker is None or not maker.active or maker.role != row.maker_role
                    or (maker.rights_generation or 0) != row.maker_generation
                    or not _may_make(maker.role, row.kind, row.role)):
                raise AuthError(f"{row.created_by}, who made this link, no longer has the "
                                f"role or account it was made with; {ASK}")
        if row.kind == "reset":
            target = session.get(User, row.target_id) if row.target_id is not None else None
            if (target is None or not target.active or target.role != row.role
                    or target.name != row.user_name
                    or (target.rights_generation or 0) != row.target_generation):
                raise AuthError(f"the account {row.user_name} changed (its role or whether it "
                                f"is active) since this link was made; {ASK}")
        return row

    def _redeem(self, session: Session, token: str, kind: str) -> OneTimeToken:
        row = self._usable(session, token, kind, lock=True)
        row.used_at = utcnow()
        return row


def issue_link(session: Session, actor: Actor, kind: str, name: str, role: str, hours: float,
               *, target: User | None = None) -> OneTimeLink:
    """A link made inside the caller's transaction, so a campaign's links are stored with
    its accounts and assignments or not at all."""
    maker = InvitationServices._maker(session, actor, kind, role)
    return InvitationServices._issue(session, actor, maker, kind, name, role, hours,
                                     target=target)
