"""Assignments: which reviewer reviews which article (or range of segments)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor, require
from review.core.errors import InputError, NotFound
from review.core.vocab import (
    RESIDUE_KINDS,
    SEGMENT_STATUSES,
)
from review.db.models import (
    Article,
    Assignment,
    Segment,
    User,
)
from review.services.access import covers
from review.services.accounts import user_by_name
from review.services.base import Service, as_utc, audit


@dataclass
class AssignmentView:
    """An article (or a range of its segments, 1-based and inclusive) given to one user."""

    id: int
    article_id: int
    article_title: str
    user_id: int
    user_name: str
    first: int | None
    last: int | None
    created_at: datetime
    created_by: str
    segments: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    mode: str = "post_edit"
    review_pass: int = 1
    due_at: datetime | None = None
    check_rate: float = 0.0
    """Share of the segments with an attention check beside them (0: none)."""
    check_mode: str = "silent"

    @property
    def done(self) -> int:
        return self.by_status.get("approved", 0)

    @property
    def range_label(self) -> str:
        if self.first is None and self.last is None:
            return "whole article"
        return f"segments {self.first or 1}–{self.last or 'end'}"




class AssignmentServices(Service):
    """Assign articles and list queues."""

    def assign(self, actor: Actor, article_id: int, user_name: str, *,
               first: int | None = None, last: int | None = None) -> AssignmentView:
        """Give an article, or segments ``first``..``last`` (1-based, inclusive), to a user."""
        with self.store.write() as session:
            article = self.access.require_article(session, actor, article_id, "article.assign")
            user = user_by_name(session, user_name)
            if not user.active:
                raise InputError(f"{user.name} is deactivated; reactivate the account first")
            count = session.scalar(select(func.count()).select_from(Segment)
                                   .where(Segment.article_id == article_id)) or 0
            lo, hi = _positions(first, last, count)
            existing = session.scalar(select(Assignment).where(
                Assignment.article_id == article_id, Assignment.user_id == user.id,
                _same(Assignment.first_position, lo), _same(Assignment.last_position, hi)))
            if existing is None:
                existing = Assignment(article_id=article_id, user_id=user.id,
                                      first_position=lo, last_position=hi,
                                      created_by=actor.name)
                session.add(existing)
                session.flush()
                audit(session, actor, "assign", article_id=article_id, user=user.name,
                      first=first, last=last, assignment_id=existing.id)
            return self._assignment_views(session, [(existing, user.name, article.title)])[0]

    def unassign(self, actor: Actor, assignment_id: int) -> None:
        with self.store.write() as session:
            row = session.get(Assignment, assignment_id)
            if row is None:
                raise NotFound(f"no assignment with id {assignment_id}")
            self.access.require_article(session, actor, row.article_id, "article.assign")
            user = session.get(User, row.user_id)
            audit(session, actor, "unassign", article_id=row.article_id,
                  user=user.name if user else "", assignment_id=row.id,
                  first=_one_based(row.first_position), last=_one_based(row.last_position))
            session.delete(row)

    def assignments(self, actor: Actor, article_id: int | None = None,
                    user_name: str | None = None) -> list[AssignmentView]:
        """Who works on what, for leads; optionally one article's or one user's."""
        require(actor, "article.assign")
        with self.store.read() as session:
            query = (select(Assignment, User.name, Article.title)
                     .join(User, User.id == Assignment.user_id)
                     .join(Article, Article.id == Assignment.article_id)
                     .order_by(Assignment.article_id, User.name, Assignment.id))
            if article_id is not None:
                query = query.where(Assignment.article_id == article_id)
            if user_name is not None:
                query = query.where(User.name == user_name)
            return self._assignment_views(
                session, [(a, name, title) for a, name, title in session.execute(query)])

    def my_queue(self, actor: Actor) -> list[AssignmentView]:
        """The acting user's own assignments with their progress: a reviewer's to-do list."""
        require(actor, "article.read")
        if actor.user_id is None:
            return []
        with self.store.read() as session:
            rows = session.execute(
                select(Assignment, User.name, Article.title)
                .join(User, User.id == Assignment.user_id)
                .join(Article, Article.id == Assignment.article_id)
                .where(Assignment.user_id == actor.user_id)
                .order_by(Assignment.article_id, Assignment.id)).all()
            return self._assignment_views(
                session, [(a, name, title) for a, name, title in rows])

    def _assignment_views(self, session: Session,
                          rows: list[tuple[Assignment, str, str]]) -> list[AssignmentView]:
        article_ids = {a.article_id for a, _, _ in rows}
        positions: dict[int, list[tuple[int, str]]] = {}
        for art_id, position, status in session.execute(
                select(Segment.article_id, Segment.position, Segment.status)
                .where(Segment.article_id.in_(article_ids),
                       Segment.kind.not_in(RESIDUE_KINDS))):
            positions.setdefault(art_id, []).append((position, status))
        out = []
        for a, user_name, title in rows:
            counts = Counter(status for position, status in positions.get(a.article_id, [])
                             if covers(a.first_position, a.last_position, position))
            out.append(AssignmentView(
                id=a.id, article_id=a.article_id, article_title=title, user_id=a.user_id,
                user_name=user_name, first=_one_based(a.first_position),
                last=_one_based(a.last_position), created_at=as_utc(a.created_at),
                created_by=a.created_by, segments=sum(counts.values()),
                by_status={s: counts.get(s, 0) for s in SEGMENT_STATUSES}, mode=a.mode,
                review_pass=a.review_pass, due_at=as_utc(a.due_at) if a.due_at else None,
                check_rate=a.check_rate or 0.0, check_mode=a.check_mode or "silent"))
        return out

    # ------------------------------------------------------------ settings


def _one_based(position: int | None) -> int | None:
    return None if position is None else position + 1


def _same(column, value: int | None):  # noqa: ANN001, ANN202
    return column.is_(None) if value is None else column == value


def _positions(first: int | None, last: int | None, count: int) -> tuple[int | None, int | None]:
    """1-based inclusive segment numbers -> stored 0-based positions, checked against the
    article's length."""
    if count == 0:
        raise InputError("the article has no segments to assign")
    for label, number in (("first", first), ("last", last)):
        if number is not None and not 1 <= number <= count:
            raise InputError(f"the {label} segment must be between 1 and {count}, not {number}")
    if first is not None and last is not None and first > last:
        raise InputError(f"the first segment ({first}) comes after the last ({last})")
    if first in (None, 1) and last in (None, count):
        return None, None
    return (first - 1 if first is not None else None, last - 1 if last is not None else None)
