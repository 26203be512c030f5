"""What a merge writes down so that undoing it gives the two segments back as they were,
and the putting back itself.

The merged-away segment returns with its own id, so links to it, its flags, history,
retranslations, scores and ratings stay attached to it; only the versions move on, so an
editor who still sees the merged state meets a conflict instead of overwriting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.core.errors import InputError
from review.db.kept_rows import keep, put_back
from review.db.models import Candidate, Flag, MergeSnapshot, Segment, utcnow

TEXTS = ("mt", "current", "source")
SPAN_TEXT = {"target": "mt", "corrected": "current", "source": "source"}
"""The segment text a flag's offsets count in, by its ``span_in``."""


@dataclass
class MergeUndo:
    """Collects, while a merge runs, what its undoing needs."""

    first: dict
    cuts: dict[str, int]
    candidates: dict[str, list[str]] = field(default_factory=dict)
    flags: dict[str, list] = field(default_factory=dict)

    @classmethod
    def of(cls, seg: Segment, cuts: dict[str, int]) -> MergeUndo:
        """Start with the first segment as it is before the merge."""
        return cls({name: getattr(seg, name) for name in (*TEXTS, "status")}, dict(cuts))

    def candidate(self, candidate_id: int, was: str, merged: str) -> None:
        """A retranslation of the first segment that took in the second one's."""
        self.candidates[str(candidate_id)] = [was, merged]

    def flag(self, flag: Flag) -> None:
        """A flag of the second segment, before the merge moves it onto the first."""
        self.flags[str(flag.id)] = [flag.candidate_id, flag.start, flag.end]

    def keep(self, session: Session, seg: Segment, removed_id: int) -> None:
        """Write down the second segment's rows just before the merge deletes them."""
        session.flush()
        rows = keep(session, "segments", [removed_id],
                    spared={"flags": {int(i) for i in self.flags}})
        session.add(MergeSnapshot(
            segment_id=seg.id, removed_id=removed_id, version=seg.version, rows=rows,
            before={"first": self.first, "merged": {n: getattr(seg, n) for n in TEXTS},
                    "cuts": self.cuts, "candidates": self.candidates, "flags": self.flags}))


def latest_merge(session: Session, segment_id: int,
                 version: int | None = None) -> MergeSnapshot:
    """The newest merge into ``segment_id`` not undone yet (the one that gave the segment
    ``version`` if given)."""
    query = select(MergeSnapshot).where(MergeSnapshot.segment_id == segment_id)
    if version is not None:
        query = query.where(MergeSnapshot.version == version)
    snap = session.scalars(query.order_by(MergeSnapshot.id.desc()).limit(1)).first()
    if snap is None:
        raise InputError("this segment has no merge to undo; split it where you want instead")
    return snap


def give_back(session: Session, snap: MergeSnapshot, seg: Segment, position: int,
              author: str) -> Segment:
    """Put the merged-away segment back at ``position`` with its rows, and the merged one's
    texts, retranslations and flags as they were before the merge.

    The caller has made room at ``position``, checked the versions and moves the first
    segment's version on.
    """
    merged = snap.before["merged"]
    if any(getattr(seg, name) != merged[name] for name in TEXTS):
        raise InputError(f"segment {seg.position + 1} was edited after the merge, so the "
                         "merge cannot be undone; split it where you want instead")
    rows = {name: [dict(r) for r in kept] for name, kept in snap.rows.items()}
    (restored,) = rows["segments"]
    restored.update(position=position, version=int(restored["version"]) + 1,
                    updated_at=utcnow().isoformat(), updated_by=author)
    moved = put_back(session, rows)
    back_id = moved.get(("segments", snap.removed_id), snap.removed_id)
    for name, value in snap.before["first"].items():
        setattr(seg, name, value)
    for candidate_id, (was, merged_text) in snap.before["candidates"].items():
        cand = session.get(Candidate, int(candidate_id))
        if cand is not None and cand.text == merged_text:
            cand.text = was
    _flags_back(session, snap, seg, back_id, moved)
    session.delete(snap)
    session.flush()
    back = session.get(Segment, back_id)
    assert back is not None  # just inserted
    return back


def _flags_back(session: Session, snap: MergeSnapshot, seg: Segment, back_id: int,
                moved_ids: dict[tuple[str, int], int]) -> None:
    """The second segment's flags go back where they were; a flag put on its part of the
    merged text after the merge goes with it, moved to its offsets there."""
    moved = snap.before["flags"]
    cuts: dict[str, int] = snap.before["cuts"]
    for flag in session.scalars(select(Flag).where(Flag.segment_id == seg.id)):
        if str(flag.id) in moved:
            candidate_id, flag.start, flag.end = moved[str(flag.id)]
            flag.candidate_id = (None if candidate_id is None else
                                 moved_ids.get(("candidates", candidate_id), candidate_id))
            flag.segment_id = back_id
            continue
        cut = cuts.get(flag.span_in, cuts["target"])
        if flag.candidate_id is not None or flag.start is None or flag.end is None:
            continue
        limit = len(snap.before["first"][SPAN_TEXT.get(flag.span_in, "mt")])
        if flag.start >= cut:
            flag.start, flag.end = flag.start - cut, flag.end - cut
            flag.segment_id = back_id
        elif flag.end > limit:
            flag.end = max(flag.start, limit)
