"""Plain rows the quality-control use cases share: counted flags with their weights (final
and as the first pass left them), and words per article. A helper below the use cases."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.core.mqm import error_weight, is_error
from review.core.vocab import CONTENT_KINDS
from review.db.models import Flag, FlagReview, Segment


@dataclass(frozen=True)
class CountedFlag:
    article_id: int
    segment_id: int
    position: int
    category: str
    severity: str
    weight: float


def counted(origin: str, state: str) -> bool:
    """The dashboards' rule: a dismissed flag never counts, a check's suggestion only once a
    reviewer confirmed it."""
    return state != "dismissed" and (origin != "check" or state == "confirmed")


def final_flags(session: Session, article_ids: Iterable[int]) -> list[CountedFlag]:
    """The flags that count now, after any second-pass decisions (MT flags only)."""
    rows = session.execute(
        select(Segment.article_id, Segment.id, Segment.position, Flag.category,
               Flag.severity, Flag.origin, Flag.state)
        .join(Flag, Flag.segment_id == Segment.id)
        .where(Segment.article_id.in_(list(article_ids)), Flag.candidate_id.is_(None),
               Segment.kind.in_(CONTENT_KINDS))).all()
    return [CountedFlag(a, s, p, c, sev, error_weight(c, sev))
            for a, s, p, c, sev, origin, state in rows
            if counted(origin, state) and is_error(c, sev)]


def first_pass_flags(session: Session, article_ids: Iterable[int]) -> list[CountedFlag]:
    """The flags as the first pass left them: R2's changes undone, R2's additions left out,
    R2's rejections counted again."""
    ids = list(article_ids)
    flags = session.execute(
        select(Segment.article_id, Segment.id, Segment.position, Flag)
        .join(Flag, Flag.segment_id == Segment.id)
        .where(Segment.article_id.in_(ids), Flag.candidate_id.is_(None),
               Segment.kind.in_(CONTENT_KINDS))).all()
    reviews: dict[int, list[FlagReview]] = {}
    for review in session.scalars(select(FlagReview).where(
            FlagReview.flag_id.in_([f.id for *_, f in flags])).order_by(FlagReview.id)):
        reviews.setdefault(review.flag_id, []).append(review)
    out = []
    for article_id, segment_id, position, flag in flags:
        history = reviews.get(flag.id, [])
        if any(r.decision == "add" for r in history):
            continue
        before = history[0].before if history else {}
        category = before.get("category", flag.category)
        severity = before.get("severity", flag.severity)
        state = before.get("state", flag.state)
        if counted(flag.origin, state) and is_error(category, severity):
            out.append(CountedFlag(article_id, segment_id, position, category, severity,
                                   error_weight(category, severity)))
    return out


def words_by_article(session: Session, article_ids: Iterable[int]) -> dict[int, int]:
    """Words of the MT's content segments (what a per-1,000-words penalty divides by)."""
    words: dict[int, int] = {}
    for article_id, mt in session.execute(
            select(Segment.article_id, Segment.mt)
            .where(Segment.article_id.in_(list(article_ids)),
                   Segment.kind.in_(CONTENT_KINDS))):
        words[article_id] = words.get(article_id, 0) + len(mt.split())
    return words


def content_segments(session: Session, article_id: int) -> int:
    return len(session.scalars(select(Segment.id).where(
        Segment.article_id == article_id, Segment.kind.in_(CONTENT_KINDS))).all())


def reviewed_articles(session: Session, article_ids: Iterable[int]) -> set[int]:
    """Articles someone has looked at: a segment fixed or approved, a flag by a person
    (imported annotations included, "no error" rows too) or a check's suggestion confirmed."""
    ids = list(article_ids)
    touched = set(session.scalars(
        select(Segment.article_id).distinct()
        .where(Segment.article_id.in_(ids), Segment.status != "todo")))
    flagged = set(session.scalars(
        select(Segment.article_id).distinct().join(Flag, Flag.segment_id == Segment.id)
        .where(Segment.article_id.in_(ids),
               (Flag.origin != "check") | (Flag.state == "confirmed"))))
    return touched | flagged
