"""What the reviewer workspace needs from the store: the whole article in one read, flags
on exact offsets, flag edits, and conflicts recorded in the audit trail.

The workspace keeps the article in the browser, so one read per change is all the server
does while the reviewer moves between segments.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import Row, Select, func, select

from review.accounts.permissions import Actor, can
from review.checks.glossary_terms import contains_term, read_glossary_csv
from review.core.errors import InputError, NotFound, PermissionDenied
from review.core.limits import MAX_FLAGS_SHOWN
from review.core.vocab import MQM_CATEGORIES, SEVERITIES, STAGED_STATUS
from review.db.models import Article, Candidate, Flag, Revision, Segment, Setting, utcnow
from review.db.rows import existing
from review.db.store import Store
from review.services.access import Access
from review.services.base import Service, audit
from review.services.blind import blind_labels, unblind_target
from review.services.concordance import search as concordance_search
from review.services.editing import EditingServices
from review.services.flagging import record_flag
from review.services.views import SegmentDetail, retranslations_of, suspect_of
from review.services.workspace_window import lean, whole_ids
from review.text.spans import snap_to_words

SPAN_FIELDS = ("source", "target", "corrected")
"""Which text a flag's offsets index: the source, the MT as delivered, the corrected text."""
CONFLICT_CHOICES = ("take_theirs", "keep_mine", "merge")


SEGMENT_COLUMNS = (Segment.id, Segment.position, Segment.paragraph, Segment.kind,
                   Segment.source, Segment.mt, Segment.current, Segment.status,
                   Segment.version, Segment.risk, Segment.updated_by)
FLAG_COLUMNS = (Flag.id, Flag.segment_id, Flag.candidate_id, Flag.span_in, Flag.start,
                Flag.end, Flag.category, Flag.severity, Flag.note, Flag.author, Flag.origin,
                Flag.check_name, Flag.state)


def _flag_json(flag: Flag | Row, systems: dict[int, str]) -> dict:
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

    def workspace_rows(self, actor: Actor, article_id: int,
                       ids: Collection[int] | None = None,
                       suspect_up_to: int | None = None,
                       focus: int | None = None) -> list[dict]:
        """Every segment the actor may see (only ``ids`` when given: after a save the
        workspace reads just the segments that changed), with its flags, every other system's
        text and history size, as plain JSON-ready data. Word diffs are drawn in the
        browser, for the segment on screen only. With ``suspect_up_to``, an article longer
        than that gets ``suspect: None`` (the browser asks for the cards it draws), and only the
        rows near where the reviewer starts (``focus``, else the first to-do) come whole:
        the others come lean (``workspace_window``), so the first load stays small."""
        with self.store.read() as session:
            article = self.access.require_article(session, actor, article_id)
            # plain rows, not ORM objects: a 5,000-segment article is read in a fraction
            # of the time
            query = select(*SEGMENT_COLUMNS).where(
                Segment.article_id == article_id, self.access.visible(session, actor, article_id))
            if ids is not None:
                query = query.where(Segment.id.in_(list(ids)))
            segments = list(session.execute(query.order_by(Segment.position)))
            wanted = {s.id for s in segments}
            in_scope = (select(Segment.id).where(Segment.article_id == article_id)
                        if ids is None else list(wanted))
            with_suspect = suspect_up_to is None or len(segments) <= suspect_up_to
            whole = (None if with_suspect or ids is not None
                     else whole_ids(segments, focus))
            # a lean row shows no other system: only the whole rows' are read
            cand_scope = in_scope if whole is None else sorted(whole)
            cands: dict[int, list] = defaultdict(list)
            systems: dict[int, str] = {}
            as_mt: set[int] = set()  # the MT system's own entry: its flags mark the MT line
            mts = {s.id: s.mt for s in segments}
            for c in session.execute(
                    select(Candidate.id, Candidate.segment_id, Candidate.system,
                           Candidate.kind, Candidate.text)
                    .where(Candidate.segment_id.in_(cand_scope))
                    .order_by(Candidate.created_at.desc(), Candidate.id.desc())):
                if c.segment_id not in wanted:
                    continue
                systems[c.id] = c.system
                if c.system != article.mt_system:
                    cands[c.segment_id].append(c)
                elif c.text == mts.get(c.segment_id):
                    as_mt.add(c.id)
            # a reviewer reads other systems by blind label, never by name; leads see names
            blind = not can(actor, "article.read_all")
            labels: dict[int, dict[str, str]] = {}  # read per segment, only where needed

            def shown(seg_id: int, system: str) -> str:
                if not blind:
                    return system
                if seg_id not in labels:
                    labels[seg_id] = blind_labels(session, actor,
                                                  existing(session, Segment, seg_id))
                return labels[seg_id].get(system) or "Reference"

            flags: dict[int, list[dict]] = defaultdict(list)
            for f in session.execute(_flags_shown(in_scope)):
                if f.segment_id not in wanted:
                    continue
                flag = _flag_json(f, systems)
                if f.candidate_id in as_mt:
                    flag["on"] = "target"
                elif f.candidate_id:
                    flag["on"] = shown(f.segment_id, flag["on"])
                flags[f.segment_id].append(flag)
            more = {seg_id: n - MAX_FLAGS_SHOWN for seg_id, n in session.execute(
                select(Flag.segment_id, func.count()).where(Flag.segment_id.in_(in_scope))
                .group_by(Flag.segment_id).having(func.count() > MAX_FLAGS_SHOWN))}
            partner = retranslations_of(sorted(
                ((c.segment_id, c.id, c.system, c.kind, c.text)
                 for cs in cands.values() for c in cs), key=lambda c: c[1]), article.mt_system)
            revisions: dict[int, int] = defaultdict(int)
            for seg_id, count in session.execute(
                    select(Revision.segment_id, func.count()).where(
                        Revision.segment_id.in_(in_scope)).group_by(Revision.segment_id)):
                revisions[seg_id] = count
            rows = []
            for s in segments:
                row = {
                    "id": s.id, "position": s.position, "paragraph": s.paragraph,
                    "kind": s.kind, "source": s.source, "mt": s.mt, "current": s.current,
                    "status": s.status, "version": s.version, "risk": s.risk,
                    "updated_by": s.updated_by, "flags": flags[s.id],
                    "flags_more": more.get(s.id, 0), "revisions": revisions[s.id],
                    "candidates": [], "suspect": None}
                if whole is not None and s.id not in whole:
                    rows.append(lean(row))
                    continue
                row["candidates"] = [{"system": shown(s.id, c.system), "kind": c.kind,
                                      "text": c.text} for c in _distinct(cands[s.id])]
                if with_suspect:
                    row["suspect"] = [list(span) for span in suspect_of(
                        s.kind, s.mt, partner.get(s.id, (None, None))[1],
                        article.target_lang)]
                rows.append(row)
            return rows

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

    def concordance(self, actor: Actor, query: str, segment_id: int | None = None) -> dict:
        """The library's corrected segments holding ``query``, and fuzzy matches for the
        segment being reviewed, over the articles the actor may read."""
        with self.store.read() as session:
            current = (self.access.require_segment(session, actor, int(segment_id), "article.read")
                       if segment_id is not None else None)
            readable = select(Article.id).where(Article.status != STAGED_STATUS,
                                                self.access.readable(actor))
            return concordance_search(session, session.scalars(readable), query, current)

    def glossary_terms(self, actor: Actor, segment_id: int) -> list[dict]:
        """The team glossary's entries that concern this segment (its source holds the term,
        or its text a rendering or a forbidden term), for the panel beside the editor."""
        with self.store.read() as session:
            seg = self.access.require_segment(session, actor, segment_id, "article.read")
            stored = session.get(Setting, "glossary")
            if stored is None or not (stored.value or {}).get("content"):
                return []
            entries = read_glossary_csv(str(stored.value["content"])).entries
            texts = (seg.source or "", f"{seg.mt}\n{seg.current}")
            return [{"source": e.source, "targets": e.targets, "forbidden": e.forbidden,
                     "note": e.note}
                    for e in entries
                    if (e.source and contains_term(texts[0], e.source))
                    or any(contains_term(texts[1], t) for t in e.targets + e.forbidden)]

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


def _distinct(candidates: list) -> list:
    """Every system once (its newest text): the workspace shows a few and the rest on a key."""
    seen: set[str] = set()
    out = []
    for c in candidates:
        if c.system not in seen:
            seen.add(c.system)
            out.append(c)
    return out


def _flags_shown(scope: Select[Any] | list[int]) -> Select:
    """The flags the page carries for the segments in ``scope`` (a subquery or a short list
    of ids): ``MAX_FLAGS_SHOWN`` per segment at most (reviewers' decisions before dismissed
    ones, then the oldest), in id order."""
    rank = func.row_number().over(partition_by=Flag.segment_id,
                                  order_by=(Flag.state == "dismissed", Flag.id)).label("rank")
    ranked = select(Flag.id, rank).where(Flag.segment_id.in_(scope)).subquery()
    return (select(*FLAG_COLUMNS).join(ranked, ranked.c.id == Flag.id)
            .where(ranked.c.rank <= MAX_FLAGS_SHOWN).order_by(Flag.id))
