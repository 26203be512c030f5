"""Rating-only assignments (flags plus an optional 0-100 ESA score, no post-edit) and the
effort each reviewer spends: time per segment and words per hour, outliers left out."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from review.accounts.permissions import Actor, require
from review.core.errors import InputError, NotFound
from review.core.vocab import ASSIGNMENT_MODES, EFFORT_BOUNDS, ESA_GROUPINGS, ESA_RANGE
from review.db.models import (
    Article,
    Assignment,
    Revision,
    Segment,
    SegmentRating,
    Setting,
    utcnow,
)
from review.quality.stats import effort, mean_interval
from review.services.base import Service, audit, listed

EFFORT_KEY = "effort_bounds"


class RatingServices(Service):
    """Assignment modes, ESA scores, effort."""

    def set_assignment_mode(self, actor: Actor, assignment_id: int, mode: str) -> str:
        if mode not in ASSIGNMENT_MODES:
            raise InputError(f"unknown assignment mode {mode!r}; use post_edit or rating")
        with self.store.write() as session:
            row = session.get(Assignment, assignment_id)
            if row is None:
                raise NotFound(f"no assignment with id {assignment_id}")
            self.access.require_article(session, actor, row.article_id, "article.assign")
            row.mode = mode
            audit(session, actor, "assignment_mode", article_id=row.article_id,
                  assignment_id=assignment_id, mode=mode)
            return mode

    def rate_segment(self, actor: Actor, segment_id: int, score: int | None) -> int | None:
        """The acting reviewer's 0-100 score of the segment; None takes it back."""
        low, high = ESA_RANGE
        if score is not None and (not isinstance(score, int) or isinstance(score, bool)
                                  or not low <= score <= high):
            raise InputError(f"a segment score is a whole number from {low} to {high}, "
                             f"not {score!r}")
        with self.store.write() as session:
            seg = self.access.require_segment(session, actor, segment_id, "flag.edit")
            row = session.scalar(select(SegmentRating).where(
                SegmentRating.segment_id == segment_id, SegmentRating.author == actor.name))
            if score is None:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(SegmentRating(segment_id=segment_id, author=actor.name,
                                          score=score))
            else:
                row.score, row.created_at = score, utcnow()
            audit(session, actor, "rate", article_id=seg.article_id, segment_id=segment_id,
                  score=score)
            return score

    def segment_ratings(self, actor: Actor, article_id: int) -> pd.DataFrame:
        """Every ESA score on the article: segment (1-based), reviewer, score."""
        with self.store.read() as session:
            self.access.require_article(session, actor, article_id, "dashboard.view")
            rows = session.execute(
                select(Segment.position, SegmentRating.author, SegmentRating.score)
                .join(Segment, Segment.id == SegmentRating.segment_id)
                .where(Segment.article_id == article_id)
                .order_by(Segment.position, SegmentRating.author)).all()
        return pd.DataFrame([(p + 1, a, s) for p, a, s in rows],
                            columns=["segment", "reviewer", "score"])

    def esa_report(self, actor: Actor, by: str = "system") -> dict:
        """ESA results: the 0-100 segment scores of rating-mode reviewers per system (the
        article's MT system), document or rater, with count and a 95% interval, best first:
        ``{"by", "rows": [{by, "rank", "mean", "count", "low", "high"}]}``."""
        require(actor, "dashboard.view")
        if by not in ESA_GROUPINGS:
            raise InputError(f"cannot report ESA by {by!r}; use one of "
                             f"{', '.join(ESA_GROUPINGS)}")
        with self.store.read() as session:
            rows = session.execute(
                select(Article.mt_system, Article.title, SegmentRating.author,
                       SegmentRating.score)
                .join(Segment, Segment.id == SegmentRating.segment_id)
                .join(Article, Article.id == Segment.article_id)
                .where(listed())).all()
        groups: dict[str, list[float]] = {}
        for system, title, author, score in rows:
            key = {"system": system or "MT", "document": title, "rater": author}[by]
            groups.setdefault(key, []).append(float(score))
        stats = sorted(((mean_interval(scores), name) for name, scores in groups.items()),
                       key=lambda item: (-item[0].mean, item[1]))
        return {"by": by, "rows": [
            {by: name, "rank": rank, "mean": round(s.mean, 2), "count": s.count,
             "low": round(s.low, 2), "high": round(s.high, 2)}
            for rank, (s, name) in enumerate(stats, start=1)]}

    def set_effort_bounds(self, actor: Actor, fast: float, slow: float) -> tuple[float, float]:
        """Seconds per word under which (a skim) or over which (a break) a segment's time
        is left out of the effort figures."""
        require(actor, "article.assign")
        effort(pd.DataFrame(columns=["reviewer", "segment_id", "words", "seconds"]),
               (float(fast), float(slow)))  # validates
        with self.store.write() as session:
            row = session.get(Setting, EFFORT_KEY)
            value = {"fast": float(fast), "slow": float(slow)}
            if row is None:
                session.add(Setting(key=EFFORT_KEY, value=value))
            else:
                row.value = value
            audit(session, actor, "setting", key=EFFORT_KEY, fast=value["fast"],
                  slow=value["slow"])
        return float(fast), float(slow)

    def effort_report(self, actor: Actor) -> pd.DataFrame:
        """Per reviewer: segments timed, segments left out, seconds per segment, words per
        hour (see ``review.quality.stats.effort``)."""
        require(actor, "dashboard.view")
        with self.store.read() as session:
            row = session.get(Setting, EFFORT_KEY)
            bounds = (row.value["fast"], row.value["slow"]) if row else EFFORT_BOUNDS
            rows = session.execute(
                select(Revision.author, Revision.segment_id, Revision.seconds_spent,
                       Segment.mt)
                .join(Segment, Segment.id == Revision.segment_id)
                .where(Revision.action.in_(("edit", "restore")))).all()
        times = pd.DataFrame([(a, s, len(mt.split()), sec) for a, s, sec, mt in rows],
                             columns=["reviewer", "segment_id", "words", "seconds"])
        if not times.empty:
            times = times.groupby(["reviewer", "segment_id"], as_index=False).agg(
                words=("words", "first"), seconds=("seconds", "sum"))
        return effort(times, bounds)
