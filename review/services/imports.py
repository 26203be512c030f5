"""Importing files and documents: all or nothing, checked on the way in."""

from __future__ import annotations

import io
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from review.errors import InputError
from review.formats.base import DocArticle, DocSegment, ReadOptions
from review.formats.encoding import check_plausible
from review.import_checks import check_sizes, prepare, refuse_duplicates
from review.models import (
    Article,
    Candidate,
    Flag,
    Revision,
    Segment,
    utcnow,
)
from review.permissions import Actor, require
from review.services.base import audit
from review.services.checking import run_checks
from review.services.reading import ReadingServices
from review.services.views import (
    ArticleSummary,
)
from review.vocab import (
    FLAG_ORIGINS,
    RESIDUE_KINDS,
    SEGMENT_KINDS,
    SEGMENT_STATUSES,
)


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
    notes: list[str] = field(default_factory=list)
    """What the import assumed or warns about (a guessed language, unfamiliar labels)."""

    def to_json(self) -> dict:
        return {
            "format": self.format,
            "segments": self.segments,
            "candidates": self.candidates,
            "flags": self.flags,
            "suggested_flags": self.suggested_flags,
            "notes": self.notes,
            "articles": [{**a.to_json(), "residue": self.residue.get(a.id, [])}
                         for a in self.articles],
        }




class ImportServices(ReadingServices):
    """Import files in any registered format."""

    def import_file(self, actor: Actor, data: bytes, filename: str, fmt: str | None = None,
                    options: ReadOptions | None = None, *, again: bool = False
                    ) -> ImportReport:
        """Read a file in any registered format and store it whole, or not at all.

        A file whose content matches an article already stored is refused unless ``again``.
        """
        from review.formats.registry import detect_format, get_format

        require(actor, "article.import")
        format_ = get_format(fmt) if fmt else detect_format(filename, data)
        if not format_.can_read:
            raise InputError(f"the {format_.name} format can be exported but not imported")
        options = options or ReadOptions()
        if not options.origin:
            options.origin = Path(filename).name
        if options.encoding:
            check_plausible(data, options.encoding, Path(filename).name)
        stream = io.BytesIO(data)
        stream.name = filename  # readers title an article after its file
        articles = list(format_.read(stream, options))
        if not articles:
            raise InputError(f"{Path(filename).name} holds no segments to review")
        report = self.import_articles(actor, articles, again=again)
        report.format = format_.name
        return report

    def import_articles(self, actor: Actor, articles: list[DocArticle], *,
                        again: bool = False) -> ImportReport:
        require(actor, "article.import")
        for doc in articles:
            _validate_doc(doc)
        check_sizes(articles)
        gates = [prepare(doc) for doc in articles]
        if not again:
            with self.store.read() as session:
                refuse_duplicates(session, articles, gates)
        batch = uuid.uuid4().hex[:12]
        report = ImportReport(articles=[], notes=[n for g in gates for n in g.notes])
        ids: list[int] = []
        with self.store.write() as session:
            for doc, gate in zip(articles, gates):
                article_id, counts = self._store_article(session, actor, doc, batch,
                                                         gate.digest)
                ids.append(article_id)
                report.residue[article_id] = [
                    {"position": position + 1, "kind": seg.kind, "text": seg.mt}
                    for position, seg in enumerate(doc.segments) if seg.kind in RESIDUE_KINDS]
                report.segments += counts["segments"]
                report.candidates += counts["candidates"]
                report.flags += counts["flags"]
                report.suggested_flags += counts["suggested"]
                audit(session, actor, "import", article_id=article_id, title=doc.title,
                       segments=counts["segments"], batch=batch)
        report.articles = self.summaries(actor, ids)
        return report

    def _store_article(self, session: Session, actor: Actor, doc: DocArticle,
                       batch: str, digest: str = "") -> tuple[int, Counter]:
        counts: Counter = Counter()
        article = Article(title=doc.title.strip() or "Untitled", source_lang=doc.source_lang,
                          target_lang=doc.target_lang or "en", origin=doc.origin,
                          publisher=doc.publisher, mt_system=doc.mt_system, batch=batch,
                          meta=doc.meta, created_by=actor.name, content_digest=digest)
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
                    origin=flag.origin if flag.origin in FLAG_ORIGINS
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
        counts["suggested"] = run_checks(session, article, segment_ids=None)
        return article.id, counts



def _validate_doc(doc: DocArticle) -> None:
    if not doc.segments:
        raise InputError(f"{doc.title or 'the article'} has no segments")
    for position, seg in enumerate(doc.segments, start=1):
        if seg.kind not in SEGMENT_KINDS:
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
