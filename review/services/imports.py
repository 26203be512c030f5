"""Importing files and documents: all or nothing, checked on the way in."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from review.accounts.permissions import Actor, require
from review.core.errors import InputError
from review.core.vocab import SEGMENT_KINDS
from review.db.models import Article
from review.db.rows import existing
from review.db.store import Store
from review.formats import originals
from review.formats.base import DocArticle, ReadOptions, SegmentStream, explode
from review.formats.encoding import check_plausible
from review.formats.originals import Original
from review.services.access import Access
from review.services.base import Service
from review.services.checking import suggest_for_segments
from review.services.reading import ReadingServices
from review.services.staging import StagedImport, discard_stale_stages
from review.services.views import ArticleSummary

CHECKS_INLINE_SEGMENTS = 20_000
"""Imports up to this many segments are checked before the import returns; bigger ones
get their QA checks from a job, so the import's time and memory stay flat."""

CHECKS_INLINE_CHARS = 20_000_000
"""...and up to this many characters of text (the checks read a whole article at once)."""


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
    checks_deferred: list[int] = field(default_factory=list)
    """Articles too big to check while the import waits: their QA checks run as a job."""

    def to_json(self) -> dict:
        return {
            "format": self.format,
            "segments": self.segments,
            "candidates": self.candidates,
            "flags": self.flags,
            "suggested_flags": self.suggested_flags,
            "notes": self.notes,
            "checks_deferred": self.checks_deferred,
            "articles": [{**a.to_json(), "residue": self.residue.get(a.id, [])}
                         for a in self.articles],
        }




QueueChecks = Callable[[Actor, list[int]], "str | None"]
"""Hands a big import's QA checks to a worker; None when no queue takes them."""


class ImportServices(Service):
    """Import files in any registered format."""

    def __init__(self, store: Store, access: Access,
                 reading: ReadingServices, queue_checks: QueueChecks) -> None:
        super().__init__(store, access)
        self.reading = reading
        self.queue_checks = queue_checks

    def import_file(self, actor: Actor, data: bytes, filename: str, fmt: str | None = None,
                    options: ReadOptions | None = None, *, again: bool = False
                    ) -> ImportReport:
        """Read a file in any registered format and store it whole, or not at all.

        A file whose content matches an article already stored is refused unless ``again``.
        """
        stream = io.BytesIO(data)
        stream.name = filename  # readers title an article after its file
        return self.import_stream(actor, stream, filename, fmt, options, again=again)

    def import_path(self, actor: Actor, path: Path, fmt: str | None = None,
                    options: ReadOptions | None = None, *, again: bool = False
                    ) -> ImportReport:
        """Import a file from disk, streamed: memory does not grow with its size."""
        require(actor, "article.import")
        with open(path, "rb") as stream:
            return self.import_stream(actor, stream, path.name, fmt, options, again=again)

    def import_stream(self, actor: Actor, stream: BinaryIO, filename: str,
                      fmt: str | None = None, options: ReadOptions | None = None, *,
                      again: bool = False) -> ImportReport:
        """Import from an open binary stream, segment by segment, all or nothing."""
        from review.formats.registry import detect_format, get_format

        require(actor, "article.import")
        head = _peek(stream)
        format_ = get_format(fmt) if fmt else detect_format(filename, head)
        if not format_.can_read:
            raise InputError(f"the {format_.name} format can be exported but not imported")
        options = options or ReadOptions()
        if not options.origin:
            options.origin = Path(filename).name
        if options.encoding:
            check_plausible(head, options.encoding, Path(filename).name)
        original, note = _original(stream, format_.name, Path(filename).name)
        report = self._import_pairs(actor, format_.stream(stream, options), options.origin,
                                    again=again, original=original)
        if note:
            report.notes.append(note)
        report.format = format_.name
        return report

    def import_articles(self, actor: Actor, articles: list[DocArticle], *,
                        again: bool = False) -> ImportReport:
        """Import documents already in memory (pasted text, tests, other services)."""
        require(actor, "article.import")
        for doc in articles:
            _validate_doc(doc)
        what = (articles[0].origin or articles[0].title or "the file") if articles else ""
        return self._import_pairs(actor, explode(articles), what, again=again)

    def _import_pairs(self, actor: Actor, pairs: SegmentStream, what: str, *,
                      again: bool, original: Original | None = None) -> ImportReport:
        discard_stale_stages(self.store)
        staged = StagedImport(self.store, actor, uuid.uuid4().hex[:12], what or "the file")
        staged.original = original
        try:
            for header, segment in pairs:
                staged.add(header, segment)
            if not staged.articles:
                raise InputError(f"{what or 'the file'} holds no segments to review")
            articles, notes = staged.finish(again=again)
        except BaseException:
            staged.discard()
            raise
        report = ImportReport(articles=[], notes=notes)
        ids = [a.id for a in articles if a.id is not None]  # each has one since its flush
        big = (staged.segment_count > CHECKS_INLINE_SEGMENTS
               or staged.char_count > CHECKS_INLINE_CHARS)
        queued = self.queue_checks(actor, ids) if big else None
        deferred = queued is not None
        with self.store.write() as session:
            for article_id, article in zip(ids, articles, strict=True):
                suggested = 0 if deferred else suggest_for_segments(
                    session, existing(session, Article, article_id), segment_ids=None)
                report.residue[article_id] = article.residue
                report.segments += article.counts["segments"]
                report.candidates += article.counts["candidates"]
                report.flags += article.counts["flags"]
                report.suggested_flags += suggested
        if deferred:
            report.checks_deferred = ids
            report.notes.append(f"{staged.segment_count:,} segments: the QA checks run as "
                                f"{queued} after the import (`python -m review jobs` shows it)")
        report.articles = self.reading.summaries(actor, ids)
        return report


def _validate_doc(doc: DocArticle) -> None:
    if not doc.segments:
        raise InputError(f"{doc.title or 'the article'} has no segments")
    for position, seg in enumerate(doc.segments, start=1):
        if seg.kind not in SEGMENT_KINDS:
            raise InputError(f"segment {position}: unknown kind {seg.kind!r}")


def _original(stream: BinaryIO, fmt: str, name: str) -> tuple[Original | None, str]:
    """The file as read, to keep for exports into it (XLIFF, TMX up to the size limit),
    and what the import report says when it is too big to keep."""
    if fmt not in originals.KEPT_FORMATS or not stream.seekable():
        return None, ""
    at = stream.tell()
    data = stream.read(originals.MAX_ORIGINAL_BYTES + 1)
    stream.seek(at)
    if len(data) > originals.MAX_ORIGINAL_BYTES:
        return None, (f"{name} is bigger than {originals.MAX_ORIGINAL_BYTES // 2**20} MB, so "
                      "the workbench does not keep it: exports are written from the reviewed "
                      "segments, not into the original file")
    kind = originals.kind_of(data)
    return (Original(name, kind, data) if kind else None), ""


def _peek(stream: BinaryIO, size: int = 64 * 1024) -> bytes:
    """The first bytes of ``stream``, left unread where the stream can seek back."""
    if stream.seekable():
        at = stream.tell()
        head = stream.read(size)
        stream.seek(at)
        return head
    return b""
