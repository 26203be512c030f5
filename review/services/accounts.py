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
from review.accounts.permissions import Actor, require
from review.core.errors import AuthError, InputError, NotFound, PermissionDenied
from review.db.models import (
    LoginAttempt,
    Setting,
    User,
    utcnow,
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


def _actor(user: User) -> Actor:
    return Actor(name=user.name, role=user.role, user_id=user.id)




def user_by_name(session: Session, name: str) -> User:
    """The account of that name, or one line saying how to list them."""
    user = session.scalar(select(User).where(User.name == (name or "").strip()))
    if user is None:
        raise NotFound(f"no account named {name!r}; `python -m review users list` shows "
                       "them")
    return user


class AccountServices(Service):
    """Accounts, logins and roles."""

    _clock: Callable[[], datetime] = staticmethod(utcnow)
    """The time source of login throttling (tests set a fixed one)."""

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
        folded = name.casefold()
        if any(n.casefold() == folded for n in session.scalars(select(User.name))):
            raise InputError(f"an account named {name!r} exists already (names ignore case)")
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
        """The actor as the store knows it now: the current role, None once deactivated.

        Sessions call this on every page load, so a role change or a deactivation takes
        effect at the next click instead of at the next login.
        """
        if actor.user_id is None:
            return actor
        with self.store.read() as session:
            user = session.get(User, actor.user_id)
            if user is None or not user.active:
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
            audit(session, actor, "user_reactivate" if active else "user_deactivate",
                  user=user.name)
            return _user_view(user)

    def reset_password(self, actor: Actor, name: str, new_password: str) -> UserView:
        """An admin sets a new password (e.g. a forgotten one); the old one stops working."""
        require(actor, "users.manage")
        password_hash = auth.hash_password(new_password)
        with self.store.write() as session:
            user = user_by_name(session, name)
            user.password_hash = password_hash
            audit(session, actor, "password_reset", user=user.name)
            return _user_view(user)

    def change_password(self, actor: Actor, old_password: str, new_password: str) -> None:
        """The acting user replaces its own password, proving it knows the current one."""
        if actor.user_id is None:
            raise PermissionDenied(f"{actor.name} has no account whose password could change")
        auth.validate_password(new_password)
        key = auth.throttle_key(actor.name)
        now = self._clock()
        with self.store.read() as session:
            auth.raise_if_throttled(actor.name, self._account_failures(session, key, now),
                                    [], now)
            user = session.get(User, actor.user_id)
            if user is None or not user.active:
                raise PermissionDenied(f"the account {actor.name} is no longer active")
            stored = user.password_hash
        ok, _ = auth.verify_password(stored, old_password)
        new_hash = auth.hash_password(new_password) if ok else None
        with self.store.write() as session:
            session.add(LoginAttempt(name=key, client="password-change", success=ok, at=now))
            if ok:
                user = session.get(User, actor.user_id)
                user.password_hash = new_hash
                audit(session, actor, "password_change", user=actor.name)
        if not ok:
            raise AuthError("the current password is wrong; nothing was changed")

    def _keep_an_admin(self, session: Session, user: User, what: str) -> None:
        others = session.scalar(select(func.count()).select_from(User).where(
            User.role == "admin", User.active.is_(True), User.id != user.id))
        if not others:
            raise InputError(f"cannot {what}: it is the last active admin; make another "
                             "account admin first")

    # ------------------------------------------------------------ logins
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

    def login(self, name: str, password: str, client: str = "") -> Actor:
        """The actor for a name and password, or AuthError with the same message for an
        unknown name, a wrong password and a deactivated account.

        Failures are recorded per name and per client (an address); past a few within the
        window, tries are refused for a doubling delay without even checking the password.
        """
        key = auth.throttle_key(name)
        client = (client or "")[:120]
        now = self._clock()
        with self.store.read() as session:
            auth.raise_if_throttled(name, self._account_failures(session, key, now),
                                    self._client_failures(session, client, now), now)
            user = session.scalar(select(User).where(User.name == (name or "").strip()))
            user_id = user.id if user is not None else None
            stored = user.password_hash if user is not None else None
        ok, new_hash = auth.verify_password(stored, password)
        actor: Actor | None = None
        with self.store.write() as session:
            user = session.get(User, user_id) if ok and user_id is not None else None
            if user is not None and user.active and user.password_hash == stored:
                actor = _actor(user)
                if new_hash:
                    user.password_hash = new_hash
            session.add(LoginAttempt(name=key, client=client, success=actor is not None,
                                     at=now))
            if actor is not None:
                audit(session, actor, "login", client=client, method="password")
            else:
                audit(session, Actor(name=key, role=""), "login_failed", client=client)
        if actor is None:
            raise AuthError(auth.LOGIN_FAILED)
        return actor

    def sso_login(self, email: str, display_name: str = "", client: str = "") -> Actor:
        """The actor for an identity the single-sign-on provider vouched for.

        An account with that email logs in with its own role; otherwise the ``[sso] roles``
        mapping (review.toml, or the ``sso`` setting) gives the role of a new account. The
        caller must have verified the identity (Streamlit's ``st.user`` after ``st.login``).
        """
        address = (email or "").strip()
        if "@" not in address:
            raise AuthError("the sign-on provider sent no email address; ask an admin")
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
                user = self._insert_user(session, address[:auth.MAX_NAME_LENGTH], role,
                                         None, address)
                audit(session, _actor(user), "user_add", user=user.name, role=role,
                      sso_only=True, display_name=display_name[:120])
            actor = _actor(user)
            session.add(LoginAttempt(name=auth.throttle_key(user.name), client=client[:120],
                                     success=True, at=self._clock()))
            audit(session, actor, "login", client=client[:120], method="sso")
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
        """Note the end of a session in the audit trail (the page forgets the actor)."""
        with self.store.write() as session:
            audit(session, actor, "logout")

    # ------------------------------------------------------------ assignments
