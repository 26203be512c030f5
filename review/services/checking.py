"""The QA checks applied to stored segments.

Open suggestions are replaced by fresh ones; reviewers' decisions (confirmed, dismissed) stay.
"""

from __future__ import annotations

from collections import defaultdict
from typing import cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from review.checks import runner as qa
from review.db.batching import chunks, in_batches
from review.db.models import (
    Article,
    Candidate,
    Flag,
    Segment,
    utcnow,
)
from review.services.check_norms import keep_norms, stored_norms

CHECKED_COLUMNS = (Segment.id, Segment.position, Segment.paragraph, Segment.kind, Segment.source,
                   Segment.mt, Segment.current, Segment.meta)
"""What the QA checks read of a segment."""

_FLAGS = cast(Table, Flag.__table__)  # the stubs type __table__ as FromClause


def suggest_for_segments(session: Session, article: Article,
                         segment_ids: list[int] | None) -> int:
    """Replace the open suggestions of the given segments (all when None) with fresh ones.

    Confirmed and dismissed suggestions stay: they are reviewers' decisions. Only the
    named segments are read, so the cost of one edit does not grow with the article.
    """

    def load(ids: list[int] | None) -> tuple[list, dict[int, dict[str, str]]]:
        # plain rows, not ORM objects: an article of 100,000 segments stays light
        seg_query = select(*CHECKED_COLUMNS).where(Segment.article_id == article.id)
        cand_query = (select(Candidate.segment_id, Candidate.system, Candidate.text)
                      .join(Segment, Segment.id == Candidate.segment_id)
                      .where(Segment.article_id == article.id))
        if ids is not None:
            seg_query = seg_query.where(Segment.id.in_(ids))
            cand_query = cand_query.where(Candidate.segment_id.in_(ids))
        segments = list(session.execute(seg_query.order_by(Segment.position)))
        candidates: dict[int, dict[str, str]] = defaultdict(dict)
        for seg_id, system, text in session.execute(cand_query):
            candidates[seg_id][system] = text
        return segments, candidates

    if segment_ids is None:
        qa.forget(article.id)
        in_scope = Flag.segment_id.in_(
            select(Segment.id).where(Segment.article_id == article.id))
    else:
        in_scope = Flag.segment_id.in_(segment_ids)
    segments, candidates = load(segment_ids)
    version = _norms_version(session, article.id)
    stats = qa.stats_for(
        article, version,
        lambda: (segments, candidates) if segment_ids is None else load(None),
        # a full run rebuilds the norms; a single edit reads those kept by any process
        stored=None if segment_ids is None else (
            lambda: stored_norms(session, article.id, version)),
        keep=lambda computed: keep_norms(session, article.id, version, computed))
    decided = set(session.execute(
        select(Flag.segment_id, Flag.check_name, Flag.start, Flag.end)
        .where(in_scope, Flag.origin == "check", Flag.state != "open")).all())
    suggestions = qa.suggest(article, segments, candidates, stats,
                             _neighbours(session, article.id, segments))
    # Suggestions on the MT annotate the MT and outlive any post-edit; on an edited segment
    # the checks read the fix, and what they find is a warning about the fix.
    edited = {seg.id for seg in segments if seg.current != seg.mt}
    # open suggestions go, but those on the MT of an edited segment (ids in batches: an
    # article may hold more segments than a statement may carry parameters)
    open_checks = (Flag.origin == "check", Flag.state == "open", in_scope)
    session.execute(delete(Flag).where(*open_checks, Flag.span_in == "corrected"))
    for batch in chunks(seg.id for seg in segments if seg.id not in edited):
        session.execute(delete(Flag).where(*open_checks, Flag.segment_id.in_(batch)))
    on_mt = {(seg_id, check, mt[start:end]) for seg_id, check, start, end, mt in
             in_batches(session, lambda batch: select(
                 Flag.segment_id, Flag.check_name, Flag.start, Flag.end, Segment.mt)
                 .join(Segment, Segment.id == Flag.segment_id)
                 .where(Flag.segment_id.in_(batch), Flag.origin == "check",
                        Flag.span_in == "target", Flag.start.is_not(None)), sorted(edited))}
    texts = {seg.id: seg.current for seg in segments}
    now = utcnow()
    rows = [dict(segment_id=seg_id, candidate_id=None,
                 span_in="corrected" if seg_id in edited else "target", start=s.start,
                 end=s.end, category=s.category, severity=s.severity, note=s.explanation,
                 author=f"check:{s.check}", origin="check", check_name=s.check,
                 state="open", created_at=now, updated_at=now)
            for seg_id, s in suggestions
            if (seg_id, s.check, s.start, s.end) not in decided
            and (seg_id not in edited or s.start is None
                 or (seg_id, s.check, texts[seg_id][s.start:s.end]) not in on_mt)]
    if rows:
        session.execute(_FLAGS.insert(), rows)
    return len(rows)


def _neighbours(session: Session, article_id: int, segments: list
                ) -> dict[int, tuple[qa.SegmentText | None, qa.SegmentText | None]]:
    """The previous and next segment in the same paragraph of each given segment."""
    wanted = {p for s in segments for p in (s.position - 1, s.position + 1)}
    known = {s.position: s for s in segments}
    missing = [p for p in wanted if p not in known and p >= 0]
    if missing:
        for seg in session.execute(select(*CHECKED_COLUMNS).where(
                Segment.article_id == article_id, Segment.position.in_(missing))):
            known[seg.position] = seg
    out = {}
    for seg in segments:
        before, after = known.get(seg.position - 1), known.get(seg.position + 1)
        out[seg.id] = (before if before is not None and before.paragraph == seg.paragraph
                       else None,
                       after if after is not None and after.paragraph == seg.paragraph
                       else None)
    return out


def _norms_version(session: Session, article_id: int) -> tuple:
    """What the article's norms depend on beyond single edits: its segments and the other
    translations (a re-import or retranslation in any process changes this)."""
    segments = session.execute(select(func.count(), func.max(Segment.id))
                               .where(Segment.article_id == article_id)).one()
    candidates = session.execute(
        select(func.count(), func.max(Candidate.id))
        .join(Segment, Segment.id == Candidate.segment_id)
        .where(Segment.article_id == article_id)).one()
    return tuple(segments) + tuple(candidates)
