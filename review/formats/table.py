"""CSV and TSV: one row per segment, columns named after the fields they fill.

Reading maps columns by name (case-insensitive): ``id``, ``source``, ``mt`` (or ``target``,
``translation``), ``corrected`` (or ``post_edit``), ``reference``, ``kind``, ``status``,
``paragraph``, ``article`` (rows with the same value form one article, in order of first
appearance; without the column the whole file is one article titled by ``--title`` or the file
name), ``notes`` and ``flags`` (JSON lists, as exported), and any number of ``system:NAME``
columns, each a candidate translation by system NAME. ``ReadOptions.column_map`` renames file
columns to these names first. Other columns are kept in ``DocSegment.meta["columns"]``.

Rules a file must follow (the reader checks each row as it streams it, the import stores
nothing unless every row passes):
- a ``mt`` column, or a ``source`` column for files of segments still to translate;
- an empty ``mt`` cell only where the row has a source (a segment to translate);
- every row with as many fields as the header, no cell over ``MAX_FIELD_CHARS``;
- ids unique within an article (checked by the importer, or ``collect`` for ``read``).
Empty ``corrected`` and ``reference`` cells mean "none". A row that repeats the header
(files joined end to end) is skipped and counted in the import's notes; byte-order marks
inside the file are removed from every cell (ids and texts).

Rows are read one at a time (``stream``): memory stays flat whatever the number of rows.

Cells that a spreadsheet would run as formulas (starting with ``= + - @``, a tab or a
carriage return) are written with a leading apostrophe (``review.formats.formulas``), unless
``WriteOptions.raw_cells`` asks for them verbatim (for machine consumers); the reader takes
one such apostrophe off again, so both forms import to the same text.

CSV follows RFC 4180 quoting and is lossless. TSV has no quoting (text often holds quotes),
so tabs and line breaks inside a cell are written as single spaces: use CSV or JSONL when
segments contain them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO, TextIO

from review.core.errors import InputError
from review.formats.base import (
    WARNINGS_KEY,
    DocArticle,
    ReadOptions,
    SegmentStream,
    WriteOptions,
    collect,
)
from review.formats.filenames import stream_title
from review.formats.formulas import neutralise, restore
from review.formats.rows import (
    EXPORT_COLUMNS,
    SYSTEM_PREFIX,
    ArticleBuilder,
    RowContext,
    candidate_names,
    check_columns,
    export_record,
    export_segments,
    field_for,
)
from review.formats.streams import MAX_FIELD_CHARS, has_undecodable, open_text, undecodable

_TSV_BREAKS = re.compile(r"\r\n|[\t\r\n]")


class TableFormat:
    """CSV (``,``, RFC 4180 quoting) or TSV (tab, no quoting)."""

    can_read = True
    can_write = True

    def __init__(self, name: str, delimiter: str, extensions: tuple[str, ...], mime: str,
                 label: str, description: str = "") -> None:
        self.name = name
        self.delimiter = delimiter
        self.extensions = extensions
        self.mime = mime
        self.label = label
        self.description = description
        self._quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
        self._sep_name = "tab" if delimiter == "\t" else "comma"

    def _reader(self, text: TextIO):
        if self._quoting == csv.QUOTE_NONE:
            return csv.reader(text, delimiter=self.delimiter, quoting=csv.QUOTE_NONE,
                              quotechar=None, strict=True)
        return csv.reader(text, delimiter=self.delimiter, strict=True)

    def stream(self, stream: BinaryIO, options: ReadOptions) -> SegmentStream:
        """The segments one by one as the rows are read (see ``SegmentStream``)."""
        what = options.origin or f"The {self.label} file"
        text = open_text(stream, options.encoding, what=what)
        reader = self._reader(text)
        builder = ArticleBuilder(options, options.title or stream_title(stream))
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(f"{what} is empty; nothing to import.")
            header = [restore(_no_bom(cell).strip()) for cell in header]
            fields = [field_for(col, options.column_map) for col in header]
            check_columns(fields, header, what)
            _refuse_repeated(fields, header, what)
            width = len(header)
            repeats = RepeatedHeaders(header)
            while True:
                line = reader.line_num + 1
                row = next(reader, None)
                if row is None:
                    break
                if not row or (len(row) == 1 and not row[0].strip() and width > 1):
                    continue
                if has_undecodable(row):
                    raise undecodable(line, what, getattr(text, "encoding", ""))
                row = [_no_bom(cell) for cell in row]
                if repeats.skip(row, line):
                    continue
                if len(row) != width:
                    raise InputError(
                        f"{what}, line {line}: expected {width} {self._sep_name}-separated "
                        f"fields, found {len(row)}; check for a stray {self._sep_name} or a "
                        "missing cell."
                    )
                record: dict[str, object] = {}
                extra: dict[str, str] = {}
                for col, field, value in zip(header, fields, map(restore, row)):
                    if field is None:
                        if value:
                            extra[col] = value
                    else:
                        record[field] = value
                if extra:
                    record["__extra__"] = extra
                yield builder.add(record, RowContext(what, line))
        except csv.Error as err:
            raise _csv_error(err, what, line, reader.line_num) from None
        except UnicodeDecodeError as err:
            raise undecodable(reader.line_num + 1, what, err.encoding) from None
        builder.finish(what)
        repeats.report(builder)

    def read(self, stream: BinaryIO, options: ReadOptions) -> Iterator[DocArticle]:
        """The whole file in memory: its articles with their segments."""
        yield from collect(self.stream(stream, options))

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
            guard: Callable[[str], str] = (lambda cell: cell) if options.raw_cells else neutralise
            extra = _extra_columns(articles, options, systems)
            writer.writerow([guard(c) for c in (*EXPORT_COLUMNS,
                                                 *(SYSTEM_PREFIX + s for s in systems),
                                                 *extra)])
            for article, segment in export_segments(articles, options):
                record = export_record(article, segment)
                row = [_cell(record[col]) for col in EXPORT_COLUMNS]
                row += [segment.candidates.get(s, "") for s in systems]
                kept = _kept_columns(segment)
                row += [str(kept.get(col, "")) for col in extra]
                writer.writerow([guard(clean(cell)) for cell in row])
            text.flush()
        finally:
            text.detach()


def _kept_columns(segment) -> dict:
    kept = segment.meta.get("columns") if isinstance(segment.meta, dict) else None
    return kept if isinstance(kept, dict) else {}


def _extra_columns(articles: list[DocArticle], options: WriteOptions,
                   systems: list[str]) -> list[str]:
    """The file's own columns the workbench does not use (context, comments...), kept on
    import in ``meta["columns"]``: written back after the workbench's, in first-seen order."""
    taken = {c.lower() for c in EXPORT_COLUMNS} | {(SYSTEM_PREFIX + s).lower()
                                                   for s in systems}
    names: dict[str, None] = {}
    for _, segment in export_segments(articles, options):
        for name in _kept_columns(segment):
            if isinstance(name, str) and name.lower() not in taken:
                names.setdefault(name, None)
    return list(names)


def _csv_error(err: csv.Error, what: str, row_line: int, line_num: int) -> InputError:
    """What a csv module error means, at the line where the row started."""
    if "field larger than field limit" in str(err):
        return InputError(
            f"{what}, line {row_line}: a cell is longer than {MAX_FIELD_CHARS:,} characters; "
            "check the quoting of that row (a quote left open runs on to the end of the file)."
        )
    return InputError(f"{what}, line {line_num}: {err}; check the quoting of that row.")


class RepeatedHeaders:
    """Rows that repeat the header (files joined end to end): skipped, and reported once
    in the import's notes with the first few line numbers."""

    SHOWN = 5

    def __init__(self, header: list[str]) -> None:
        self._header = [cell.lower() for cell in header]
        self.lines: list[int] = []
        self.count = 0

    def skip(self, row: list[str], line: int) -> bool:
        if (len(row) != len(self._header) or len(row[0]) > len(self._header[0]) + 8
                or [restore(c.strip()).lower() for c in row] != self._header):
            return False
        self.count += 1
        if len(self.lines) < self.SHOWN:
            self.lines.append(line)
        return True

    def report(self, builder: ArticleBuilder) -> None:
        if not self.count:
            return
        shown = ", ".join(map(str, self.lines)) + (", ..." if self.count > self.SHOWN else "")
        first = next(iter(builder.articles.values()))
        first.meta.setdefault(WARNINGS_KEY, []).append(
            f"{self.count:,} row(s) repeating the header (lines {shown}) were skipped, "
            "not imported as segments")


def _no_bom(cell: str) -> str:
    """A cell without byte-order marks: files joined end to end carry one mid-file, and
    it would otherwise stay, invisible, in an id or a text."""
    return cell.replace("\ufeff", "") if "\ufeff" in cell else cell


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


CSV_FORMAT = TableFormat("csv", ",", (".csv",), "text/csv", "CSV",
                         "one row per segment with flags")
TSV_FORMAT = TableFormat("tsv", "\t", (".tsv", ".tab"), "text/tab-separated-values", "TSV",
                         "one row per segment with flags")
