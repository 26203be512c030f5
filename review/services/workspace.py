"""What the reviewer workspace needs from the store: the whole article in one read, flags
on exact offsets, flag edits, and conflicts recorded in the audit trail.

The workspace keeps the article in the browser, so one read per change is all the server
does while the reviewer moves between segments.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from review.accounts.permissions import Actor, can
from review.core.errors import InputError, NotFound, PermissionDenied
from review.core.limits import MAX_FLAGS_SHOWN
from review.core.vocab import MQM_CATEGORIES, SEVERITIES
from review.db.batching import in_batches
from review.db.models import Candidate, Flag, Revision, utcnow
from review.db.store import Store
from review.services.access import Access
from review.services.base import Service, audit
from review.services.blind import blind_labels, unblind_target
from review.services.editing import EditingServices
from review.services.flagging import record_flag
from review.services.views import SegmentDetail, retranslations_of, suspect_of
from review.text.diff import word_diff
from review.text.spans import snap_to_words

SPAN_FIELDS = ("source", "target", "corrected")
"""Which text a flag's offsets index: the source, the MT as delivered, the corrected text."""
CANDIDATES_SHOWN = 3
CONFLICT_CHOICES = ("take_theirs", "keep_mine", "merge")


def _flag_json(flag: Flag, systems: dict[int, str]) -> dict:
    return {"id": flag.id, "on": systems.get(flag.candidate_id, "") if flag.candidate_id
            else flag.span_in, "start": flag.start, "end": flag.end,
            "category": flag.category, "severity": flag.severity, "note": flag.note,
            "author": flag.author, "origin": flag.origin, "check": flag.check_name,
            "state": flag.state}


class WorkspaceServices(Service):
    """The reviewer workspace's reads and writes beyond plain saving."""

    def __init__(self, store: Store, access: Access, editing: EditingServices) -> None:
        super().__init__(store, access)
        self.editing = editing

    def workspace_rows(self, actor: Actor, article_id: int) -> list[dict]:
        """Every segment the actor may see, with its flags, retranslations (with a word diff
        against the MT) and history size, as plain JSON-ready data."""
        with self.store.read() as session:
            article = self.access.require_article(session, actor, article_id)
            segments = self.access.visible_segments(session, actor, article_id)
            ids = [s.id for s in segments]
            cands: dict[int, list[Candidate]] = defaultdict(list)
            systems: dict[int, str] = {}
            for c in in_batches(session, lambda batch: select(Candidate).where(
                    Candidate.segment_id.in_(batch)).order_by(
                    Candidate.created_at.desc(), Candidate.id.desc()), ids, scalars=True):
                systems[c.id] = c.system
                if c.system != article.mt_system:
                    cands[c.segment_id].append(c)
            partner = retranslations_of(
                [(c.segment_id, c.id, c.system, c.kind, c.text)
                 for c in sorted((c for cs in cands.values() for c in cs), key=lambda c: c.id)],
                article.mt_system)
            # a reviewer reads other systems by blind label, never by name; leads see names
            blind = not can(actor, "article.read_all")
            labels = {s.id: blind_labels(session, actor, s) for s in segments} if blind else {}

            def shown(seg_id: int, system: str) -> str:
                return (labels[seg_id].get(system) or "Reference") if blind else system

            flags: dict[int, list[dict]] = defaultdict(list)
            for f in in_batches(session, _flags_shown, ids, scalars=True):
                flag = _flag_json(f, systems)
                if f.candidate_id:
                    flag["on"] = shown(f.segment_id, flag["on"])
                flags[f.segment_id].append(flag)
            more = {seg_id: n - MAX_FLAGS_SHOWN for seg_id, n in in_batches(
                session, lambda batch: select(Flag.segment_id, func.count()).where(
                    Flag.segment_id.in_(batch)).group_by(Flag.segment_id)
                .having(func.count() > MAX_FLAGS_SHOWN), ids)}
            revisions: dict[int, int] = defaultdict(int)
            for seg_id in in_batches(session, lambda batch: select(Revision.segment_id).where(
                    Revision.segment_id.in_(batch)), ids, scalars=True):
                revisions[seg_id] += 1
            return [{
                "id": s.id, "position": s.position, "paragraph": s.paragraph, "kind": s.kind,
                "source": s.source, "mt": s.mt, "current": s.current, "status": s.status,
                "version": s.version, "risk": s.risk, "updated_by": s.updated_by,
                "flags": flags[s.id], "flags_more": more.get(s.id, 0),
                "revisions": revisions[s.id],
                "candidates": [{"system": shown(s.id, c.system), "kind": c.kind, "text": c.text,
                                "diff": [[op.kind, op.text] for op in word_diff(s.mt, c.text)]}
                               for c in cands[s.id][:CANDIDATES_SHOWN]],
                "suspect": [list(span) for span in suspect_of(
                    s.kind, s.mt, partner.get(s.id, (None, None))[1], article.target_lang)],
            } for s in segments]

    def add_span_flag(self, actor: Actor, segment_id: int, on: str, start: int, end: int,
                      category: str, severity: str, note: str = "") -> int:
        """A reviewer's flag on exact offsets (snapped to whole words) of one text.

        ``on`` is ``source``, ``target`` (the MT), ``corrected`` or a retranslation's
        system. ``start == end`` on the MT marks an omission at that position.
        """
        if category not in MQM_CATEGORIES:
            raise InputError(f"unknown MQM category {category!r}")
        if severity not in SEVERITIES:
            raise InputError(f"unknown severity {severity!r}; use one of {', '.join(SEVERITIES)}")
        with self.store.write() as session:
            seg = self.access.require_segment(session, actor, segment_id, "flag.edit")
            candidate_id = None
            if on in SPAN_FIELDS:
                text = {"source": seg.source, "target": seg.mt, "corrected": seg.current}[on]
            else:
                system = unblind_target(session, actor, seg, on)  # "System B" for a reviewer
                cand = session.scalar(select(Candidate).where(
                    Candidate.segment_id == segment_id, Candidate.system == system))
                if cand is None:
                    raise NotFound(f"segment {seg.position + 1} has no translation by {on!r}")
                candidate_id, text = cand.id, cand.text
            if start != end or not 0 <= start <= len(text):
                span = snap_to_words(text, start, end)
                start, end = span.start, span.end
            flag = record_flag(session, actor, seg, Flag(
                segment_id=segment_id, candidate_id=candidate_id,
                span_in="target" if candidate_id else on, start=start, end=end,
                category=category, severity=severity, note=note, author=actor.name,
                origin="reviewer", state="confirmed"), on=on, start=start, end=end)
            return flag.id

    def update_flag(self, actor: Actor, flag_id: int, *, category: str | None = None,
                    severity: str | None = None, note: str | None = None) -> None:
        """Change a flag's category, severity or note (a reviewer's own flag, or as a lead)."""
        if category is not None and category not in MQM_CATEGORIES:
            raise InputError(f"unknown MQM category {category!r}")
        if severity is not None and severity not in SEVERITIES:
            raise InputError(f"unknown severity {severity!r}")
        with self.store.write() as session:
            flag = session.get(Flag, flag_id)
            if flag is None:
                raise NotFound(f"no flag with id {flag_id}")
            seg = self.access.require_segment(session, actor, flag.segment_id, "flag.edit")
            if flag.origin == "reviewer" and flag.author != actor.name and not can(
                    actor, "article.read_all"):
                raise PermissionDenied("only the reviewer who added a flag (or a lead) can "
                                       "change it")
            was = {"category": flag.category, "severity": flag.severity, "note": flag.note}
            if category is not None:
                flag.category = category
            if severity is not None:
                flag.severity = severity
            if note is not None:
                flag.note = note
            if flag.origin == "check" and flag.state == "open":
                flag.state = "confirmed"  # re-grading a suggestion accepts it
            flag.updated_at = utcnow()
            audit(session, actor, "flag_edit", article_id=seg.article_id, segment_id=seg.id,
                  flag_id=flag_id, was=was, category=flag.category, severity=flag.severity)

    def record_conflict(self, actor: Actor, segment_id: int, mine_version: int,
                        theirs_version: int, theirs_author: str) -> None:
        """Note that a save lost a race (the refused save itself left no trace)."""
        with self.store.write() as session:
            seg = self.access.require_segment(session, actor, segment_id)
            audit(session, actor, "conflict", article_id=seg.article_id, segment_id=seg.id,
                  mine_version=mine_version, theirs_version=theirs_version,
                  theirs_author=theirs_author)

    def resolve_conflict(self, actor: Actor, segment_id: int, choice: str,
                         theirs_version: int, text: str | None = None,
                         seconds_spent: float = 0.0) -> SegmentDetail | None:
        """Record how a conflict ended. ``take_theirs`` stores nothing (their text is the
        segment's); ``keep_mine`` and ``merge`` save ``text`` over the version the reviewer
        has now seen, so a later edit by somebody else still conflicts."""
        if choice not in CONFLICT_CHOICES:
            raise InputError(f"unknown choice {choice!r}; use one of {', '.join(CONFLICT_CHOICES)}")
        detail = None
        if choice != "take_theirs":
            if text is None:
                raise InputError("keeping your text needs the text")
            detail = self.editing.save_segment(actor, segment_id, text, theirs_version,
                                               seconds_spent, action="resolve")
        with self.store.write() as session:
            seg = self.access.require_segment(session, actor, segment_id)
            audit(session, actor, "conflict_resolved", article_id=seg.article_id,
                  segment_id=seg.id, choice=choice, theirs_version=theirs_version,
                  version=seg.version)
        return detail


def _flags_shown(batch: list[int]):  # noqa: ANN202 - a SQLAlchemy statement
    """The flags the page carries for these segments: ``MAX_FLAGS_SHOWN`` per segment at
    most (reviewers' decisions before dismissed ones, then the oldest), in id order."""
    rank = func.row_number().over(partition_by=Flag.segment_id,
                                  order_by=(Flag.state == "dismissed", Flag.id)).label("rank")
    ranked = select(Flag.id, rank).where(Flag.segment_id.in_(batch)).subquery()
    return (select(Flag).join(ranked, ranked.c.id == Flag.id)
            .where(ranked.c.rank <= MAX_FLAGS_SHOWN).order_by(Flag.id))


