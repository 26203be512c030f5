"""The team's translation memory in use: how the library's corrected segments rendered a
phrase before, and the nearest earlier segments to the one being reviewed.

Only corrected segments count (a reviewer changed the MT, or approved it): they are the
team's decisions, not raw machine output. Fuzzy matching uses rapidfuzz when it is
installed and difflib otherwise; both give a 0-100 similarity.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from review.core.vocab import CONTENT_KINDS
from review.db.models import Article, Segment

MAX_HITS = 12
FUZZY_FLOOR = 60.0
"""Matches below this similarity (0-100) are noise, not help."""
MAX_SCANNED = 20_000
"""Corrected segments compared for fuzzy matches, newest first: bounds the cost per call."""

try:  # pragma: no cover - depends on what is installed
    from rapidfuzz import fuzz as _fuzz  # type: ignore[import-not-found, unused-ignore]  # optional

    def similarity(a: str, b: str) -> float:
        return float(_fuzz.ratio(a, b))
except ImportError:  # pragma: no cover
    def similarity(a: str, b: str) -> float:
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        if matcher.real_quick_ratio() * 100 < FUZZY_FLOOR:
            return 0.0
        if matcher.quick_ratio() * 100 < FUZZY_FLOOR:
            return 0.0
        return matcher.ratio() * 100


def _hit(seg: Segment, title: str, score: float | None = None) -> dict:
    return {"segment_id": seg.id, "article_id": seg.article_id, "article": title,
            "position": seg.position, "source": seg.source, "mt": seg.mt,
            "corrected": seg.current, "status": seg.status,
            **({"score": round(score, 1)} if score is not None else {})}


def search(session: Session, article_ids: Iterable[int], query: str,
           current: Segment | None) -> dict:
    """``phrase``: corrected segments whose source or text holds ``query``; ``similar``:
    those nearest ``current`` (by its source, or its MT when it has none)."""
    ids = list(article_ids)
    titles = dict(session.execute(select(Article.id, Article.title)
                                  .where(Article.id.in_(ids))).all())
    corrected = (select(Segment).where(
        Segment.article_id.in_(ids), Segment.kind.in_(CONTENT_KINDS),
        or_(Segment.current != Segment.mt, Segment.status == "approved")))
    if current is not None:
        corrected = corrected.where(Segment.id != current.id)
    phrase: list[dict] = []
    needle = query.strip()
    if needle:
        like = f"%{needle.replace('%', '').replace('_', '')}%"
        for seg in session.scalars(corrected.where(or_(
                Segment.source.ilike(like), Segment.current.ilike(like),
                Segment.mt.ilike(like))).order_by(Segment.id.desc()).limit(MAX_HITS)):
            phrase.append(_hit(seg, titles.get(seg.article_id, "")))
    similar: list[dict] = []
    if current is not None:
        probe = current.source or current.mt
        field = "source" if current.source else "mt"
        scored = []
        for seg in session.scalars(corrected.order_by(Segment.id.desc()).limit(MAX_SCANNED)):
            other = getattr(seg, field)
            if not other:
                continue
            score = similarity(probe, other)
            if score >= FUZZY_FLOOR:
                scored.append((score, seg))
        scored.sort(key=lambda pair: -pair[0])
        similar = [_hit(seg, titles.get(seg.article_id, ""), score)
                   for score, seg in scored[:MAX_HITS]]
    return {"query": needle, "phrase": phrase, "similar": similar}
