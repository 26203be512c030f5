"""Exporting articles: the document model handed to a format's writer."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from review.accounts.permissions import Actor, require
from review.core.errors import InputError, NotFound
from review.core.vocab import STAGED_STATUS
from review.db.batching import in_batches
from review.db.models import (
    Article,
    Candidate,
    Flag,
    OriginalFile,
)
from review.db.store import Store
from review.formats import originals
from review.formats.base import DocArticle, DocFlag, DocSegment, WriteOptions
from review.services.access import Access
from review.services.base import Service, as_utc, audit
from review.services.reading import ReadingServices

MAX_ARTICLES_PER_ZIP = 500
"""Articles in one archive: the archive is built in memory, so its size is bounded."""


@dataclass
class ExportResult:
    data: bytes
    filename: str
    mime: str



class ExportServices(Service):
    """Write articles out in any registered format."""

    def __init__(self, store: Store, access: Access, reading: ReadingServices) -> None:
        super().__init__(store, access)
        self.reading = reading

    def export_article(self, actor: Actor, article_id: int, fmt: str,
                       include_residue: bool = False, *, record: bool = True,
                       raw_cells: bool = False, include_suggestions: bool = False,
                       approved_only: bool = False) -> ExportResult:
        """The article written in ``fmt``; ``record=False`` for previews (no audit entry);
        ``raw_cells`` writes CSV/TSV cells verbatim (no formula guard).

        ``approved_only`` releases only approved segments: the others are left out, or,
        written into a kept original file, their places stay as the file had them.

        Flags leave as annotations only when a reviewer stands behind them (imported,
        reviewers' own, checks' suggestions once confirmed); ``include_suggestions`` adds the
        checks' open suggestions. An article imported from an XLIFF or TMX file that the
        import kept, exported in that format (and XLIFF version), is written into that file
        (``review.formats.originals``): the whole document, all its articles."""
        from review.formats.filenames import export_filename, safe_filename
        from review.formats.registry import get_format

        format_ = get_format(fmt)
        if not format_.can_write:
            raise InputError(f"the {format_.name} format can be imported but not exported")
        require(actor, "article.export")
        doc = self.document(actor, article_id)
        options = WriteOptions(include_residue=include_residue, source_lang=doc.source_lang,
                               target_lang=doc.target_lang, raw_cells=raw_cells,
                               include_suggestions=include_suggestions)
        original = self._original_file(actor, article_id)
        if original is not None and originals.can_merge(original, format_.name):
            docs = [doc if other == article_id else self.document(actor, other)
                    for other in self._same_import(article_id)]
            for each in docs:
                _leave_out_suggestions(each, include_suggestions)
                _hold_unapproved(each, approved_only)
            data = originals.merge(original, format_.name, docs, options)
            stem, dot, suffix = original.name.rpartition(".")
            name = (safe_filename(stem, suffix) if dot and f".{suffix.lower()}"
                    in format_.extensions else safe_filename(original.name,
                                                             format_.extensions[0]))
        else:
            _leave_out_suggestions(doc, include_suggestions)
            _hold_unapproved(doc, approved_only)
            doc.segments = [segment for segment in doc.segments if not segment.held]
            buffer = io.BytesIO()
            format_.write([doc], buffer, options)
            data = buffer.getvalue()
            name = export_filename(doc.title, format_.name, format_.extensions[0])
        if record:
            self.record_export(actor, article_id, format_.name)
        return ExportResult(data, name, format_.mime)

    def export_articles(self, actor: Actor, article_ids: Sequence[int], fmt: str,
                        include_residue: bool = False, *, record: bool = True,
                        include_suggestions: bool = False, approved_only: bool = False
                        ) -> ExportResult:
        """Several articles in ``fmt``, one file each, in one zip archive. Articles written
        into the same kept original file give that file once; names never collide."""
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            raise InputError("choose at least one article to export")
        if len(ids) > MAX_ARTICLES_PER_ZIP:
            raise InputError(f"at most {MAX_ARTICLES_PER_ZIP} articles go in one archive; "
                             "export them in several parts")
        buffer = io.BytesIO()
        names: set[str] = set()
        written: set[tuple[str, bytes]] = set()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for article_id in ids:
                one = self.export_article(actor, article_id, fmt, include_residue,
                                          record=record, include_suggestions=include_suggestions,
                                          approved_only=approved_only)
                if (one.filename, one.data) in written:  # the same original file again
                    continue
                written.add((one.filename, one.data))
                archive.writestr(_unused_name(one.filename, article_id, names), one.data)
        return ExportResult(buffer.getvalue(), f"{len(written)}-articles-{fmt}.zip",
                            "application/zip")

    def unfinished(self, actor: Actor, article_id: int) -> str:
        """Why the article is still under review, in words ("" once every segment to
        review is approved): an export before that holds work in progress."""
        require(actor, "article.export")
        summary = self.reading.summaries(actor, [article_id])
        if not summary:
            raise NotFound(f"no article {article_id}")
        body = summary[0].body_segments
        approved = summary[0].by_status.get("approved", 0)
        if not body or approved >= body:
            return ""
        return (f"Still under review: {body - approved} of {body} segments are not approved "
                "yet, so this export holds work in progress.")

    def _original_file(self, actor: Actor, article_id: int) -> originals.Original | None:
        """The file the article was imported from, when the import kept it."""
        with self.store.read() as session:
            article = self.access.require_article(session, actor, article_id)
            row = session.scalars(select(OriginalFile).where(
                OriginalFile.batch == article.batch)).first() if article.batch else None
            if row is None:
                return None
            return originals.Original(row.name, row.kind, originals.decompress(row.data))

    def _same_import(self, article_id: int) -> list[int]:
        """The articles of the import ``article_id`` came with, in import order."""
        with self.store.read() as session:
            batch = select(Article.batch).where(Article.id == article_id).scalar_subquery()
            return list(session.scalars(select(Article.id).where(
                Article.batch == batch, Article.status != STAGED_STATUS).order_by(Article.id)))

    def record_export(self, actor: Actor, article_id: int, fmt: str) -> None:
        """Note in the audit trail that somebody took the article away in ``fmt``."""
        require(actor, "article.export")
        with self.store.write() as session:
            audit(session, actor, "export", article_id=article_id, format=fmt)

    def document(self, actor: Actor, article_id: int) -> DocArticle:
        """The article as the plain document model that exporters write."""
        with self.store.read() as session:
            article = self.access.require_article(session, actor, article_id)
            segments = self.access.visible_segments(session, actor, article_id)
            ids = [s.id for s in segments]
            candidates: dict[int, list[Candidate]] = defaultdict(list)
            systems: dict[int, str] = {}
            for c in in_batches(session, lambda batch: select(Candidate).where(
                    Candidate.segment_id.in_(batch)).order_by(Candidate.id), ids, scalars=True):
                candidates[c.segment_id].append(c)
                systems[c.id] = c.system
            flags: dict[int, list[Flag]] = defaultdict(list)
            for f in in_batches(session, lambda batch: select(Flag).where(
                    Flag.segment_id.in_(batch), Flag.state != "dismissed").order_by(Flag.id),
                    ids, scalars=True):
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
                    changed_at=as_utc(s.updated_at).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    version=s.version))
        return doc


def _hold_unapproved(doc: DocArticle, approved_only: bool) -> None:
    """Hold back every segment not approved when only approved work is released."""
    if approved_only:
        for segment in doc.segments:
            segment.held = segment.status != "approved"


def _unused_name(name: str, article_id: int, taken: set[str]) -> str:
    """``name``, or with the article's number before the extension when already taken."""
    stem, dot, suffix = name.rpartition(".")
    candidate = name
    if candidate in taken:
        candidate = f"{stem}-{article_id}.{suffix}" if dot else f"{name}-{article_id}"
    number = 2
    while candidate in taken:
        candidate = (f"{stem}-{article_id}-{number}.{suffix}" if dot
                     else f"{name}-{article_id}-{number}")
        number += 1
    taken.add(candidate)
    return candidate


def _leave_out_suggestions(doc: DocArticle, include_suggestions: bool) -> None:
    """Keep the flags a reviewer stands behind (``review.dashboard.article_mqm`` counts the
    same ones), and the checks' open suggestions too when asked for."""
    for segment in doc.segments:
        segment.flags = [f for f in segment.flags if f.state != "dismissed" and (
            f.origin != "check" or f.state == "confirmed" or include_suggestions)]
