"""Accounts: password hashing, login throttling and single-sign-on role mapping.

Pure helpers with no database access; ``review.services.accounts`` applies them inside
transactions. Passwords are hashed with argon2id (argon2-cffi's RFC 9106 low-memory
profile); a stored hash made with older parameters is replaced at the next good login.
Every hash and check takes a slot of ``review.accounts.password_gate`` (a few at a time per
process).
"""

from __future__ import annotations

import math
import os
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from review.accounts import password_gate
from review.accounts.names import invisible_problem, normalise_name
from review.core.errors import AuthError, InputError
from review.core.vocab import ROLES

HASHER = PasswordHasher()
"""The hasher for new hashes; tests swap in cheaper parameters."""

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
MAX_NAME_LENGTH = 120
LOGIN_FAILED = "wrong name or password (or the account is deactivated)"
"""One message for an unknown name, a wrong password and a deactivated account."""

_dummy_hashes: dict[tuple, str] = {}


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` after checking it is usable."""
    validate_password(password)
    with password_gate.GATE.slot():
        return HASHER.hash(password)


def validate_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InputError(f"a password may have at most {MAX_PASSWORD_LENGTH} characters")
    if "\x00" in password:
        raise InputError("a password may not hold a NUL character")


def validate_name(name: str) -> str:
    """The account name in NFKC, stripped; refuses names that cannot be typed at a login
    prompt or that hold characters showing nothing (``review.accounts.names``). Uniqueness
    ignoring case and look-alikes is the database's job (``name_key``)."""
    cleaned = normalise_name(name)
    if not cleaned:
        raise InputError("an account needs a name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InputError(f"an account name may have at most {MAX_NAME_LENGTH} characters")
    if any(ch.isspace() and ch != " " or unicodedata.category(ch) == "Cc"
           for ch in cleaned):
        raise InputError("an account name may not hold tabs, line breaks or control characters")
    problem = invisible_problem(cleaned)
    if problem:
        raise InputError(problem)
    return cleaned


def validate_role(role: str) -> str:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    return role


def throttle_key(name: str) -> str:
    """Names are throttled case-insensitively so ``Alice`` and ``alice`` share a budget."""
    return (name or "").strip().casefold()[:MAX_NAME_LENGTH]


def _hasher_key() -> tuple:
    return (HASHER.time_cost, HASHER.memory_cost, HASHER.parallelism, HASHER.hash_len,
            HASHER.salt_len, HASHER.type)


def _dummy_hash() -> str:
    key = _hasher_key()
    if key not in _dummy_hashes:
        _dummy_hashes[key] = HASHER.hash("not a password anybody uses")
    return _dummy_hashes[key]


def verify_password(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    """Whether ``password`` matches, and a fresh hash when the stored one is outdated.

    Without a stored hash (unknown user, single-sign-on account) a dummy hash is checked
    anyway, so the answer takes as long as for a real account.
    """
    if not isinstance(password, str) or not password:
        return False, None  # the same for every name, so it tells nothing
    with password_gate.GATE.slot():
        if not stored_hash:
            try:
                HASHER.verify(_dummy_hash(), password)
            except VerificationError:
                pass
            return False, None
        try:
            HASHER.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False, None
        if HASHER.check_needs_rehash(stored_hash):
            return True, HASHER.hash(password)
        return True, None


@dataclass(frozen=True)
class ThrottlePolicy:
    """After ``free_failures`` failures within ``window``, each further try waits longer.

    The wait doubles with every failure past the free ones: 30 s, 60 s, 120 s ... up to
    ``max_delay``, counted from the latest failure.
    """

    free_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    base_delay: float = 30.0
    max_delay: float = 15 * 60.0

    def delay_after(self, failures: int) -> float:
        if failures < self.free_failures:
            return 0.0
        return min(self.max_delay, self.base_delay * 2 ** (failures - self.free_failures))

    def wait_seconds(self, failures: Iterable[datetime], now: datetime) -> float:
        """Seconds to wait before the next try, given the failure times (0: go ahead)."""
        recent = [at for at in failures if now - at < self.window]
        if len(recent) < self.free_failures:
            return 0.0
        until = max(recent) + timedelta(seconds=self.delay_after(len(recent)))
        return max(0.0, (until - now).total_seconds())


ACCOUNT_POLICY = ThrottlePolicy()
CLIENT_POLICY = ThrottlePolicy(free_failures=20)
"""A client may mistype more (several people behind one address), but guessing across
many accounts from one address is still slowed down."""


def throttled_message(name: str, seconds: float) -> str:
    return (f"too many failed attempts for {name.strip()}; "
            f"try again in {max(1, math.ceil(seconds))} s")


def raise_if_throttled(name: str, account_failures: Iterable[datetime],
                       client_failures: Iterable[datetime], now: datetime) -> None:
    wait = max(ACCOUNT_POLICY.wait_seconds(account_failures, now),
               CLIENT_POLICY.wait_seconds(client_failures, now))
    if wait > 0:
        raise AuthError(throttled_message(name, wait))


# ------------------------------------------------------------------ single sign-on
SSO_SETTING = "sso"
"""Setting row: ``{"roles": {"a@x.org": "lead", "@x.org": "reviewer"}}``."""


def sso_roles_from_file(path: str | Path | None = None,
                        environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """``[sso] roles`` from review.toml (or the file named by ``REVIEW_CONFIG``)."""
    env = os.environ if environ is None else environ
    config = Path(path if path is not None else env.get("REVIEW_CONFIG") or "review.toml")
    if not config.is_file():
        return {}
    try:
        with config.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise InputError(f"cannot read [sso] from {config}: {err}") from None
    roles = data.get("sso", {}).get("roles", {}) if isinstance(data.get("sso"), dict) else {}
    if not isinstance(roles, dict):
        raise InputError(f"{config}: [sso] roles must be a table of email = role")
    return normalise_sso_roles(roles, str(config))


def parse_sso_roles_text(text: str) -> dict[str, str]:
    """``email = role`` / ``@domain = role`` lines (blank lines skipped) as a mapping."""
    mapping = {}
    for line in (text or "").splitlines():
        if line.strip():
            email, _, role = line.partition("=")
            mapping[email.strip()] = role.strip()
    return mapping


def normalise_sso_roles(roles: Mapping[str, object], where: str = "settings") -> dict[str, str]:
    out: dict[str, str] = {}
    for email, role in roles.items():
        if role not in ROLES:
            raise InputError(f"{where}: [sso] role for {email!r} must be one of "
                             f"{', '.join(ROLES)}, not {role!r}")
        out[str(email).strip().casefold()] = str(role)
    return out


def sso_role(email: str, roles: Mapping[str, str]) -> str | None:
    """The role for ``email``: an exact entry first, then one for its domain (``@x.org``)."""
    address = (email or "").strip().casefold()
    if "@" not in address:
        return None
    if address in roles:
        return roles[address]
    return roles.get("@" + address.rsplit("@", 1)[1])
