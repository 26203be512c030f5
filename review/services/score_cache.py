"""The score cache: an article's scores kept per block of segments, each block under a
fingerprint of what its scores depend on.

Segment texts change only through saves and restores, which raise the segment's version,
and through imports, which add segments; candidates change through imports and
retranslations, which insert new rows. So per block of ``BLOCK`` positions the count,
version sum and highest id of its content segments fix its inputs, and one fingerprint
covers what all blocks share (the comparison, the compared system's candidates, the
metrics' signatures). A rescore re-reads only the blocks whose fingerprint moved and sums
the blocks' statistics for the corpus scores: an unchanged article costs one small query
and one row, an edited segment one block.
"""

from __future__ import annotations

import hashlib
import math

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from review.core.vocab import CONTENT_KINDS
from review.db.models import Candidate, Segment

BLOCK = 256
"""Segment positions per cached block."""


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def shared_print(session: Session, article_id: int, comparison: str,
                 signatures: list[str]) -> str:
    """What every block depends on: the comparison, its candidates, the metrics."""
    parts = [comparison, *signatures]
    if ":" in comparison:
        system = comparison.split(":", 1)[1]
        candidates = session.execute(
            select(func.count(Candidate.id), func.coalesce(func.max(Candidate.id), 0),
                   func.coalesce(func.sum(func.length(Candidate.text)), 0))
            .join(Segment, Segment.id == Candidate.segment_id)
            .where(Segment.article_id == article_id, Candidate.system == system)).one()
        parts += map(str, candidates)
    return _digest(parts)


def block_prints(session: Session, article_id: int) -> dict[str, str]:
    """Block number (as a JSON key) -> fingerprint of its content segments."""
    block = Segment.position // BLOCK
    rows = session.execute(
        select(block, func.count(Segment.id), func.sum(Segment.version), func.max(Segment.id))
        .where(Segment.article_id == article_id, Segment.kind.in_(CONTENT_KINDS))
        .group_by(block))
    return {str(int(b)): _digest([str(n), str(v), str(m)]) for b, n, v, m in rows}


def clean(value: float | None) -> float | None:
    """JSON has no NaN: an undefined score is stored as null."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def unclean(value: float | None) -> float:
    return math.nan if value is None else value
