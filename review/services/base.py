"""What every group of use cases shares: the store, access checks and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor
from review.core.vocab import STAGED_STATUS
from review.db.models import Article, AuditEvent, Segment
from review.db.store import Store
from review.services.access import Access


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything the store holds is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def audit(session: Session, actor: Actor, action: str, *, article_id: int | None = None,
          segment_id: int | None = None, **detail: object) -> None:
    """Append one event to the audit trail (inside the caller's transaction)."""
    session.add(AuditEvent(actor=actor.name, action=action, article_id=article_id,
                           segment_id=segment_id, detail=detail))


def listed():  # noqa: ANN201 - a SQLAlchemy condition
    """Articles lists and reports may show: not those whose import is still streaming in."""
    return Article.status != STAGED_STATUS


def staged_segment_ids():  # noqa: ANN201 - a SQLAlchemy subquery
    """Ids of the segments of imports still streaming in, for whole-library queries."""
    return select(Segment.id).where(Segment.article_id.in_(
        select(Article.id).where(Article.status == STAGED_STATUS)))


class Service:
    """A group of use cases over one store. What it needs from another group comes in its
    constructor; the reading rights every group checks come from one ``Access``."""

    def __init__(self, store: Store, access: Access) -> None:
        self.store = store
        self.access = access
