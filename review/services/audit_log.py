"""The audit trail as leads read it: filtered, with segment numbers as the pages show them
(1-based positions) and details in words instead of raw JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from review.accounts.permissions import Actor, require
from review.db.models import Article, AuditEvent, Segment
from review.services.base import Service, as_utc

ACTION_WORDS = {
    "edit": "edited the text", "restore": "restored a text", "status": "set the status",
    "flag": "added a flag", "flag_delete": "deleted a flag", "flag_confirmed": "confirmed a flag",
    "flag_dismissed": "dismissed a flag", "assign": "assigned", "unassign": "unassigned",
    "assign_second_pass": "assigned a second pass", "r2_accept": "kept a first-pass flag",
    "r2_reject": "rejected a first-pass flag", "r2_change": "changed a first-pass flag",
    "attention_checks": "set attention checks", "attention_check": "answered a check",
    "invite_link": "made an invitation link", "reset_link": "made a password-reset link",
    "link_revoke": "revoked a link",
    "rate": "scored a segment", "import": "imported", "export": "exported",
}
HIDDEN_KEYS = frozenset({"flag_id", "assignment_id", "version"})
"""Internal ids the trail keeps but a reader has no use for."""


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    actor: str
    action: str
    what: str
    article_id: int | None
    article: str
    segment: int | None
    """The segment's number as the Review page shows it (1-based), None when none."""
    details: str


def readable(detail: dict) -> str:
    """``{"category": "Style/Awkward", "severity": "Minor"}`` -> "category Style/Awkward,
    severity Minor"; empty values and internal ids left out."""
    parts = []
    for key, value in (detail or {}).items():
        if key in HIDDEN_KEYS or value in (None, "", [], {}):
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, float):
            value = f"{value:g}"
        parts.append(f"{key.replace('_', ' ')} {value}")
    return ", ".join(parts)


class AuditLogServices(Service):
    """Read the audit trail with filters."""

    def audit_log(self, actor: Actor, *, who: str | None = None, action: str | None = None,
                  article_id: int | None = None, since: datetime | None = None,
                  until: datetime | None = None, limit: int = 500) -> list[AuditLine]:
        require(actor, "audit.view")
        query = (select(AuditEvent, Article.title, Segment.position)
                 .outerjoin(Article, Article.id == AuditEvent.article_id)
                 .outerjoin(Segment, Segment.id == AuditEvent.segment_id)
                 .order_by(AuditEvent.id.desc()).limit(max(1, min(int(limit), 5000))))
        if who:
            query = query.where(AuditEvent.actor == who)
        if action:
            query = query.where(AuditEvent.action == action)
        if article_id is not None:
            query = query.where(AuditEvent.article_id == article_id)
        if since is not None:
            query = query.where(AuditEvent.at >= since)
        if until is not None:
            query = query.where(AuditEvent.at <= until)
        with self.store.read() as session:
            rows = session.execute(query).all()
        return [AuditLine(as_utc(e.at), e.actor, e.action,
                          ACTION_WORDS.get(e.action, e.action.replace("_", " ")),
                          e.article_id, title or "",
                          None if position is None else position + 1, readable(e.detail))
                for e, title, position in rows]

    def audit_filters(self, actor: Actor) -> tuple[list[str], list[str]]:
        """The people and the actions that occur in the trail (the page's filter choices)."""
        require(actor, "audit.view")
        with self.store.read() as session:
            people = session.scalars(select(AuditEvent.actor).distinct()).all()
            actions = session.scalars(select(AuditEvent.action).distinct()).all()
        return sorted(people), sorted(actions)
