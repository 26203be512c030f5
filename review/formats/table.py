"""CSV and TSV: one row per segment, columns named after the fields they fill.

Reading maps columns by name (case-insensitive): ``id``, ``source``, ``mt`` (or ``target``,
``translation``), ``corrected`` (or ``post_edit``), ``reference``, ``kind``, ``status``,
``paragraph``, ``article`` (rows with the same value form one article, in order of first
appearance; without the column the whole file is one article titled by ``--title`` or the file
name), ``notes`` and ``flags`` (JSON lists, as exported), and any number of ``system:NAME``
columns, each a candidate translation by system NAME. ``ReadOptions.column_map`` renames file
columns to these names first. Other columns are kept in ``DocSegment.meta["columns"]``.

Rules a file must follow (checked for every row before anything is imported):
- a ``mt`` column, or a ``source`` column for files of segments still to translate;
- an empty ``mt`` cell only where the row has a source (a segment to translate);
- every row with as many fields as the header; ids unique within an article.
Empty ``corrected`` and ``reference`` cells mean "none".

Cells are kept verbatim, including ones starting with ``= + - @``: this is a data file for
tools, not a spreadsheet report, and rewriting text would corrupt translations; open exports
in a spreadsheet with formulas disabled (import as text).

CSV follows RFC 4180 quoting and is lossless. TSV has no quoting (text often holds quotes),
so tabs and line breaks inside a cell are written as single spaces: use CSV or JSONL when
segments contain them.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO, TextIO

from review.errors import InputError
from review.formats.base import (
    MAX_TABLE_IMPORT_BYTES,
    DocArticle,
    DocFlag,
    DocSegment,
    ReadOptions,
    WriteOptions,
)
from review.formats.encoding import check_size, decode_text
from review.formats.filenames import stream_title
from review.vocab import RESIDUE_KINDS, SEGMENT_KINDS, SEGMENT_STATUSES

csv.field_size_limit(MAX_TABLE_IMPORT_BYTES)

SYSTEM_PREFIX = "system:"
FIELD_ALIASES = {
    "id": "id",
    "source": "source",
    "mt": "mt",
    "target": "mt",
    "translation": "mt",
    "corrected": "corrected",
    "post_edit": "corrected",
    "post-edit": "corrected",
    "postedit": "corrected",
    "reference": "reference",
    "kind": "kind",
    "status": "status",
    "paragraph": "paragraph",
    "article": "article",
    "flags": "flags",
    "notes": "notes",
    "position": "position",
}
"""File column name (lower case) -> field it fills."""

EXPORT_COLUMNS = ("article", "id", "position", "paragraph", "kind", "source", "mt", "corrected",
                  "reference", "status", "notes", "flags")
_FLAG_FIELDS = {f.name for f in dataclasses.fields(DocFlag)}
_HEAD_BYTES = 64 * 1024
_TSV_BREAKS = re.compile(r"\r\n|[\t\r\n]")
_UNDECODABLE = re.compile("[\udc80-\udcff]")


# --- reading text streams -------------------------------------------------------------------

class _LimitedReader(io.RawIOBase):
    """Bytes of ``stream`` after ``prefix``; refuses to go past ``limit`` bytes in total."""

    def __init__(self, stream: BinaryIO, prefix: bytes, limit: int, what: str) -> None:
        self._stream = stream
        self._prefix = prefix
        self._limit = limit
        self._what = what
        self._count = len(prefix)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        size = len(buffer)
        if self._prefix:
            chunk, self._prefix = self._prefix[:size], self._prefix[size:]
        else:
            chunk = self._stream.read(size)
            self._count += len(chunk)
            check_size(self._count, self._limit, self._what)
        buffer[: len(chunk)] = chunk
        return len(chunk)


def limited_reader(stream: BinaryIO, limit: int, what: str) -> io.BufferedReader:
    """A buffered view of ``stream`` that raises ``InputError`` once past ``limit`` bytes.

    Also what guards decompression: wrap the decompressed stream to cap what it expands to.
    """
    return io.BufferedReader(_LimitedReader(stream, b"", limit, what))


def read_limited(stream: BinaryIO, limit: int, what: str) -> bytes:
    """All of ``stream``, refusing it (``InputError``) once it passes ``limit`` bytes."""
    data = stream.read(limit + 1)
    check_size(len(data), limit, what)
    return data


def open_text(stream: BinaryIO, encoding: str | None = None, *, what: str = "The file",
              limit: int = MAX_TABLE_IMPORT_BYTES) -> TextIO:
    """A text stream over ``stream`` that reads it in chunks (memory stays bounded).

    UTF-8, files with a byte-order mark and files in a given ``encoding`` stream, their text
    verbatim (a carriage return inside a quoted CSV cell survives); other encodings are
    detected by ``decode_text`` on the whole file, which is read into memory for that
    (legacy-encoded tables are rare and small). Bytes that do not decode are kept as escape
    characters: readers check each row with ``has_undecodable`` to name the line.
    Newlines are left as they are (``newline=""``), as the csv module wants.
    """
    head = stream.read(_HEAD_BYTES)
    check_size(len(head), limit, what)
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            decode_text(b"", encoding, what=what)  # raises the shared "unknown encoding" error
        if codecs.lookup(encoding).name == "utf-8":
            encoding = "utf-8-sig"  # same text, minus a byte-order mark if there is one
        return _wrap(stream, head, encoding, limit, what)
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return _wrap(stream, head, name, limit, what)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        sample = decoder.decode(head, final=len(head) < _HEAD_BYTES)
    except UnicodeDecodeError:
        sample = None
    if sample is not None and "\x00" not in sample:
        decode_text(sample.encode("utf-8"), "utf-8", what=what)  # refuses binary-looking data
        return _wrap(stream, head, "utf-8", limit, what)
    rest = stream.read(limit + 1 - len(head))
    check_size(len(head) + len(rest), limit, what)
    return io.StringIO(decode_text(head + rest, encoding, what=what), newline="")


def _wrap(stream: BinaryIO, head: bytes, encoding: str, limit: int, what: str) -> TextIO:
    raw = io.BufferedReader(_LimitedReader(stream, head, limit, what), buffer_size=_HEAD_BYTES)
    return io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="")


def has_undecodable(cells: Iterable[str]) -> bool:
    """Whether a row read by ``open_text`` holds bytes its encoding could not decode.

    The stream decodes ahead of the row being parsed, so bad bytes are kept as escape
    characters (``surrogateescape``) and found per row: the message can give the exact line.
    """
    return _UNDECODABLE.search("".join(cells)) is not None


def undecodable(line: int, what: str, encoding: str = "") -> InputError:
    named = f"valid {encoding}" if encoding else "text in the file's encoding"
    return InputError(
        f"{what}, line {line}: bytes that are not {named}; save the file as UTF-8 or pass "
        "--encoding."
    )


# --- shared row handling (CSV, TSV and JSONL) -----------------------------------------------

@dataclasses.dataclass
class RowContext:
    """Where a row came from, for messages: ``line`` counts from 1."""

    what: str
    line: int

    def error(self, message: str) -> InputError:
        return InputError(f"{self.what}, line {self.line}: {message}")


def field_for(column: str, column_map: dict[str, str]) -> str | None:
    """The field a file column fills, ``"system:NAME"`` for candidates, or ``None``."""
    mapped = column_map.get(column, column_map.get(column.strip(), column))
    name = mapped.strip()
    if name.lower().startswith(SYSTEM_PREFIX):
        system = name[len(SYSTEM_PREFIX):].strip()
        return SYSTEM_PREFIX + system if system else None
    return FIELD_ALIASES.get(name.lower())


def check_columns(fields: Iterable[str | None], found: list[str], what: str,
                  noun: str = "column") -> None:
    """Refuse a header without a text column, naming what was found and what is expected."""
    present = set(fields)
    if "mt" not in present and "source" not in present:
        shown = ", ".join(repr(c) for c in found) or "none"
        raise InputError(
            f"{what} has no 'mt' {noun} (found: {shown}); expected 'mt' (or 'target', "
            f"'translation'), optionally 'id', 'source', 'corrected', 'reference', 'kind', "
            f"'status', 'paragraph', 'article' and 'system:NAME' {noun}s. Rename them "
            "or map them with a column map."
        )


class ArticleBuilder:
    """Collects validated rows into articles (grouped by the ``article`` value)."""

    def __init__(self, options: ReadOptions, default_title: str) -> None:
        self.options = options
        self.default_title = default_title
        self.articles: dict[str, DocArticle] = {}
        self._ids: dict[str, dict[str, int]] = {}

    def add(self, record: dict[str, object], ctx: RowContext) -> None:
        """``record`` maps field names (and ``system:NAME``) to cell values (str or JSON)."""
        title = _text(record.get("article")) or self.default_title
        article = self.articles.get(title)
        if article is None:
            article = DocArticle(title=title, origin=self.options.origin)
            if self.options.source_lang:
                article.source_lang = self.options.source_lang
            if self.options.target_lang:
                article.target_lang = self.options.target_lang
            self.articles[title] = article
            self._ids[title] = {}
        segment = build_segment(record, ctx)
        if segment.external_id:
            seen = self._ids[title]
            first = seen.get(segment.external_id)
            if first is not None:
                raise ctx.error(
                    f"id {segment.external_id!r} appears twice (first on line {first}); ids "
                    "must be unique within an article."
                )
            seen[segment.external_id] = ctx.line
        segment.position = len(article.segments)
        article.segments.append(segment)

    def result(self, what: str) -> list[DocArticle]:
        if not self.articles:
            raise InputError(f"{what} holds no segments; nothing to import.")
        return list(self.articles.values())


def build_segment(record: dict[str, object], ctx: RowContext) -> DocSegment:
    """One validated segment from a row; ``InputError`` (with the line) for bad cells."""
    source = _text(record.get("source"))
    mt = _text(record.get("mt"))
    if not mt and not source:
        raise ctx.error("neither 'source' nor 'mt' has text; fill one in or delete the row.")
    kind = _text(record.get("kind")).strip().lower() or "body"
    if kind not in SEGMENT_KINDS:
        raise ctx.error(f"kind {kind!r} is not one of {', '.join(SEGMENT_KINDS)}.")
    status = _text(record.get("status")).strip().lower() or None
    if status is not None and status not in SEGMENT_STATUSES:
        raise ctx.error(f"status {status!r} is not one of {', '.join(SEGMENT_STATUSES)}.")
    segment = DocSegment(
        mt=mt,
        source=source,
        kind=kind,
        paragraph=_paragraph(record.get("paragraph"), ctx),
        corrected=_text(record.get("corrected")) or None,
        reference=_text(record.get("reference")) or None,
        external_id=_text(record.get("id")).strip(),
        status=status,
        notes=_notes(record.get("notes"), ctx),
        flags=_flags(record.get("flags"), ctx),
    )
    for key, value in record.items():
        if key.startswith(SYSTEM_PREFIX):
            text = _text(value)
            if text:
                segment.candidates[key[len(SYSTEM_PREFIX):]] = text
    extra = record.get("__extra__")
    if extra:
        segment.meta["columns"] = extra
    return segment


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise InputError(f"expected text, found {type(value).__name__} {value!r}")


def _paragraph(value: object, ctx: RowContext) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ctx.error(f"paragraph {value!r} is not a whole number >= 0.")


def _json_cell(value: object, name: str, ctx: RowContext) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as err:
            raise ctx.error(f"'{name}' is not valid JSON ({err.msg}); write a JSON list.") from None
    if not isinstance(value, list):
        raise ctx.error(f"'{name}' must be a JSON list.")
    return value


def _notes(value: object, ctx: RowContext) -> list[str]:
    notes = _json_cell(value, "notes", ctx)
    if not all(isinstance(note, str) for note in notes):
        raise ctx.error("'notes' must be a JSON list of strings.")
    return notes


def _flags(value: object, ctx: RowContext) -> list[DocFlag]:
    flags = []
    for item in _json_cell(value, "flags", ctx):
        if not isinstance(item, dict):
            raise ctx.error("each entry of 'flags' must be a JSON object.")
        unknown = set(item) - _FLAG_FIELDS
        if unknown:
            raise ctx.error(f"unknown flag field(s) {', '.join(sorted(unknown))} in 'flags'.")
        if not isinstance(item.get("category"), str) or not isinstance(item.get("severity"), str):
            raise ctx.error("each flag needs 'category' and 'severity' strings.")
        for key in ("start", "end"):
            if item.get(key) is not None and (not isinstance(item[key], int)
                                              or isinstance(item[key], bool)):
                raise ctx.error(f"flag '{key}' must be a whole number or null.")
        for key in _FLAG_FIELDS - {"start", "end"}:
            if key in item and not isinstance(item[key], str):
                raise ctx.error(f"flag '{key}' must be a string.")
        flags.append(DocFlag(**item))
    return flags


def flag_dicts(flags: list[DocFlag]) -> list[dict]:
    return [dataclasses.asdict(flag) for flag in flags]


def export_segments(articles: list[DocArticle], options: WriteOptions
                    ) -> Iterator[tuple[DocArticle, DocSegment]]:
    """Segments to export in order; residue only when ``options.include_residue``."""
    for article in articles:
        for segment in article.segments:
            if segment.kind in RESIDUE_KINDS and not options.include_residue:
                continue
            yield article, segment


def candidate_names(articles: list[DocArticle], options: WriteOptions) -> list[str]:
    names: dict[str, None] = {}
    for _, segment in export_segments(articles, options):
        for name in segment.candidates:
            names.setdefault(name, None)
    return list(names)


def export_record(article: DocArticle, segment: DocSegment) -> dict[str, object]:
    """The exported fields of one segment (JSON-ready values)."""
    return {
        "article": article.title,
        "id": segment.external_id or (str(segment.id) if segment.id is not None else ""),
        "position": segment.position,
        "paragraph": segment.paragraph,
        "kind": segment.kind,
        "source": segment.source,
        "mt": segment.mt,
        "corrected": segment.corrected,
        "reference": segment.reference,
        "status": segment.status,
        "notes": list(segment.notes),
        "flags": flag_dicts(segment.flags),
    }


# --- CSV / TSV ------------------------------------------------------------------------------

class TableFormat:
    """CSV (``,``, RFC 4180 quoting) or TSV (tab, no quoting)."""

    can_read = True
    can_write = True

    def __init__(self, name: str, delimiter: str, extensions: tuple[str, ...], mime: str,
                 label: str) -> None:
        self.name = name
        self.delimiter = delimiter
        self.extensions = extensions
        self.mime = mime
        self.label = label
        self._quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
        self._sep_name = "tab" if delimiter == "\t" else "comma"

    def _reader(self, text: TextIO):
        if self._quoting == csv.QUOTE_NONE:
            return csv.reader(text, delimiter=self.delimiter, quoting=csv.QUOTE_NONE,
                              quotechar=None, strict=True)
        return csv.reader(text, delimiter=self.delimiter, strict=True)

    def read(self, stream: BinaryIO, options: ReadOptions) -> Iterator[DocArticle]:
        what = options.origin or f"The {self.label} file"
        text = open_text(stream, options.encoding, what=what)
        reader = self._reader(text)
        builder = ArticleBuilder(options, options.title or stream_title(stream))
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(f"{what} is empty; nothing to import.")
            header = [cell.strip() for cell in header]
            fields = [field_for(col, options.column_map) for col in header]
            check_columns(fields, header, what)
            _refuse_repeated(fields, header, what)
            width = len(header)
            while True:
                line = reader.line_num + 1
                row = next(reader, None)
                if row is None:
                    break
                if not row or (len(row) == 1 and not row[0].strip() and width > 1):
                    continue
                if has_undecodable(row):
                    raise undecodable(line, what, getattr(text, "encoding", ""))
                if len(row) != width:
                    raise InputError(
                        f"{what}, line {line}: expected {width} {self._sep_name}-separated "
                        f"fields, found {len(row)}; check for a stray {self._sep_name} or a "
                        "missing cell."
                    )
                record: dict[str, object] = {}
                extra: dict[str, str] = {}
                for col, field, value in zip(header, fields, row):
                    if field is None:
                        if value:
                            extra[col] = value
                    else:
                        record[field] = value
                if extra:
                    record["__extra__"] = extra
                builder.add(record, RowContext(what, line))
        except csv.Error as err:
            raise InputError(
                f"{what}, line {reader.line_num}: {err}; check the quoting of that row."
            ) from None
        except UnicodeDecodeError as err:
            raise undecodable(reader.line_num + 1, what, err.encoding) from None
        yield from builder.result(what)

    def write(self, articles: list[DocArticle], stream: BinaryIO, options: WriteOptions) -> None:
        systems = candidate_names(articles, options)
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        try:
            if self._quoting == csv.QUOTE_NONE:
                writer = csv.writer(text, delimiter="\t", quoting=csv.QUOTE_NONE,
                                    quotechar=None, escapechar=None, lineterminator="\n")
                clean: Callable[[str], str] = _tsv_cell
            else:
                writer = csv.writer(text, lineterminator="\r\n")
                clean = str
            writer.writerow([*EXPORT_COLUMNS, *(SYSTEM_PREFIX + s for s in systems)])
            for article, segment in export_segments(articles, options):
                record = export_record(article, segment)
                row = [_cell(record[col]) for col in EXPORT_COLUMNS]
                row += [segment.candidates.get(s, "") for s in systems]
                writer.writerow([clean(cell) for cell in row])
            text.flush()
        finally:
            text.detach()


def _refuse_repeated(fields: list[str | None], header: list[str], what: str) -> None:
    seen: dict[str, str] = {}
    for col, field in zip(header, fields):
        if field is None:
            continue
        if field in seen:
            raise InputError(
                f"{what}: columns {seen[field]!r} and {col!r} both fill '{field}'; keep one."
            )
        seen[field] = col


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False) if value else ""
    return str(value)


def _tsv_cell(value: str) -> str:
    """TSV cannot hold tabs or line breaks: each becomes one space (``\\r\\n`` counts as one)."""
    return _TSV_BREAKS.sub(" ", value)


CSV_FORMAT = TableFormat("csv", ",", (".csv",), "text/csv", "CSV")
TSV_FORMAT = TableFormat("tsv", "\t", (".tsv", ".tab"), "text/tab-separated-values", "TSV")
