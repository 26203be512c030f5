"""The plain document model that every format reads into and writes from.

Formats never touch the store: importers yield ``DocArticle`` objects and exporters receive
them, so one round-trip test covers each format and the services own all the transactions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol

MAX_IMPORT_BYTES = 20 * 1024 * 1024
"""Files above this size are refused (split them first); documented in the README."""

NOTHING_TO_REVIEW = ("it has nothing to review, and nothing was imported (an article needs "
                     "at least one segment).")
"""The end of the message for a valid XLIFF or TMX file without a translation unit."""

WARNINGS_KEY = "import_warnings"
"""``DocArticle.meta`` key under which a reader leaves warnings for the import report."""

MAX_TABLE_IMPORT_BYTES = 2 * 1024 * 1024 * 1024
"""Files of the streamed formats (CSV, TSV, JSONL, XLIFF, TMX, MQM TSV): memory stays flat
whatever their size, so this only bounds an import's time; the import's segment and
character limits (``review.core.limits``) usually come first."""


@dataclass
class DocFlag:
    """One error annotation. ``target`` is ``"mt"`` or the system name of a candidate."""

    category: str
    severity: str
    start: int | None = None
    end: int | None = None
    note: str = ""
    author: str = ""
    target: str = "mt"
    origin: str = "import"
    state: str = "open"
    span_in: str = "target"  # "target" or "source": which text start/end index


@dataclass
class DocSegment:
    """One segment as a file carries it (import) or as the store hands it out (export)."""

    mt: str
    source: str = ""
    kind: str = "body"
    paragraph: int = 0
    corrected: str | None = None
    reference: str | None = None
    candidates: dict[str, str] = field(default_factory=dict)
    flags: list[DocFlag] = field(default_factory=list)
    external_id: str = ""
    status: str | None = None
    notes: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    # Filled on export from the store; ignored on import.
    id: int | None = None
    position: int = 0
    changed_by: str = ""
    changed_at: str = ""  # ISO 8601 UTC
    held: bool = False
    """Not released by this export (an "approved only" export of a segment not approved):
    written into a kept original file, its place stays as the file had it; other writers
    never see it (the export service leaves it out)."""
    version: int = 0  # 1: as imported, more: changed since; 0: not from the store


@dataclass
class DocArticle:
    title: str
    source_lang: str = ""
    target_lang: str = "en"
    segments: list[DocSegment] = field(default_factory=list)
    origin: str = ""
    publisher: str = ""
    mt_system: str = ""
    meta: dict = field(default_factory=dict)
    id: int | None = None


@dataclass
class ReadOptions:
    source_lang: str | None = None
    target_lang: str | None = None
    title: str | None = None
    encoding: str | None = None
    origin: str = ""
    column_map: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from review.lang.tags import normalise_tag

        self.source_lang = normalise_tag(self.source_lang, "source language") or None
        self.target_lang = normalise_tag(self.target_lang, "target language") or None
        if self.encoding:  # refuse rot13, hex, zlib ... before any reader sees them
            from review.formats.encoding import text_codec

            text_codec(self.encoding)


@dataclass
class WriteOptions:
    include_residue: bool = False
    raw_cells: bool = False
    """CSV/TSV: write cells verbatim, even ones a spreadsheet would run as formulas."""
    source_lang: str = ""
    target_lang: str = ""
    include_suggestions: bool = False
    """Whether the automatic checks' unconfirmed suggestions leave as flags too (the export
    service leaves them out otherwise)."""


SegmentStream = Iterator[tuple[DocArticle, DocSegment]]
"""What a streaming reader yields: each segment with the article it belongs to.

The contract that keeps memory bounded whatever the file's size:
- the same ``DocArticle`` object stands for its article in every pair (its identity is the
  article's key), with an empty ``segments`` list; articles may interleave;
- a segment is yielded once, complete, and the reader keeps no reference to it;
- the reader may still complete an article's header (languages, meta) while it reads; the
  importer takes the header's values once the stream ends;
- rules that need the whole file (ids unique within an article, the size of the import) are
  the importer's, checked against what it has stored.
"""


def collect(pairs: Iterable[tuple[DocArticle, DocSegment]]) -> list[DocArticle]:
    """Articles with their segments, in order of first appearance, from a segment stream.

    For callers that want the whole document in memory (exports, tests, small files). Ids
    must be unique within an article, as the importer requires.
    """
    from review.core.errors import InputError

    articles: dict[int, DocArticle] = {}
    ids: dict[int, dict[str, int]] = {}
    for article, segment in pairs:
        if id(article) not in articles:
            articles[id(article)] = article
            ids[id(article)] = {}
        segment.position = len(article.segments)
        if segment.external_id:
            first = ids[id(article)].setdefault(segment.external_id, segment.position)
            if first != segment.position:
                raise InputError(duplicate_id_message(
                    article.origin or article.title, segment.external_id, first + 1,
                    segment.position + 1))
        article.segments.append(segment)
    return list(articles.values())


def duplicate_id_message(what: str, external_id: str, first: int, second: int) -> str:
    return (f"{what or 'the file'}: id {external_id!r} appears twice (segments {first} and "
            f"{second}); ids must be unique within an article.")


def explode(articles: Iterable[DocArticle]) -> Iterator[tuple[DocArticle, DocSegment]]:
    """The segment stream of articles already in memory (each article is its own header)."""
    for article in articles:
        for segment in article.segments:
            yield article, segment


class Format(Protocol):
    """A registry entry: one file format, read and/or written."""

    name: str
    label: str
    """How pages name the format ("XLIFF 1.2")."""
    description: str
    """What a file of this format holds, for the Export page and the CLI's help."""
    extensions: tuple[str, ...]
    can_read: bool
    can_write: bool
    mime: str

    def read(self, stream: BinaryIO, options: ReadOptions) -> Iterator[DocArticle]: ...

    def stream(self, stream: BinaryIO, options: ReadOptions) -> SegmentStream:
        """The file's segments one by one (see ``SegmentStream``); what imports call."""
        ...

    def write(
        self, articles: list[DocArticle], stream: BinaryIO, options: WriteOptions
    ) -> None: ...
