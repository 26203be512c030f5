"""Who may do what: one table, checked by every service so no page or CLI can bypass it."""

from __future__ import annotations

from dataclasses import dataclass, field

from review.core.errors import PermissionDenied
from review.core.vocab import ROLES


@dataclass(frozen=True)
class Actor:
    """The user a service call acts for (plain data, safe to keep in a session)."""

    name: str
    role: str
    user_id: int | None = None
    generation: int | None = field(default=None, compare=False)
    """The account's session generation when this actor logged in (``review.services.
    sessions``): once the account's generation moves on (logout, password change or reset,
    role change, deactivation), this actor no longer resumes. None for actors that did not
    come from a login (the command line, tests)."""


SYSTEM_ACTOR = Actor(name="pipeline", role="admin")
"""The command line acts with admin rights: whoever runs it already holds the database."""

PERMISSIONS: dict[str, frozenset[str]] = {
    "article.read": frozenset(ROLES),
    "segment.edit": frozenset(ROLES),
    "flag.edit": frozenset(ROLES),
    "article.import": frozenset({"lead", "admin"}),
    "article.delete": frozenset({"lead", "admin"}),
    "article.assign": frozenset({"lead", "admin"}),
    "article.retranslate": frozenset({"lead", "admin"}),
    "article.export": frozenset({"lead", "admin"}),
    "article.read_all": frozenset({"lead", "admin"}),
    "dashboard.view": frozenset({"lead", "admin"}),
    "audit.view": frozenset({"lead", "admin"}),
    "users.manage": frozenset({"admin"}),
    "users.invite": frozenset({"lead", "admin"}),
    "settings.manage": frozenset({"admin"}),
    "jobs.manage": frozenset({"lead", "admin"}),
}

ACTION_LABELS = {
    "article.read": "read this article",
    "segment.edit": "edit segments",
    "flag.edit": "flag segments",
    "article.import": "import articles",
    "article.delete": "delete articles",
    "article.assign": "assign articles",
    "article.retranslate": "run retranslation",
    "article.export": "export articles",
    "article.read_all": "see every article",
    "dashboard.view": "open the dashboards",
    "audit.view": "read the audit trail",
    "users.manage": "manage accounts",
    "users.invite": "invite reviewers",
    "settings.manage": "change settings",
    "jobs.manage": "run or cancel jobs",
}


def can(actor: Actor, action: str) -> bool:
    return actor.role in PERMISSIONS[action]


def require(actor: Actor, action: str) -> None:
    if not can(actor, action):
        raise PermissionDenied(
            f"{actor.name} ({actor.role}) may not {ACTION_LABELS[action]}; ask a lead or admin"
        )
