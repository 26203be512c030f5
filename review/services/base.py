"""What every group of use cases shares: the store, access checks and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor, can, require
from review.core.errors import NotFound, PermissionDenied
from review.core.vocab import STAGED_STATUS
from review.db.models import Article, Assignment, AuditEvent, Segment
from review.db.store import Store


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


class ServiceBase:
    """Holds the store; subclasses add use cases that all check the actor first."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _queue_checks(self, actor: Actor, article_ids: list[int]) -> str | None:
        """Hand the QA checks of a big import to a worker: what to call the job, or None
        when no queue takes it (the import then checks the articles itself)."""
        return None

    def _assigned_positions(self, session: Session, actor: Actor,
                            article_id: int) -> list[tuple[int | None, int | None]]:
        rows = session.execute(
            select(Assignment.first_position, Assignment.last_position)
            .where(Assignment.article_id == article_id, Assignment.user_id == actor.user_id)
        ).all()
        return [(r[0], r[1]) for r in rows]

    def _require_article(self, session: Session, actor: Actor, article_id: int,
                         action: str = "article.read") -> Article:
        require(actor, action)
        article = session.get(Article, article_id)
        if article is None or article.status == STAGED_STATUS:
            raise NotFound(f"no article with id {article_id}; `python -m review list` shows them")
        if not can(actor, "article.read_all") and not self._assigned_positions(
                session, actor, article_id):
            raise PermissionDenied(
                f"article {article_id} is not assigned to {actor.name}; ask a lead to assign it")
        return article

    def _require_segment(self, session: Session, actor: Actor, segment_id: int,
                         action: str = "segment.edit") -> Segment:
        segment = session.get(Segment, segment_id)
        if segment is None:
            raise NotFound(f"no segment with id {segment_id}")
        self._require_article(session, actor, segment.article_id, "article.read")
        require(actor, action)
        if not can(actor, "article.read_all"):
            ranges = self._assigned_positions(session, actor, segment.article_id)
            if not any((lo is None or segment.position >= lo) and
                       (hi is None or segment.position <= hi) for lo, hi in ranges):
                raise PermissionDenied(
                    f"segment {segment.position + 1} is outside the range assigned to "
                    f"{actor.name}")
        return segment
