"""Accounts and logins: who may act, and how they prove it.

Every method that acts for somebody takes the acting user and checks its role first; the
few that take none (``login``, ``sso_login``, ``create_first_admin``) are how somebody
becomes an actor in the first place, and each guards itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from review.accounts import auth
from review.accounts.names import name_key
from review.accounts.permissions import Actor, require
from review.core.errors import AuthError, InputError, NotFound, PermissionDenied
from review.db.models import LoginAttempt, Setting, User, utcnow
from review.services.account_state import (
    change_rights,
    end_sessions,
    session_actor,
    session_is_current,
)
from review.services.base import Service, as_utc, audit

MAX_SETTING_BYTES = 5 * 1024 * 1024



@dataclass
class UserView:
    """An account as pages and the CLI see it: never the password hash."""

    id: int
    name: str
    role: str
    email: str
    active: bool
    created_at: datetime
    has_password: bool

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "role": self.role, "email": self.email,
                "active": self.active, "created_at": self.created_at.isoformat(),
                "has_password": self.has_password}




def _user_view(user: User) -> UserView:
    return UserView(id=user.id, name=user.name, role=user.role, email=user.email or "",
                    active=bool(user.active), created_at=as_utc(user.created_at),
                    has_password=bool(user.password_hash))


_actor = session_actor


def user_by_name(session: Session, name: str) -> User:
    """The account of that name, or one line saying how to list them."""
    user = session.scalar(select(User).where(User.name == (name or "").strip()))
    if user is None:
        raise NotFound(f"no account named {name!r}; `python -m review users list` shows "
                       "them")
    return user


class AccountServices(Service):
    """Accounts, single sign-on and roles (password logins: ``LoginServices``)."""

    _clock: Callable[[], datetime] = staticmethod(utcnow)
    """The time of single-sign-on logins (tests set a fixed one)."""

    # ------------------------------------------------------------ accounts
    def add_user(self, actor: Actor, name: str, role: str, password: str | None, *,
                 email: str = "") -> UserView:
        """A new account; ``password=None`` makes one that logs in by single sign-on only."""
        require(actor, "users.manage")
        name = auth.validate_name(name)
        auth.validate_role(role)
        password_hash = auth.hash_password(password) if password is not None else None
        try:
            with self.store.write() as session:
                user = self._insert_user(session, name, role, password_hash, email)
                audit(session, actor, "user_add", user=name, role=role,
                      email=user.email, sso_only=password is None)
                return _user_view(user)
        except IntegrityError:
            raise InputError(f"an account named {name!r} exists already") from None

    def _insert_user(self, session: Session, name: str, role: str,
                     password_hash: str | None, email: str) -> User:
        twin = session.scalar(select(User.name).where(User.name_key == name_key(name)))
        if twin is not None:
            raise InputError(f"an account named {twin!r} exists already ({name!r} would look "
                             "the same: names ignore case and look-alike letters)")
        email = (email or "").strip()
        if email and session.scalar(select(User.id).where(
                func.lower(User.email) == email.lower())) is not None:
            raise InputError(f"another account already uses the email {email}")
        user = User(name=name, role=role, email=email, password_hash=password_hash,
                    active=True)
        session.add(user)
        session.flush()
        return user

    def create_first_admin(self, name: str, password: str, *, email: str = "") -> Actor:
        """The first account of a new installation; refused once any account exists."""
        name = auth.validate_name(name)
        password_hash = auth.hash_password(password)
        with self.store.write() as session:
            if session.get_bind().dialect.name == "postgresql":
                # two first starts at once: the second waits and then sees the first account
                session.execute(text("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"))
            if session.scalar(select(func.count()).select_from(User)):
                raise PermissionDenied("accounts exist already; log in, or ask an admin to "
                                       "add an account for you")
            user = self._insert_user(session, name, "admin", password_hash, email)
            created = _actor(user)
            audit(session, created, "user_add", user=name, role="admin", first_admin=True)
            return created

    def list_users(self, actor: Actor) -> list[UserView]:
        require(actor, "users.manage")
        with self.store.read() as session:
            return [_user_view(u) for u in session.scalars(select(User).order_by(User.name))]

    def assignable_users(self, actor: Actor) -> list[UserView]:
        """Active accounts a lead can give work to."""
        require(actor, "article.assign")
        with self.store.read() as session:
            return [_user_view(u) for u in session.scalars(
                select(User).where(User.active.is_(True)).order_by(User.name))]

    def account(self, actor: Actor) -> UserView:
        """The acting user's own account."""
        with self.store.read() as session:
            user = session.get(User, actor.user_id) if actor.user_id is not None else None
            if user is None:
                raise NotFound(f"{actor.name} has no account; an admin can create one")
            return _user_view(user)

    def resolve_actor(self, actor: Actor) -> Actor | None:
        """The actor as the store knows it now, or None once its session has ended.

        Pages call this on every page load, so a logout elsewhere, a password change or
        reset, a role change or a deactivation ends the session at the next click.
        """
        if actor.user_id is None:
            return actor
        with self.store.read() as session:
            user = session.get(User, actor.user_id)
            if not session_is_current(user, actor):
                return None
            return _actor(user)

    def set_role(self, actor: Actor, name: str, role: str) -> UserView:
        require(actor, "users.manage")
        auth.validate_role(role)
        with self.store.write() as session:
            user = user_by_name(session, name)
            if user.role == role:
                return _user_view(user)
            if user.role == "admin":
                self._keep_an_admin(session, user, f"change the role of {user.name}")
            audit(session, actor, "user_role", user=user.name, old=user.role, new=role)
            user.role = role
            change_rights(user)
            return _user_view(user)

    def set_active(self, actor: Actor, name: str, active: bool) -> UserView:
        """Deactivate (the account can no longer log in, its sessions end) or reactivate."""
        require(actor, "users.manage")
        with self.store.write() as session:
            user = user_by_name(session, name)
            if bool(user.active) == bool(active):
                return _user_view(user)
            if not active and user.role == "admin":
                self._keep_an_admin(session, user, f"deactivate {user.name}")
            user.active = bool(active)
            change_rights(user)
            audit(session, actor, "user_reactivate" if active else "user_deactivate",
                  user=user.name)
            return _user_view(user)

    def reset_password(self, actor: Actor, name: str, new_password: str) -> UserView:
        """An admin sets a new password (e.g. a forgotten one); the old one stops working
        and every open session of the account ends."""
        require(actor, "users.manage")
        password_hash = auth.hash_password(new_password)
        with self.store.write() as session:
            user = user_by_name(session, name)
            user.password_hash = password_hash
            end_sessions(user)
            audit(session, actor, "password_reset", user=user.name)
            return _user_view(user)

    def _keep_an_admin(self, session: Session, user: User, what: str) -> None:
        others = session.scalar(select(func.count()).select_from(User).where(
            User.role == "admin", User.active.is_(True), User.id != user.id))
        if not others:
            raise InputError(f"cannot {what}: it is the last active admin; make another "
                             "account admin first")

    # ------------------------------------------------------------ single sign-on
    def sso_login(self, email: str, display_name: str = "", client: str = "") -> Actor:
        """The actor for an identity the single-sign-on provider vouched for.

        An account with that email logs in with its own role; otherwise the ``[sso] roles``
        mapping (review.toml, or the ``sso`` setting) gives the role of a new account. The
        caller must have verified the identity (Streamlit's ``st.user`` after ``st.login``).
        """
        address = (email or "").strip()
        if "@" not in address:
            raise AuthError("the sign-on provider sent no email address; ask an admin")
        try:
            return self._sso_login(address, display_name, client[:120])
        except IntegrityError:  # two first sign-ons of one address at once
            raise AuthError(f"an account for {address} was being made at the same moment; "
                            "log in again") from None

    def _sso_login(self, address: str, display_name: str, client: str) -> Actor:
        with self.store.write() as session:
            user = session.scalar(select(User).where(
                func.lower(User.email) == address.lower()))
            if user is not None and not user.active:
                raise AuthError(f"the account for {address} is deactivated; ask an admin")
            if user is None:
                role = auth.sso_role(address, self._sso_roles(session))
                if role is None:
                    raise AuthError(f"{address} has no role here yet; ask an admin to add it "
                                    "under [sso] roles")
                try:
                    name = auth.validate_name(address[:auth.MAX_NAME_LENGTH])
                except InputError as err:
                    raise AuthError(f"cannot make an account for {address}: {err}") from None
                user = self._insert_user(session, name, role, None, address)
                audit(session, _actor(user), "user_add", user=user.name, role=role,
                      sso_only=True, display_name=display_name[:120])
            actor = _actor(user)
            session.add(LoginAttempt(name=auth.throttle_key(user.name), client=client,
                                     success=True, at=self._clock()))
            audit(session, actor, "login", client=client, method="sso")
            return actor

    def _sso_roles(self, session: Session) -> dict[str, str]:
        roles = auth.sso_roles_from_file()
        row = session.get(Setting, auth.SSO_SETTING)
        if row is not None:
            roles.update(auth.normalise_sso_roles((row.value or {}).get("roles", {})))
        return roles

    def sso_roles(self, actor: Actor) -> dict[str, str]:
        """The effective email/domain to role mapping (review.toml, then the setting)."""
        require(actor, "settings.manage")
        with self.store.read() as session:
            return self._sso_roles(session)

    def logout(self, actor: Actor) -> None:
        """End every session of the account (a copied cookie too) and note it."""
        with self.store.write() as session:
            user = session.get(User, actor.user_id) if actor.user_id is not None else None
            if session_is_current(user, actor):
                end_sessions(user)
            audit(session, actor, "logout")

    # ------------------------------------------------------------ assignments
