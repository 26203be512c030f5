"""The rows one batch of a staged import writes: segments, their candidates, flags and
first revisions, as plain Core inserts (``review.services.staging`` decides when)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor
from review.core.errors import InputError
from review.core.vocab import FLAG_ORIGINS, SEGMENT_STATUSES
from review.db.batching import in_batches
from review.db.models import Candidate, Flag, Revision, Segment, utcnow
from review.formats.base import DocSegment

if TYPE_CHECKING:
    from review.services.staging import StagedArticle

# the stubs type __table__ as FromClause
_SEGMENTS = cast(Table, Segment.__table__)
_CANDIDATES = cast(Table, Candidate.__table__)
_FLAGS = cast(Table, Flag.__table__)
_REVISIONS = cast(Table, Revision.__table__)


def insert_segments(session: Session, actor: Actor,
                     pending: list[tuple[StagedArticle, DocSegment]]) -> None:
    """Segments, their candidates, flags and first revisions, as plain Core inserts."""
    now = utcnow()
    in_batch = Counter(id(s) for s, _ in pending)
    first = {id(s): s.segments - in_batch[id(s)] for s, _ in pending}
    seg_rows: list[dict[str, Any]] = []
    for staged, seg in pending:
        position = first[id(staged)]
        first[id(staged)] += 1
        current = seg.corrected if seg.corrected is not None else seg.mt
        status = seg.status if seg.status in SEGMENT_STATUSES else (
            "fixed" if current != seg.mt else "todo")
        seg_rows.append(dict(
            article_id=staged.id, position=position, paragraph=seg.paragraph, kind=seg.kind,
            source=seg.source, mt=seg.mt, current=current, status=status,
            external_id=seg.external_id, meta=_segment_meta(seg), version=1, updated_at=now,
            updated_by=actor.name))
    # plain executemany (RETURNING would cost one statement per row on SQLite); the ids
    # come back from the (article, position) index, which no other writer can touch here
    session.execute(_SEGMENTS.insert(), seg_rows)
    segment_ids = _ids_by_position(session, seg_rows)
    cand_rows = []
    for seg_id, (_, seg) in zip(segment_ids, pending):
        for system, text in seg.candidates.items():
            kind = "reference" if _is_reference(system) else "import"
            cand_rows.append(dict(segment_id=seg_id, system=system, kind=kind, text=text,
                                  meta={}, created_at=now))
        if seg.reference is not None and not any(_is_reference(s) for s in seg.candidates):
            cand_rows.append(dict(segment_id=seg_id, system="reference", kind="reference",
                                  text=seg.reference, meta={}, created_at=now))
    candidate_ids: dict[tuple[int, str], int] = {}
    if cand_rows:
        session.execute(_CANDIDATES.insert(), cand_rows)
        if any(f.target not in ("", "mt") for _, seg in pending for f in seg.flags):
            candidate_ids = {(seg_id, system): cid for cid, seg_id, system in in_batches(
                session, lambda batch: select(Candidate.id, Candidate.segment_id,
                                              Candidate.system)
                .where(Candidate.segment_id.in_(batch)), segment_ids)}
    flag_rows, revision_rows = [], []
    for seg_id, (staged, seg), row in zip(segment_ids, pending, seg_rows):
        for flag in seg.flags:
            candidate_id = None
            if flag.target not in ("", "mt"):
                candidate_id = candidate_ids.get((seg_id, flag.target))
                if candidate_id is None and flag.target != staged.header.mt_system:
                    raise InputError(
                        f"segment {row['position'] + 1}: a flag names system "
                        f"{flag.target!r}, which has no translation in the file")
            flag_rows.append(dict(
                segment_id=seg_id, candidate_id=candidate_id, span_in=flag.span_in,
                start=flag.start, end=flag.end, category=flag.category,
                severity=flag.severity, note=flag.note, author=flag.author or actor.name,
                origin=flag.origin if flag.origin in FLAG_ORIGINS else "import",
                check_name="", state=flag.state or "open", created_at=now, updated_at=now))
        if row["current"] != row["mt"]:
            revision_rows.append(dict(segment_id=seg_id, version=1, text=row["current"],
                                      action="import", author=actor.name, seconds_spent=0.0,
                                      created_at=now))
        staged.counts["segments"] += 1
        staged.counts["candidates"] += len(seg.candidates) + (
            1 if seg.reference is not None and not any(_is_reference(s)
                                                       for s in seg.candidates) else 0)
        staged.counts["flags"] += len(seg.flags)
    if flag_rows:
        session.execute(_FLAGS.insert(), flag_rows)
    if revision_rows:
        session.execute(_REVISIONS.insert(), revision_rows)


def _ids_by_position(session: Session, seg_rows: list[dict]) -> list[int]:
    """The ids of just-inserted segments, in the order of ``seg_rows``."""
    spans: dict[int, list[int]] = {}
    for row in seg_rows:
        low_high = spans.setdefault(row["article_id"], [row["position"], row["position"]])
        low_high[0] = min(low_high[0], row["position"])
        low_high[1] = max(low_high[1], row["position"])
    ids: dict[tuple[int, int], int] = {}
    for article_id, (low, high) in spans.items():
        for seg_id, position in session.execute(
                select(Segment.id, Segment.position).where(
                    Segment.article_id == article_id, Segment.position.between(low, high))):
            ids[(article_id, position)] = seg_id
    return [ids[(row["article_id"], row["position"])] for row in seg_rows]


def _segment_meta(seg: DocSegment) -> dict:
    meta = dict(seg.meta)
    if seg.notes:
        meta["notes"] = list(seg.notes)
    return meta


def _is_reference(system: str) -> bool:
    lowered = system.lower()
    return lowered == "reference" or lowered.startswith("ref")
