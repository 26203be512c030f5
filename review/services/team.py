"""Running a team: bulk assignment with due dates, each reviewer's progress across their
assignments, and presence (who has a segment open right now)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import overload

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor, require
from review.core.errors import InputError, NotFound
from review.core.vocab import ASSIGNMENT_MODES, CONTENT_KINDS, FINISHED_STATUSES, PRESENCE_SECONDS
from review.db.models import (
    Assignment,
    AuditEvent,
    Flag,
    FlagReview,
    Presence,
    Revision,
    Segment,
    User,
    utcnow,
)
from review.services.access import covers
from review.services.base import Service, as_utc, audit


@dataclass
class BulkResult:
    created: list[int] = field(default_factory=list)
    """Ids of the new assignments."""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewerProgress:
    """One reviewer's work across every assignment."""

    name: str
    articles: int
    segments: int
    done: int
    seconds: float
    overdue: int
    next_due: datetime | None

    @property
    def share_done(self) -> float:
        return self.done / self.segments if self.segments else 0.0


@overload
def _due(due: date) -> datetime: ...
@overload
def _due(due: date | None) -> datetime | None: ...


def _due(due: date | datetime | None) -> datetime | None:
    if due is None or isinstance(due, datetime):
        return as_utc(due) if due else None
    return datetime.combine(due, time(23, 59), tzinfo=UTC)


class TeamServices(Service):
    """Bulk assignment, progress per reviewer, presence."""

    def bulk_assign(self, actor: Actor, article_ids: Iterable[int], user_names: Iterable[str],
                    due: date | datetime | None = None, *,
                    mode: str = "post_edit") -> BulkResult:
        """Every article to every named reviewer (whole articles), with a due date; an
        article already assigned to somebody is assigned anyway, with a warning."""
        require(actor, "article.assign")
        if mode not in ASSIGNMENT_MODES:
            raise InputError(f"unknown assignment mode {mode!r}; use post_edit or rating")
        ids, names = list(dict.fromkeys(article_ids)), list(dict.fromkeys(user_names))
        if not ids or not names:
            raise InputError("choose at least one article and one reviewer")
        result = BulkResult()
        with self.store.write() as session:
            users = []
            for name in names:
                user = session.scalar(select(User).where(User.name == name))
                if user is None or not user.active:
                    raise NotFound(f"no active account named {name!r}")
                users.append(user)
            for article_id in ids:
                self.access.require_article(session, actor, article_id, "article.assign")
                held = session.execute(
                    select(Assignment, User.name).join(User, User.id == Assignment.user_id)
                    .where(Assignment.article_id == article_id,
                           Assignment.review_pass == 1)).all()
                for user in users:
                    mine = [a for a, n in held if n == user.name]
                    if any(a.first_position is None and a.last_position is None
                           for a in mine):
                        result.warnings.append(
                            f"{user.name} already has article {article_id}; not assigned "
                            "again")
                        continue
                    others = sorted({n for _, n in held if n != user.name})
                    if others:
                        result.warnings.append(
                            f"article {article_id} is also assigned to {', '.join(others)}")
                    row = Assignment(article_id=article_id, user_id=user.id, mode=mode,
                                     due_at=_due(due), created_by=actor.name)
                    session.add(row)
                    session.flush()
                    result.created.append(row.id)
                    audit(session, actor, "assign", article_id=article_id, user=user.name,
                          assignment_id=row.id, mode=mode,
                          due=_due(due).date().isoformat() if due else None)
        return result

    def reviewer_progress(self, actor: Actor) -> list[ReviewerProgress]:
        """Assigned versus done segments, total editing time and due dates per reviewer."""
        require(actor, "article.assign")
        now = utcnow()
        with self.store.read() as session:
            rows = session.execute(
                select(User.name, Assignment).join(Assignment, Assignment.user_id == User.id)
                .where(User.active.is_(True))).all()
            article_ids = {a.article_id for _, a in rows}
            segments: dict[int, list[tuple[int, int, str]]] = {}
            for art_id, seg_id, position, status in session.execute(
                    select(Segment.article_id, Segment.id, Segment.position, Segment.status)
                    .where(Segment.article_id.in_(article_ids),
                           Segment.kind.in_(CONTENT_KINDS))):
                segments.setdefault(art_id, []).append((seg_id, position, status))
            finished_by = _finished_by(session, article_ids)
            seconds = dict(session.execute(
                select(Revision.author, func.sum(Revision.seconds_spent))
                .group_by(Revision.author)).all())
            second = {a.article_id for _, a in rows if a.review_pass == 2}
            to_decide = _second_pass_segments(session, second)
        by_name: dict[str, list[Assignment]] = {}
        for name, assignment in rows:
            by_name.setdefault(name, []).append(assignment)
        out = []
        for name, mine in sorted(by_name.items()):
            total = done = overdue = 0
            dues = []
            for a in mine:
                # a second pass is done segment by segment as every first-pass flag on it
                # is decided; a first pass as this person fixes or approves segments (a
                # segment somebody else finished is not this person's work)
                mine_done = finished_by.get(name, set())
                states = (to_decide.get(a.article_id, []) if a.review_pass == 2
                          else [(p, s in FINISHED_STATUSES and i in mine_done)
                                for i, p, s in segments.get(a.article_id, [])])
                inside = [d for p, d in states if covers(a.first_position, a.last_position, p)]
                finished = sum(inside)
                total, done = total + len(inside), done + finished
                if a.due_at is not None:
                    due_at = as_utc(a.due_at)
                    if finished < len(inside):
                        dues.append(due_at)
                        overdue += due_at < now
            out.append(ReviewerProgress(name, len({a.article_id for a in mine}), total, done,
                                        float(seconds.get(name) or 0.0), overdue,
                                        min(dues) if dues else None))
        return out

    def heartbeat(self, actor: Actor, segment_id: int) -> list[str]:
        """Say the acting user has the segment open; returns who else has it open now."""
        with self.store.write() as session:
            self.access.require_segment(session, actor, segment_id, "article.read")
            row = session.scalar(select(Presence).where(
                Presence.segment_id == segment_id, Presence.user_name == actor.name))
            if row is None:
                session.add(Presence(segment_id=segment_id, user_name=actor.name))
            else:
                row.seen_at = utcnow()
        return self.editing_now(actor, segment_id)

    def editing_now(self, actor: Actor, segment_id: int) -> list[str]:
        """The other people whose heartbeat on the segment is fresh ("X is editing this")."""
        since = utcnow() - timedelta(seconds=PRESENCE_SECONDS)
        with self.store.read() as session:
            self.access.require_segment(session, actor, segment_id, "article.read")
            rows = session.execute(select(Presence.user_name, Presence.seen_at).where(
                Presence.segment_id == segment_id, Presence.user_name != actor.name)).all()
        return sorted(name for name, seen in rows if as_utc(seen) >= since)


def _finished_by(session: Session, article_ids: set[int]) -> dict[str, set[int]]:
    """Per person, the segments they saved a text or a status on: their own work, whatever
    state the article is in now."""
    out: dict[str, set[int]] = {}
    saved = select(Revision.author, Revision.segment_id).join(
        Segment, Segment.id == Revision.segment_id).where(Segment.article_id.in_(article_ids))
    statuses = select(AuditEvent.actor, AuditEvent.segment_id).where(
        AuditEvent.action == "status", AuditEvent.article_id.in_(article_ids),
        AuditEvent.segment_id.is_not(None))
    for stmt in (saved, statuses):
        for name, segment_id in session.execute(stmt):
            if segment_id is not None:  # always set: the statuses query keeps only those
                out.setdefault(name, set()).add(segment_id)
    return out


def _second_pass_segments(session: Session, article_ids: set[int]
                          ) -> dict[int, list[tuple[int, bool]]]:
    """Per article: (position, decided) of each segment holding first-pass flags, decided
    once a second reviewer has ruled on every one of them."""
    if not article_ids:
        return {}
    decided = set(session.scalars(select(FlagReview.flag_id).join(
        Flag, Flag.id == FlagReview.flag_id).join(Segment, Segment.id == Flag.segment_id)
        .where(Segment.article_id.in_(article_ids))))
    per_segment: dict[tuple[int, int], bool] = {}
    for article_id, position, flag_id in session.execute(
            select(Segment.article_id, Segment.position, Flag.id)
            .join(Flag, Flag.segment_id == Segment.id)
            .where(Segment.article_id.in_(article_ids), Segment.kind.in_(CONTENT_KINDS),
                   (Flag.origin != "check") | (Flag.state == "confirmed"))):
        key = (article_id, position)
        per_segment[key] = per_segment.get(key, True) and flag_id in decided
    out: dict[int, list[tuple[int, bool]]] = {}
    for (article_id, position), done in sorted(per_segment.items()):
        out.setdefault(article_id, []).append((position, done))
    return out
