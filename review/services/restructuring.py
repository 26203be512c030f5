"""Repairs of the segmentation: merge with the next segment, split at the cursor, mark a
segment as residue or body, attach a source to a source-less article.

Every operation checks the actor, checks the versions the reviewer saw (so nobody's edit is
lost), keeps the history (a revision and an audit event per segment touched) and moves flag
offsets with the text.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor
from review.core.errors import ConflictError, InputError
from review.core.vocab import RESIDUE_KINDS, SEGMENT_KINDS, SPACELESS_LANGS, base_lang
from review.db.models import Article, Candidate, Flag, Revision, Segment, SegmentScore, utcnow
from review.db.rows import existing
from review.segment import split_sentences
from review.services.base import Service, audit
from review.services.check_norms import forget_norms
from review.services.unmerging import MergeUndo, give_back, latest_merge
from review.text.align import source_per_segment
from review.text.spans import Span, merge_offset, remap_edit, split_at, split_spans

KIND_CHOICES = {"residue": "boilerplate", "body": "body"}
"""What the reviewer can say about a segment's kind, and the kind stored for it."""


def _check_version(seg: Segment, expected: int) -> None:
    if seg.version != expected:
        raise ConflictError(
            f"{seg.updated_by or 'someone'} changed segment {seg.position + 1} first (version "
            f"{seg.version}, you saw {expected}); look at it again and retry",
            theirs_text=seg.current, theirs_version=seg.version, theirs_author=seg.updated_by)


def _source_joiner(lang: str) -> str:
    return "" if base_lang(lang) in SPACELESS_LANGS else " "


def _move_positions(session: Session, article_id: int, after: int, by: int) -> None:
    """Shift the positions after ``after`` by ``by`` without tripping the unique constraint."""
    rows = Segment.article_id == article_id, Segment.position > after
    session.execute(update(Segment).where(*rows).values(position=-Segment.position - 1)
                    .execution_options(synchronize_session=False))
    session.execute(update(Segment).where(Segment.article_id == article_id,
                                          Segment.position < 0)
                    .values(position=-Segment.position - 1 + by)
                    .execution_options(synchronize_session=False))


def _revise(session: Session, actor: Actor, seg: Segment, action: str) -> None:
    session.add(Revision(segment_id=seg.id, version=seg.version, text=seg.current,
                         action=action, author=actor.name, seconds_spent=0.0))


def _touch(seg: Segment, actor: Actor) -> None:
    seg.version += 1
    seg.updated_at = utcnow()
    seg.updated_by = actor.name


class SegmentOperations(Service):
    """Merge, split, reclassify and source attachment, for the Review page and the CLI."""

    def merge_with_next(self, actor: Actor, segment_id: int, expected_version: int,
                        next_id: int | None = None, next_version: int | None = None) -> int:
        """Append the next segment to this one; returns the merged segment's id.

        Without ``next_id`` the segment that follows in the article is taken as it is now.
        """
        with self.store.write() as session:
            seg = self.access.require_segment(session, actor, segment_id)
            if next_id is None:
                next_id = session.scalar(select(Segment.id).where(
                    Segment.article_id == seg.article_id, Segment.position == seg.position + 1))
                if next_id is None:
                    raise InputError(f"segment {seg.position + 1} is the last one; there is "
                                     "nothing to merge it with")
            nxt = self.access.require_segment(session, actor, next_id)
            if next_version is None:
                next_version = nxt.version
            if nxt.article_id != seg.article_id:
                raise InputError("these segments belong to different articles; only "
                                 "neighbours in one article can be merged")
            if nxt.position != seg.position + 1:
                raise InputError(f"segment {nxt.position + 1} does not follow segment "
                                 f"{seg.position + 1}; only neighbours can be merged")
            _check_version(seg, expected_version)
            _check_version(nxt, next_version)
            article = existing(session, Article, seg.article_id)
            sep = (nxt.meta or {}).get("sep", " ")
            src_sep = _source_joiner(article.source_lang) if seg.source and nxt.source else ""
            shifts = {"target": merge_offset(seg.mt, sep), "corrected":
                      merge_offset(seg.current, sep), "source": merge_offset(seg.source, src_sep)}
            cands = {c.system: c for c in session.scalars(
                select(Candidate).where(Candidate.segment_id == seg.id))}
            cand_shift: dict[int, tuple[int, int]] = {}
            undo = MergeUndo.of(seg, shifts)
            for theirs in session.scalars(select(Candidate).where(
                    Candidate.segment_id == nxt.id)):
                mine = cands.get(theirs.system)
                if mine is None:
                    continue
                cand_shift[theirs.id] = (mine.id, merge_offset(mine.text, sep))
                undo.candidate(mine.id, mine.text, mine.text + sep + theirs.text)
                mine.text = mine.text + sep + theirs.text
            for flag in session.scalars(select(Flag).where(Flag.segment_id == nxt.id)):
                if flag.candidate_id is not None:
                    if flag.candidate_id not in cand_shift:
                        continue  # its translation is gone with the segment
                    undo.flag(flag)
                    flag.candidate_id, by = cand_shift[flag.candidate_id]
                else:
                    undo.flag(flag)
                    by = shifts.get(flag.span_in, shifts["target"])
                if flag.start is not None and flag.end is not None:
                    flag.start, flag.end = flag.start + by, flag.end + by
                flag.segment_id = seg.id
            before = {"text": seg.current, "next_text": nxt.current, "next_id": nxt.id}
            seg.mt = seg.mt + sep + nxt.mt
            seg.current = seg.current + sep + nxt.current
            seg.source = seg.source + src_sep + nxt.source
            seg.status = "todo" if seg.current == seg.mt else "fixed"
            _touch(seg, actor)
            old_position = nxt.position
            session.flush()
            undo.keep(session, seg, nxt.id)
            session.execute(delete(SegmentScore).where(SegmentScore.segment_id == seg.id))
            session.delete(nxt)
            session.flush()
            _move_positions(session, seg.article_id, old_position, -1)
            _revise(session, actor, seg, "merge")
            audit(session, actor, "merge", article_id=seg.article_id, segment_id=seg.id,
                  version=seg.version, **before)
            forget_norms(session, seg.article_id)
            return seg.id

    def unmerge(self, actor: Actor, segment_id: int, expected_version: int,
                merged_version: int | None = None) -> tuple[int, int]:
        """Undo a merge into this segment: the segment it took in comes back with its own
        id, texts, kind, status, flags and history; returns both ids.

        ``merged_version`` (the version the merge gave the segment) picks the merge to
        undo; without it the newest merge into the segment is undone. Both segments'
        versions move on, so a save made on what either showed before is a conflict.
        """
        with self.store.write() as session:
            seg = self.access.require_segment(session, actor, segment_id)
            session.refresh(seg, with_for_update=True)  # a second undo waits, then conflicts
            _check_version(seg, expected_version)
            snap = latest_merge(session, seg.id, merged_version)
            _move_positions(session, seg.article_id, seg.position, 1)
            back = give_back(session, snap, seg, seg.position + 1, actor.name)
            self.access.require_segment(session, actor, back.id)
            _touch(seg, actor)
            session.execute(delete(SegmentScore).where(SegmentScore.segment_id == seg.id))
            _revise(session, actor, seg, "unmerge")
            _revise(session, actor, back, "unmerge")
            audit(session, actor, "unmerge", article_id=seg.article_id, segment_id=seg.id,
                  version=seg.version, restored_id=back.id)
            forget_norms(session, seg.article_id)
            return seg.id, back.id

    def split_segment(self, actor: Actor, segment_id: int, at: int,
                      expected_version: int) -> tuple[int, int]:
        """Cut the segment at ``at`` (an offset in its corrected text) into two segments.

        The MT is cut at the matching place; the source (which cannot be cut by offsets)
        stays with the first part, for the reviewer to move with the alignment tools.
        """
        with self.store.write() as session:
            seg = self.access.require_segment(session, actor, segment_id)
            _check_version(seg, expected_version)
            left, sep, right = split_at(seg.current, at)
            right_start = len(left) + len(sep)
            if seg.current == seg.mt:
                mt_at = at
            else:
                moved = remap_edit(seg.current, seg.mt, [Span(at, at)])[0]
                if moved is None:  # a zero-width span always has a place
                    raise LookupError(f"no place in the MT for offset {at}")
                mt_at = moved.start
            try:
                mt_left, mt_sep, mt_right = split_at(seg.mt, mt_at)
            except InputError:
                mt_left, mt_sep, mt_right = seg.mt, "", ""
            mt_right_start = len(mt_left) + len(mt_sep)
            old_position = seg.position
            _move_positions(session, seg.article_id, old_position, 1)
            new = Segment(article_id=seg.article_id, position=old_position + 1,
                          paragraph=seg.paragraph, kind=seg.kind, source="", mt=mt_right,
                          current=right, status="todo" if right == mt_right else "fixed",
                          meta={**(seg.meta or {}), "sep": sep or mt_sep or " "}, version=1,
                          updated_at=utcnow(), updated_by=actor.name)
            session.add(new)
            before = {"text": seg.current, "at": at}
            seg.mt, seg.current = mt_left, left
            seg.status = "todo" if left == mt_left else "fixed"
            _touch(seg, actor)
            session.flush()
            for flag in list(session.scalars(select(Flag).where(Flag.segment_id == seg.id,
                                                               Flag.candidate_id.is_(None)))):
                if flag.start is None or flag.end is None or flag.span_in == "source":
                    continue
                cut = (len(left), right_start) if flag.span_in == "corrected" else (
                    len(mt_left), mt_right_start)
                ((side, span),) = split_spans([Span(flag.start, flag.end)], *cut)
                flag.start, flag.end = span.start, span.end
                if side == 1:
                    flag.segment_id = new.id
            session.execute(delete(SegmentScore).where(SegmentScore.segment_id == seg.id))
            _revise(session, actor, seg, "split")
            _revise(session, actor, new, "split")
            audit(session, actor, "split", article_id=seg.article_id, segment_id=seg.id,
                  version=seg.version, new_segment_id=new.id, **before)
            forget_norms(session, seg.article_id)
            return seg.id, new.id

    def set_kind(self, actor: Actor, segment_id: int, choice: str,
                 expected_version: int) -> None:
        """Mark a segment as web residue (left out of scores and exports) or as body text."""
        kind = KIND_CHOICES.get(choice, choice)
        if kind not in SEGMENT_KINDS:
            raise InputError(f"unknown kind {choice!r}; use residue or body")
        with self.store.write() as session:
            seg = self.access.require_segment(session, actor, segment_id)
            _check_version(seg, expected_version)
            was = seg.kind
            seg.kind = kind
            _touch(seg, actor)
            if kind in RESIDUE_KINDS:
                session.execute(delete(SegmentScore).where(SegmentScore.segment_id == seg.id))
            audit(session, actor, "reclassify", article_id=seg.article_id,
                  segment_id=seg.id, was=was, kind=kind)
            forget_norms(session, seg.article_id)

    def propose_source(self, actor: Actor, article_id: int, text: str,
                       source_lang: str = "") -> list[dict]:
        """Align the original article's sentences to the segments (nothing is stored).

        Residue segments get no source. Returns one row per segment: id, position, mt,
        source (the proposal) and version.
        """
        if not text.strip():
            raise InputError("paste or upload the original article first")
        with self.store.read() as session:
            article = self.access.require_article(session, actor, article_id, "segment.edit")
            lang = source_lang or article.source_lang or "zh"
            segments = list(session.scalars(select(Segment).where(
                Segment.article_id == article_id).order_by(Segment.position)))
        sentences = [sentence for paragraph in text.splitlines() if paragraph.strip()
                     for _, sentence in split_sentences(paragraph.strip(), lang)
                     if sentence.strip()]
        content = [s for s in segments if s.kind not in RESIDUE_KINDS]
        proposal = source_per_segment(sentences, [s.current for s in content],
                                      joiner=_source_joiner(lang))
        by_id = dict(zip((s.id for s in content), proposal))
        return [{"id": s.id, "position": s.position, "mt": s.current,
                 "source": by_id.get(s.id, ""), "version": s.version} for s in segments]

    def set_sources(self, actor: Actor, article_id: int, sources: dict[int, str],
                    source_lang: str = "") -> int:
        """Store the (corrected) alignment; returns how many segments got a new source."""
        with self.store.write() as session:
            article = self.access.require_article(session, actor, article_id, "segment.edit")
            if source_lang and not article.source_lang:
                article.source_lang = source_lang
            changed = 0
            for seg in session.scalars(select(Segment).where(
                    Segment.article_id == article_id, Segment.id.in_(list(sources)))):
                self.access.require_segment(session, actor, seg.id)
                if seg.source != sources[seg.id]:
                    seg.source = sources[seg.id]
                    _touch(seg, actor)
                    changed += 1
            total = session.scalar(select(func.count()).select_from(Segment).where(
                Segment.article_id == article_id, Segment.source != ""))
            audit(session, actor, "attach_source", article_id=article_id, changed=changed,
                  with_source=total)
            forget_norms(session, article_id)
            return changed
