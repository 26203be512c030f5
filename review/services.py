"""Use cases. Each takes the acting user, checks its permission, and runs in one transaction.

Pages and the command line call these and nothing below them, so validation, permissions
and transactions are the same everywhere.
"""

from __future__ import annotations

import io
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from review.digests import pair_digest
from review.errors import ConflictError, InputError, NotFound, PermissionDenied
from review.formats.base import DocArticle, DocFlag, DocSegment, ReadOptions, WriteOptions
from review.models import (
    Article,
    Assignment,
    AuditEvent,
    Candidate,
    Flag,
    Revision,
    Segment,
    SegmentScore,
    User,
    utcnow,
)
from review.permissions import Actor, can, require
from review.service_base import ServiceBase, as_utc
from review.service_base import audit as _audit
from review.views import (
    ArticleScores,
    ArticleSummary,
    ArticleView,
    AuditView,
    CandidateView,
    CorpusScore,
    FlagView,
    RevisionView,
    SegmentDetail,
    SegmentRow,
)
from review.vocab import (
    CONTENT_KINDS,
    MQM_CATEGORIES,
    MT_VS_CORRECTED,
    NO_ERROR,
    RESIDUE_KINDS,
    SEGMENT_STATUSES,
    SEVERITIES,
)

CHECKED_COLUMNS = (Segment.id, Segment.position, Segment.paragraph, Segment.kind, Segment.source,
                   Segment.mt, Segment.current, Segment.meta)
"""What the QA checks read of a segment."""
SCORE_METRICS = ("chrf", "bleu", "ter")




@dataclass
class ImportReport:
    articles: list[ArticleSummary]
    segments: int = 0
    candidates: int = 0
    flags: int = 0
    suggested_flags: int = 0
    format: str = ""
    residue: dict[int, list[dict]] = field(default_factory=dict)
    """Per article id: the segments recognised as web residue (position, kind, text)."""

    def to_json(self) -> dict:
        return {
            "format": self.format,
            "segments": self.segments,
            "candidates": self.candidates,
            "flags": self.flags,
            "suggested_flags": self.suggested_flags,
            "articles": [{**a.to_json(), "residue": self.residue.get(a.id, [])}
                         for a in self.articles],
        }


@dataclass
class ExportResult:
    data: bytes
    filename: str
    mime: str


class ReviewServices(ServiceBase):
    """Import, read, edit, flag, score and export articles."""

    # ---------------------------------------------------------------- import
    def import_file(self, actor: Actor, data: bytes, filename: str, fmt: str | None = None,
                    options: ReadOptions | None = None) -> ImportReport:
        """Read a file in any registered format and store it whole, or not at all."""
        from review.formats.registry import detect_format, get_format

        require(actor, "article.import")
        format_ = get_format(fmt) if fmt else detect_format(filename, data)
        if not format_.can_read:
            raise InputError(f"the {format_.name} format can be exported but not imported")
        options = options or ReadOptions()
        if not options.origin:
            options.origin = Path(filename).name
        articles = list(format_.read(io.BytesIO(data), options))
        if not articles:
            raise InputError(f"{Path(filename).name} holds no segments to review")
        report = self.import_articles(actor, articles)
        report.format = format_.name
        return report

    def import_articles(self, actor: Actor, articles: list[DocArticle]) -> ImportReport:
        require(actor, "article.import")
        for doc in articles:
            _validate_doc(doc)
        batch = uuid.uuid4().hex[:12]
        report = ImportReport(articles=[])
        ids: list[int] = []
        with self.store.write() as session:
            for doc in articles:
                article_id, counts = self._store_article(session, actor, doc, batch)
                ids.append(article_id)
                report.residue[article_id] = [
                    {"position": position + 1, "kind": seg.kind, "text": seg.mt}
                    for position, seg in enumerate(doc.segments) if seg.kind in RESIDUE_KINDS]
                report.segments += counts["segments"]
                report.candidates += counts["candidates"]
                report.flags += counts["flags"]
                report.suggested_flags += counts["suggested"]
                _audit(session, actor, "import", article_id=article_id, title=doc.title,
                       segments=counts["segments"], batch=batch)
        report.articles = self.summaries(actor, ids)
        return report

    def _store_article(self, session: Session, actor: Actor, doc: DocArticle,
                       batch: str) -> tuple[int, Counter]:
        counts: Counter = Counter()
        article = Article(title=doc.title.strip() or "Untitled", source_lang=doc.source_lang,
                          target_lang=doc.target_lang or "en", origin=doc.origin,
                          publisher=doc.publisher, mt_system=doc.mt_system, batch=batch,
                          meta=doc.meta, created_by=actor.name)
        session.add(article)
        session.flush()
        now = utcnow()
        seg_rows = []
        for position, seg in enumerate(doc.segments):
            current = seg.corrected if seg.corrected is not None else seg.mt
            status = seg.status if seg.status in SEGMENT_STATUSES else (
                "fixed" if current != seg.mt else "todo")
            seg_rows.append(dict(
                article_id=article.id, position=position, paragraph=seg.paragraph,
                kind=seg.kind, source=seg.source, mt=seg.mt, current=current, status=status,
                external_id=seg.external_id, meta=_segment_meta(seg), version=1,
                updated_at=now, updated_by=actor.name))
        segment_ids = list(session.scalars(
            Segment.__table__.insert().returning(Segment.__table__.c.id,
                                                 sort_by_parameter_order=True), seg_rows))
        counts["segments"] = len(segment_ids)

        cand_rows = []
        for seg_id, seg in zip(segment_ids, doc.segments):
            for system, text in seg.candidates.items():
                kind = "reference" if _is_reference(system) else "import"
                cand_rows.append(dict(segment_id=seg_id, system=system, kind=kind, text=text,
                                      meta={}, created_at=now))
            if seg.reference is not None and not any(
                    _is_reference(s) for s in seg.candidates):
                cand_rows.append(dict(segment_id=seg_id, system="reference", kind="reference",
                                      text=seg.reference, meta={}, created_at=now))
        candidate_ids: dict[tuple[int, str], int] = {}
        if cand_rows:
            new_ids = session.scalars(
                Candidate.__table__.insert().returning(Candidate.__table__.c.id,
                                                       sort_by_parameter_order=True),
                cand_rows)
            for row, cid in zip(cand_rows, new_ids):
                candidate_ids[(row["segment_id"], row["system"])] = cid
        counts["candidates"] = len(cand_rows)

        flag_rows = []
        revision_rows = []
        for seg_id, seg, row in zip(segment_ids, doc.segments, seg_rows):
            for flag in seg.flags:
                candidate_id = None
                if flag.target not in ("", "mt"):
                    candidate_id = candidate_ids.get((seg_id, flag.target))
                    if candidate_id is None and flag.target != doc.mt_system:
                        raise InputError(
                            f"segment {row['position'] + 1}: a flag names system "
                            f"{flag.target!r}, which has no translation in the file")
                flag_rows.append(dict(
                    segment_id=seg_id, candidate_id=candidate_id, span_in=flag.span_in,
                    start=flag.start, end=flag.end, category=flag.category,
                    severity=flag.severity, note=flag.note, author=flag.author or actor.name,
                    origin=flag.origin if flag.origin in ("reviewer", "check", "import")
                    else "import", check_name="", state=flag.state or "open",
                    created_at=now, updated_at=now))
            if row["current"] != row["mt"]:
                revision_rows.append(dict(segment_id=seg_id, version=1, text=row["current"],
                                          action="import", author=actor.name,
                                          seconds_spent=0.0, created_at=now))
        if flag_rows:
            session.execute(Flag.__table__.insert(), flag_rows)
        if revision_rows:
            session.execute(Revision.__table__.insert(), revision_rows)
        counts["flags"] = len(flag_rows)
        counts["suggested"] = self._run_checks(session, article, segment_ids=None)
        return article.id, counts

    # ---------------------------------------------------------------- QA checks
    def _run_checks(self, session: Session, article: Article,
                    segment_ids: list[int] | None) -> int:
        """Replace the open suggestions of the given segments (all when None) with fresh ones.

        Confirmed and dismissed suggestions stay: they are reviewers' decisions. Only the
        named segments are read, so the cost of one edit does not grow with the article.
        """
        from review import qa

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
        stats = qa.stats_for(article, lambda: (segments, candidates) if segment_ids is None
                             else load(None))
        decided = set(session.execute(
            select(Flag.segment_id, Flag.check_name, Flag.start, Flag.end)
            .where(in_scope, Flag.origin == "check", Flag.state != "open")).all())
        suggestions = qa.suggest(article, segments, candidates, stats,
                                 self._neighbours(session, article.id, segments))
        session.execute(delete(Flag).where(Flag.origin == "check", Flag.state == "open",
                                           in_scope))
        now = utcnow()
        edited = {seg.id for seg in segments if seg.current != seg.mt}
        rows = [dict(segment_id=seg_id, candidate_id=None,
                     span_in="corrected" if seg_id in edited else "target", start=s.start,
                     end=s.end, category=s.category, severity=s.severity, note=s.explanation,
                     author=f"check:{s.check}", origin="check", check_name=s.check,
                     state="open", created_at=now, updated_at=now)
                for seg_id, s in suggestions
                if (seg_id, s.check, s.start, s.end) not in decided]
        if rows:
            session.execute(Flag.__table__.insert(), rows)
        return len(rows)

    def _neighbours(self, session: Session, article_id: int, segments: list
                    ) -> dict[int, tuple[object | None, object | None]]:
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

    # ---------------------------------------------------------------- reading
    def summaries(self, actor: Actor, article_ids: Iterable[int] | None = None
                  ) -> list[ArticleSummary]:
        require(actor, "article.read")
        with self.store.read() as session:
            query = select(Article).order_by(Article.id)
            if article_ids is not None:
                query = query.where(Article.id.in_(list(article_ids)))
            if not can(actor, "article.read_all"):
                query = query.where(Article.id.in_(
                    select(Assignment.article_id).where(Assignment.user_id == actor.user_id)))
            articles = list(session.scalars(query))
            ids = [a.id for a in articles]
            status_counts: dict[int, Counter] = defaultdict(Counter)
            kind_counts: dict[int, Counter] = defaultdict(Counter)
            for art_id, kind, status, n in session.execute(
                    select(Segment.article_id, Segment.kind, Segment.status, func.count())
                    .where(Segment.article_id.in_(ids))
                    .group_by(Segment.article_id, Segment.kind, Segment.status)):
                kind_counts[art_id][kind] += n
                if kind not in RESIDUE_KINDS:
                    status_counts[art_id][status] += n
            open_flags = dict(session.execute(
                select(Segment.article_id, func.count()).join(Flag, Flag.segment_id == Segment.id)
                .where(Segment.article_id.in_(ids), Flag.state != "dismissed",
                       Flag.category != NO_ERROR)
                .group_by(Segment.article_id)).all())
            systems: dict[int, list[str]] = defaultdict(list)
            for art_id, system in session.execute(
                    select(Segment.article_id, Candidate.system).distinct()
                    .join(Candidate, Candidate.segment_id == Segment.id)
                    .where(Segment.article_id.in_(ids)).order_by(Candidate.system)):
                systems[art_id].append(system)
        out = []
        for a in articles:
            kinds = kind_counts[a.id]
            residue = sum(kinds[k] for k in RESIDUE_KINDS)
            out.append(ArticleSummary(
                id=a.id, title=a.title, source_lang=a.source_lang, target_lang=a.target_lang,
                status=a.status, origin=a.origin, mt_system=a.mt_system,
                created_at=as_utc(a.created_at), segments=sum(kinds.values()),
                body_segments=sum(kinds.values()) - residue, residue_segments=residue,
                by_status={s: status_counts[a.id][s] for s in SEGMENT_STATUSES},
                open_flags=open_flags.get(a.id, 0), systems=systems[a.id]))
        return out

    def article(self, actor: Actor, article_id: int) -> ArticleView:
        with self.store.read() as session:
            article = self._require_article(session, actor, article_id)
            segments = list(session.scalars(
                select(Segment).where(Segment.article_id == article_id)
                .order_by(Segment.position)))
            flag_counts: dict[int, Counter] = defaultdict(Counter)
            for seg_id, state, n in session.execute(
                    select(Flag.segment_id, Flag.state, func.count())
                    .join(Segment, Segment.id == Flag.segment_id)
                    .where(Segment.article_id == article_id, Flag.category != NO_ERROR)
                    .group_by(Flag.segment_id, Flag.state)):
                flag_counts[seg_id][state] += n
            model_outputs: dict[int, str] = {}
            other_outputs: dict[int, str] = {}
            systems: set[str] = set()
            for seg_id, system, kind, text in session.execute(
                    select(Candidate.segment_id, Candidate.system, Candidate.kind, Candidate.text)
                    .join(Segment, Segment.id == Candidate.segment_id)
                    .where(Segment.article_id == article_id)
                    .order_by(Candidate.created_at.desc(), Candidate.id.desc())):
                systems.add(system)
                if kind == "model":
                    model_outputs.setdefault(seg_id, text)
                elif system != article.mt_system and kind != "reference":
                    other_outputs.setdefault(seg_id, text)
            retranslations = {**other_outputs, **model_outputs}
            summary_id = article.id
            rows = [_row(s, retranslations.get(s.id), flag_counts[s.id]) for s in segments]
        allowed = None
        if not can(actor, "article.read_all"):
            with self.store.read() as session:
                allowed = self._assigned_positions(session, actor, article_id)
            rows = [r for r in rows if any((lo is None or r.position >= lo) and
                                           (hi is None or r.position <= hi)
                                           for lo, hi in allowed)]
        summary = self.summaries(actor, [summary_id])[0]
        return ArticleView(summary=summary, rows=rows, candidate_systems=sorted(systems))

    def data_version(self, actor: Actor, article_id: int) -> str:
        """A cheap token that changes whenever the article's segments or flags change."""
        with self.store.read() as session:
            self._require_article(session, actor, article_id)
            seg = session.execute(
                select(func.count(), func.sum(Segment.version), func.max(Segment.updated_at),
                       func.count(Segment.risk), func.sum(Segment.risk))
                .where(Segment.article_id == article_id)).one()
            flags = session.execute(
                select(func.count(), func.max(Flag.updated_at), func.max(Flag.id))
                .join(Segment, Segment.id == Flag.segment_id)
                .where(Segment.article_id == article_id)).one()
            cands = session.execute(
                select(func.count(), func.max(Candidate.id))
                .join(Segment, Segment.id == Candidate.segment_id)
                .where(Segment.article_id == article_id)).one()
        return f"{tuple(seg)}|{tuple(flags)}|{tuple(cands)}"

    def segment(self, actor: Actor, segment_id: int) -> SegmentDetail:
        with self.store.read() as session:
            seg = self._require_segment(session, actor, segment_id, "article.read")
            article = session.get(Article, seg.article_id)
            return self._detail(session, seg, article)

    def _detail(self, session: Session, seg: Segment, article: Article) -> SegmentDetail:
        candidates = list(session.scalars(
            select(Candidate).where(Candidate.segment_id == seg.id)
            .order_by(Candidate.created_at.desc(), Candidate.id.desc())))
        systems = {c.id: c.system for c in candidates}
        flags = list(session.scalars(
            select(Flag).where(Flag.segment_id == seg.id).order_by(Flag.id)))
        revisions = list(session.scalars(
            select(Revision).where(Revision.segment_id == seg.id)
            .order_by(Revision.version.desc(), Revision.id.desc())))
        scores: dict[str, dict[str, float]] = defaultdict(dict)
        signatures: dict[str, str] = {}
        for s in session.scalars(select(SegmentScore).where(SegmentScore.segment_id == seg.id)):
            scores[s.comparison][s.metric] = s.value
            signatures[s.metric] = s.signature
        counts = Counter(f.state for f in flags if f.category != NO_ERROR)
        retranslation = next((c.text for c in candidates if c.kind == "model"), None)
        return SegmentDetail(
            row=_row(seg, retranslation, counts), article_id=article.id,
            target_lang=article.target_lang, source_lang=article.source_lang,
            candidates=[CandidateView(c.id, c.system, c.kind, c.text, c.meta or {})
                        for c in candidates],
            flags=[_flag_view(f, systems) for f in flags],
            revisions=[RevisionView(r.id, r.version, r.text, r.action, r.author,
                                    r.seconds_spent, as_utc(r.created_at)) for r in revisions],
            scores=dict(scores), signatures=signatures)

    # ---------------------------------------------------------------- editing
    def save_segment(self, actor: Actor, segment_id: int, text: str, expected_version: int,
                     seconds_spent: float = 0.0, *, action: str = "edit") -> SegmentDetail:
        """Store a new text for the segment, unless somebody saved since ``expected_version``."""
        if "\x00" in text:
            raise InputError("the text holds a NUL character; remove it and save again")
        with self.store.write() as session:
            seg = self._require_segment(session, actor, segment_id)
            if text == seg.current and seg.version == expected_version:
                return self._detail(session, seg, session.get(Article, seg.article_id))
            new_version = expected_version + 1
            status = seg.status
            if status in ("todo", "flagged") and text != seg.mt:
                status = "fixed"
            landed = session.execute(
                update(Segment)
                .where(Segment.id == segment_id, Segment.version == expected_version)
                .values(current=text, version=new_version, status=status,
                        updated_at=utcnow(), updated_by=actor.name)
                .execution_options(synchronize_session=False)).rowcount
            if landed != 1:
                session.refresh(seg)
                raise ConflictError(
                    f"{seg.updated_by or 'someone'} saved segment {seg.position + 1} while you "
                    f"were editing (their version {seg.version}, yours {expected_version}); "
                    "compare the two texts and choose which to keep",
                    theirs_text=seg.current, theirs_version=seg.version,
                    theirs_author=seg.updated_by)
            session.add(Revision(segment_id=segment_id, version=new_version, text=text,
                                 action=action, author=actor.name,
                                 seconds_spent=max(0.0, float(seconds_spent))))
            _audit(session, actor, action, article_id=seg.article_id, segment_id=segment_id,
                   version=new_version, chars=len(text))
            session.refresh(seg)
            article = session.get(Article, seg.article_id)
            if article.status == "new":
                article.status = "in_review"
            self._rescore_segment(session, seg, article)
            self._run_checks(session, article, [seg.id])
            return self._detail(session, seg, article)

    def restore_revision(self, actor: Actor, segment_id: int, revision_id: int | None,
                         expected_version: int) -> SegmentDetail:
        """Bring back an earlier text (``None``: the original MT) as a new revision."""
        with self.store.read() as session:
            seg = self._require_segment(session, actor, segment_id)
            if revision_id is None:
                text = seg.mt
            else:
                revision = session.get(Revision, revision_id)
                if revision is None or revision.segment_id != segment_id:
                    raise NotFound(f"segment {segment_id} has no revision {revision_id}")
                text = revision.text
        return self.save_segment(actor, segment_id, text, expected_version, action="restore")

    def set_status(self, actor: Actor, segment_id: int, status: str,
                   expected_version: int) -> SegmentDetail:
        if status not in SEGMENT_STATUSES:
            raise InputError(f"unknown status {status!r}; use one of {', '.join(SEGMENT_STATUSES)}")
        with self.store.write() as session:
            seg = self._require_segment(session, actor, segment_id)
            landed = session.execute(
                update(Segment)
                .where(Segment.id == segment_id, Segment.version == expected_version)
                .values(status=status, version=expected_version + 1, updated_at=utcnow(),
                        updated_by=actor.name)
                .execution_options(synchronize_session=False)).rowcount
            if landed != 1:
                session.refresh(seg)
                raise ConflictError(
                    f"{seg.updated_by or 'someone'} changed segment {seg.position + 1} first; "
                    "reload it and try again", theirs_text=seg.current,
                    theirs_version=seg.version, theirs_author=seg.updated_by)
            _audit(session, actor, "status", article_id=seg.article_id, segment_id=segment_id,
                   status=status)
            session.refresh(seg)
            article = session.get(Article, seg.article_id)
            self._update_article_status(session, article)
            return self._detail(session, seg, article)

    def _update_article_status(self, session: Session, article: Article) -> None:
        remaining = session.scalar(
            select(func.count()).select_from(Segment)
            .where(Segment.article_id == article.id, Segment.kind.in_(CONTENT_KINDS),
                   Segment.status != "approved"))
        article.status = "done" if remaining == 0 else "in_review"

    # ---------------------------------------------------------------- flags
    def add_flag(self, actor: Actor, segment_id: int, category: str, severity: str, *,
                 span: str = "", start: int | None = None, end: int | None = None,
                 note: str = "", target: str = "mt") -> FlagView:
        if category not in MQM_CATEGORIES:
            raise InputError(f"unknown MQM category {category!r}")
        if severity not in SEVERITIES:
            raise InputError(f"unknown severity {severity!r}; use one of {', '.join(SEVERITIES)}")
        with self.store.write() as session:
            seg = self._require_segment(session, actor, segment_id, "flag.edit")
            candidate_id = None
            text = seg.mt  # flags annotate the translation as delivered
            if target != "mt":
                cand = session.scalar(select(Candidate).where(
                    Candidate.segment_id == segment_id, Candidate.system == target))
                if cand is None:
                    raise NotFound(f"segment {seg.position + 1} has no translation by {target!r}")
                candidate_id, text = cand.id, cand.text
            if span:
                found = text.find(span)
                if found < 0:
                    raise InputError(f"the span {span!r} does not occur in the text; copy it "
                                     "exactly from the segment")
                start, end = found, found + len(span)
            if start is not None and (end is None or not 0 <= start <= end <= len(text)):
                raise InputError(f"span {start}-{end} lies outside the text (0-{len(text)})")
            flag = Flag(segment_id=segment_id, candidate_id=candidate_id, start=start, end=end,
                        category=category, severity=severity, note=note, author=actor.name,
                        origin="reviewer", state="confirmed")
            session.add(flag)
            if seg.status in ("todo",):
                seg.status = "flagged"
                seg.version += 1
                seg.updated_at = utcnow()
                seg.updated_by = actor.name
            session.flush()
            _audit(session, actor, "flag", article_id=seg.article_id, segment_id=segment_id,
                   flag_id=flag.id, category=category, severity=severity)
            systems = {candidate_id: target} if candidate_id else {}
            return _flag_view(flag, systems)

    def set_flag_state(self, actor: Actor, flag_id: int, state: str) -> FlagView:
        if state not in ("open", "confirmed", "dismissed"):
            raise InputError(f"unknown flag state {state!r}")
        with self.store.write() as session:
            flag = session.get(Flag, flag_id)
            if flag is None:
                raise NotFound(f"no flag with id {flag_id}")
            seg = self._require_segment(session, actor, flag.segment_id, "flag.edit")
            flag.state = state
            flag.updated_at = utcnow()
            if state == "confirmed" and seg.status == "todo":
                seg.status = "flagged"
                seg.version += 1
                seg.updated_at = utcnow()
                seg.updated_by = actor.name
            _audit(session, actor, f"flag_{state}", article_id=seg.article_id,
                   segment_id=seg.id, flag_id=flag_id, check=flag.check_name)
            session.flush()
            return _flag_view(flag, {})

    def delete_flag(self, actor: Actor, flag_id: int) -> None:
        with self.store.write() as session:
            flag = session.get(Flag, flag_id)
            if flag is None:
                raise NotFound(f"no flag with id {flag_id}")
            seg = self._require_segment(session, actor, flag.segment_id, "flag.edit")
            if flag.origin != "reviewer" or (flag.author != actor.name
                                             and not can(actor, "article.read_all")):
                raise PermissionDenied("only the reviewer who added a flag (or a lead) can "
                                       "delete it; dismiss suggestions instead")
            _audit(session, actor, "flag_delete", article_id=seg.article_id,
                   segment_id=seg.id, flag_id=flag_id, category=flag.category)
            session.delete(flag)

    # ---------------------------------------------------------------- scores
    def _rescore_segment(self, session: Session, seg: Segment, article: Article) -> None:
        """Score one segment's MT against its corrected text and store it with signatures."""
        from review import metrics

        if seg.kind not in CONTENT_KINDS:
            return
        digest = pair_digest(seg.mt, seg.current)
        values = metrics.score_segment(seg.mt, seg.current, article.target_lang)
        session.execute(delete(SegmentScore).where(
            SegmentScore.segment_id == seg.id, SegmentScore.comparison == MT_VS_CORRECTED))
        session.execute(SegmentScore.__table__.insert(), [
            dict(segment_id=seg.id, comparison=MT_VS_CORRECTED, metric=name,
                 value=score.value, signature=score.signature, text_hash=digest)
            for name, score in values.items()])

    def score_article(self, actor: Actor, article_id: int,
                      comparison: str = MT_VS_CORRECTED) -> ArticleScores:
        """Segment and article scores; only segments whose texts changed are recomputed."""
        from review import metrics

        with self.store.write() as session:
            article = self._require_article(session, actor, article_id)
            segments = list(session.scalars(
                select(Segment).where(Segment.article_id == article_id,
                                      Segment.kind.in_(CONTENT_KINDS))
                .order_by(Segment.position)))
            pairs = self._comparison_pairs(session, segments, comparison)
            stored: dict[int, dict[str, SegmentScore]] = defaultdict(dict)
            for s in session.scalars(select(SegmentScore).where(
                    SegmentScore.segment_id.in_([seg.id for seg in segments]),
                    SegmentScore.comparison == comparison)):
                stored[s.segment_id][s.metric] = s
            stale = [(seg_id, hyp, ref) for seg_id, (hyp, ref) in pairs.items()
                     if any(stored[seg_id].get(m) is None
                            or stored[seg_id][m].text_hash != pair_digest(hyp, ref)
                            for m in SCORE_METRICS)]
            if stale:
                results = metrics.score_pairs([h for _, h, _ in stale], [r for _, _, r in stale],
                                              article.target_lang, SCORE_METRICS)
                session.execute(delete(SegmentScore).where(
                    SegmentScore.segment_id.in_([s[0] for s in stale]),
                    SegmentScore.comparison == comparison))
                rows = []
                for metric_name, (values, corpus) in results.items():
                    for (seg_id, hyp, ref), value in zip(stale, values):
                        rows.append(dict(segment_id=seg_id, comparison=comparison,
                                         metric=metric_name, value=value,
                                         signature=corpus.signature,
                                         text_hash=pair_digest(hyp, ref)))
                session.execute(SegmentScore.__table__.insert(), rows)
                for row in rows:
                    stored[row["segment_id"]][row["metric"]] = SegmentScore(**row)
            hyps = [hyp for hyp, _ in pairs.values()]
            refs = [ref for _, ref in pairs.values()]
            corpus = {}
            signatures = {}
            for name in SCORE_METRICS:
                if hyps:
                    score = metrics.METRICS[name].corpus(hyps, refs, article.target_lang)
                    corpus[name] = CorpusScore(name, score.value, score.signature)
                    signatures[name] = score.signature
            seg_scores = {seg_id: {m: s.value for m, s in stored[seg_id].items()}
                          for seg_id in pairs}
        return ArticleScores(article_id=article_id, comparison=comparison,
                             segments=seg_scores, corpus=corpus, segment_signatures=signatures)

    def _comparison_pairs(self, session: Session, segments: list[Segment],
                          comparison: str) -> dict[int, tuple[str, str]]:
        """(hypothesis, reference) per segment for a named comparison."""
        if comparison == MT_VS_CORRECTED:
            return {s.id: (s.mt, s.current) for s in segments}
        if comparison.startswith("mt_vs_candidate:") or comparison.startswith(
                "corrected_vs_candidate:"):
            prefix, system = comparison.split(":", 1)
            texts = dict(session.execute(select(Candidate.segment_id, Candidate.text).where(
                Candidate.segment_id.in_([s.id for s in segments]),
                Candidate.system == system)).all())
            use_mt = prefix == "mt_vs_candidate"
            return {s.id: (s.mt if use_mt else s.current, texts[s.id])
                    for s in segments if s.id in texts}
        raise InputError(f"unknown comparison {comparison!r}")

    # ---------------------------------------------------------------- export
    def export_article(self, actor: Actor, article_id: int, fmt: str,
                       include_residue: bool = False, *, record: bool = True) -> ExportResult:
        """The article written in ``fmt``; ``record=False`` for previews (no audit entry)."""
        from review.formats.filenames import safe_filename
        from review.formats.registry import get_format

        format_ = get_format(fmt)
        if not format_.can_write:
            raise InputError(f"the {format_.name} format can be imported but not exported")
        require(actor, "article.export")
        doc = self.document(actor, article_id)
        buffer = io.BytesIO()
        format_.write([doc], buffer, WriteOptions(include_residue=include_residue,
                                                  source_lang=doc.source_lang,
                                                  target_lang=doc.target_lang))
        if record:
            self.record_export(actor, article_id, format_.name)
        return ExportResult(buffer.getvalue(), safe_filename(doc.title, format_.extensions[0]),
                            format_.mime)

    def record_export(self, actor: Actor, article_id: int, fmt: str) -> None:
        """Note in the audit trail that somebody took the article away in ``fmt``."""
        require(actor, "article.export")
        with self.store.write() as session:
            _audit(session, actor, "export", article_id=article_id, format=fmt)

    def document(self, actor: Actor, article_id: int) -> DocArticle:
        """The article as the plain document model that exporters write."""
        with self.store.read() as session:
            article = self._require_article(session, actor, article_id)
            segments = list(session.scalars(
                select(Segment).where(Segment.article_id == article_id)
                .order_by(Segment.position)))
            if not can(actor, "article.read_all"):  # a reviewer gets only its ranges
                ranges = self._assigned_positions(session, actor, article_id)
                segments = [s for s in segments if any(
                    (lo is None or s.position >= lo) and (hi is None or s.position <= hi)
                    for lo, hi in ranges)]
            ids = [s.id for s in segments]
            candidates: dict[int, list[Candidate]] = defaultdict(list)
            systems: dict[int, str] = {}
            for c in session.scalars(select(Candidate).where(Candidate.segment_id.in_(ids))
                                     .order_by(Candidate.id)):
                candidates[c.segment_id].append(c)
                systems[c.id] = c.system
            flags: dict[int, list[Flag]] = defaultdict(list)
            for f in session.scalars(select(Flag).where(Flag.segment_id.in_(ids),
                                                        Flag.state != "dismissed")
                                     .order_by(Flag.id)):
                flags[f.segment_id].append(f)
            doc = DocArticle(title=article.title, source_lang=article.source_lang,
                             target_lang=article.target_lang, origin=article.origin,
                             publisher=article.publisher, mt_system=article.mt_system,
                             meta=dict(article.meta or {}), id=article.id)
            for s in segments:
                cands = candidates[s.id]
                reference = next((c.text for c in cands if c.kind == "reference"), None)
                meta = dict(s.meta or {})
                notes = meta.pop("notes", [])
                doc.segments.append(DocSegment(
                    mt=s.mt, source=s.source, kind=s.kind, paragraph=s.paragraph,
                    corrected=s.current, reference=reference,
                    candidates={c.system: c.text for c in cands},
                    flags=[DocFlag(category=f.category, severity=f.severity, start=f.start,
                                   end=f.end, note=f.note, author=f.author,
                                   target=systems.get(f.candidate_id, "mt")
                                   if f.candidate_id else "mt",
                                   origin=f.origin, state=f.state, span_in=f.span_in)
                           for f in flags[s.id]],
                    external_id=s.external_id or str(s.id), status=s.status, notes=notes,
                    meta=meta, id=s.id, position=s.position, changed_by=s.updated_by,
                    changed_at=as_utc(s.updated_at).strftime("%Y-%m-%dT%H:%M:%SZ")))
        return doc

    # ---------------------------------------------------------------- audit
    def audit_trail(self, actor: Actor, article_id: int | None = None,
                    segment_id: int | None = None, limit: int = 500) -> list[AuditView]:
        require(actor, "audit.view")
        with self.store.read() as session:
            query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
            if article_id is not None:
                query = query.where(AuditEvent.article_id == article_id)
            if segment_id is not None:
                query = query.where(AuditEvent.segment_id == segment_id)
            return [AuditView(e.id, as_utc(e.at), e.actor, e.action, e.article_id,
                              e.segment_id, e.detail or {}) for e in session.scalars(query)]

    def delete_article(self, actor: Actor, article_id: int) -> None:
        with self.store.write() as session:
            article = self._require_article(session, actor, article_id, "article.delete")
            _audit(session, actor, "delete", article_id=article_id, title=article.title)
            session.delete(article)

    def is_empty(self) -> bool:
        with self.store.read() as session:
            return session.scalar(select(func.count()).select_from(Article)) == 0

    def has_users(self) -> bool:
        with self.store.read() as session:
            return session.scalar(select(func.count()).select_from(User)) > 0


# -------------------------------------------------------------------- helpers
def _validate_doc(doc: DocArticle) -> None:
    if not doc.segments:
        raise InputError(f"{doc.title or 'the article'} has no segments")
    for position, seg in enumerate(doc.segments, start=1):
        if seg.kind not in ("title", "body", "caption", "boilerplate", "metadata"):
            raise InputError(f"segment {position}: unknown kind {seg.kind!r}")
        for text in (seg.mt, seg.source, seg.corrected or ""):
            if "\x00" in text:
                raise InputError(f"segment {position} holds a NUL character")


def _segment_meta(seg: DocSegment) -> dict:
    meta = dict(seg.meta)
    if seg.notes:
        meta["notes"] = list(seg.notes)
    return meta


def _is_reference(system: str) -> bool:
    lowered = system.lower()
    return lowered == "reference" or lowered.startswith("ref")


def _row(seg: Segment, retranslation: str | None, counts: Counter) -> SegmentRow:
    return SegmentRow(id=seg.id, position=seg.position, paragraph=seg.paragraph, kind=seg.kind,
                      source=seg.source, mt=seg.mt, current=seg.current, status=seg.status,
                      version=seg.version, retranslation=retranslation,
                      open_flags=counts.get("open", 0),
                      flags=counts.get("open", 0) + counts.get("confirmed", 0),
                      risk=seg.risk, updated_by=seg.updated_by)


def _flag_view(flag: Flag, systems: dict[int, str]) -> FlagView:
    target = systems.get(flag.candidate_id, "candidate") if flag.candidate_id else "mt"
    return FlagView(id=flag.id, segment_id=flag.segment_id, target=target, span_in=flag.span_in,
                    start=flag.start, end=flag.end, category=flag.category,
                    severity=flag.severity, note=flag.note, author=flag.author,
                    origin=flag.origin, check_name=flag.check_name, state=flag.state,
                    created_at=as_utc(flag.created_at))



from review.report_services import ReportServices  # noqa: E402
from review.retranslate_services import RetranslationServices  # noqa: E402
from review.team_services import TeamServices  # noqa: E402


class Workbench(ReviewServices, TeamServices, ReportServices, RetranslationServices):
    """The application's use cases over one store: what pages and the CLI call."""
