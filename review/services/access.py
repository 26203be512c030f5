"""Which articles and segments a person may see: the one rule every use case asks.

Leads and admins read every listed article; a reviewer reads the articles assigned to them,
and within each only the segment positions of their assignments (an assignment without a
range covers the whole article). Reads filter with :meth:`Access.visible`, single objects
are fetched through :meth:`Access.require_article` and :meth:`Access.require_segment`.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor, can, require
from review.core.errors import NotFound, PermissionDenied
from review.core.vocab import STAGED_STATUS
from review.db.models import Article, Assignment, Segment

Range = tuple[int | None, int | None]


def covers(first: int | None, last: int | None, position: int) -> bool:
    """Whether an assignment's range (0-based, inclusive, open where None) holds a position."""
    return (first is None or position >= first) and (last is None or position <= last)


def range_condition(first: int | None, last: int | None) -> ColumnElement[bool]:
    """:func:`covers` as a SQL condition on ``Segment.position``."""
    parts = []
    if first is not None:
        parts.append(Segment.position >= first)
    if last is not None:
        parts.append(Segment.position <= last)
    return and_(true(), *parts)


class Access:
    """The reading rights of an actor over one store's articles and segments."""

    @staticmethod
    def ranges(session: Session, actor: Actor, article_id: int) -> list[Range]:
        """The actor's assigned position ranges in an article (empty: not assigned)."""
        rows = session.execute(
            select(Assignment.first_position, Assignment.last_position)
            .where(Assignment.article_id == article_id, Assignment.user_id == actor.user_id)
        ).all()
        return [(r[0], r[1]) for r in rows]

    def reads_all(self, actor: Actor) -> bool:
        return can(actor, "article.read_all")

    def visible(self, session: Session, actor: Actor, article_id: int) -> ColumnElement[bool]:
        """A condition on ``Segment`` that keeps what the actor may see of one article."""
        if self.reads_all(actor):
            return true()
        ranges = self.ranges(session, actor, article_id)
        if not ranges:
            return false()
        return or_(*(range_condition(lo, hi) for lo, hi in ranges))

    def visible_segments(self, session: Session, actor: Actor, article_id: int) -> list[Segment]:
        """The article's segments the actor may see, in reading order."""
        return list(session.scalars(
            select(Segment).where(Segment.article_id == article_id,
                                  self.visible(session, actor, article_id))
            .order_by(Segment.position)))

    def readable(self, actor: Actor) -> ColumnElement[bool]:
        """A condition on ``Article`` that keeps the articles the actor may read."""
        if self.reads_all(actor):
            return true()
        return Article.id.in_(select(Assignment.article_id).where(
            Assignment.user_id == actor.user_id))

    def readable_articles(self, session: Session, actor: Actor,
                          article_ids: list[int]) -> list[int]:
        """Of these articles, those the actor may read (all of them for leads)."""
        if self.reads_all(actor):
            return list(article_ids)
        assigned = set(session.scalars(select(Assignment.article_id).where(
            Assignment.user_id == actor.user_id)))
        return [i for i in article_ids if i in assigned]

    def require_article(self, session: Session, actor: Actor, article_id: int,
                        action: str = "article.read") -> Article:
        require(actor, action)
        article = session.get(Article, article_id)
        if article is None or article.status == STAGED_STATUS:
            raise NotFound(f"no article with id {article_id}; `python -m review list` shows them")
        if not self.reads_all(actor) and not self.ranges(session, actor, article_id):
            raise PermissionDenied(
                f"article {article_id} is not assigned to {actor.name}; ask a lead to assign it")
        return article

    def require_segment(self, session: Session, actor: Actor, segment_id: int,
                        action: str = "segment.edit") -> Segment:
        segment = session.get(Segment, segment_id)
        if segment is None:
            raise NotFound(f"no segment with id {segment_id}")
        self.require_article(session, actor, segment.article_id, "article.read")
        require(actor, action)
        if not self.reads_all(actor) and not any(
                covers(lo, hi, segment.position)
                for lo, hi in self.ranges(session, actor, segment.article_id)):
            raise PermissionDenied(
                f"segment {segment.position + 1} is outside the range assigned to "
                f"{actor.name}")
        return segment
