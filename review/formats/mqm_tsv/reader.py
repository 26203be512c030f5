"""Reading WMT / Marot MQM TSV (plain or side by side, bare or in a gzip or
tar.gz) as a stream of segments: one segment per document segment, every system a
candidate, one flag per row.

One segment's rows (one per system x rater x error) lie anywhere in the file, and the MT
system is chosen among all the systems, so no segment is complete before the last row has
been read. To keep memory bounded whatever the file's size, the reader spools:

1. the rows are read one by one (unpacked on the fly), checked and parsed (span markers
   turned into offsets, the note taken from the metadata) and written to a temporary SQLite
   file; memory keeps only the systems, the documents in order of first appearance and the
   label tally;
2. the spool is read back one segment at a time, documents in order of first appearance and
   segments by number, and each segment is yielded complete.

Every error the file can cause is raised in pass 1, before the first segment is yielded. The
spool is deleted when the stream ends, is closed or fails.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import sqlite3
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO, cast

from review.core import limits
from review.core.errors import InputError
from review.formats import jsonsafe
from review.formats.base import (
    MAX_TABLE_IMPORT_BYTES,
    ReadOptions,
    SegmentStream,
)
from review.formats.formulas import restore
from review.formats.mqm_tsv.labels import LabelTally
from review.formats.mqm_tsv.segments import header, most_common, pairs, texts
from review.formats.mqm_tsv.spans import is_reference, unmark
from review.formats.spancheck import span_problem
from review.formats.streams import has_undecodable, limited_reader, open_text, undecodable

_COLUMN_NAMES = {
    "system": "system",
    "doc": "doc",
    "doc_id": "doc_seg",
    "docsegid": "doc_seg",
    "seg_id": "global_seg",
    "globalsegid": "global_seg",
    "rater": "rater",
    "source": "source",
    "target": "target",
    "category": "category",
    "severity": "severity",
    "comment": "comment",
    "metadata": "metadata",
}
_REQUIRED = ("system", "doc", "doc_seg", "rater", "source", "target", "category", "severity")

_PAIR = re.compile(r"(?<![a-z])([a-z]{2})([-_]?)([a-z]{2})(?![a-z])")

_LANGS = frozenset(
    "ar bg bn cs da de el en es et fa fi fr ga gu ha he hi hr hu id is it ja kk km ko ky lt lv "
    "ms mt my nl no pl ps pt ro ru sk sl sr sv sw ta te th tr uk ur uz vi xh yo zh zu".split()
)
_SCRIPTS = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
)

_BATCH = 2_000
"""Rows written to the spool in one ``executemany``."""

_SPOOL_CACHE_KIB = 8_192
"""SQLite's page cache for the spool: what the spool may hold in memory, whatever its size."""

_SCHEMA = """
CREATE TABLE annotation (
    id INTEGER PRIMARY KEY,     -- file order
    doc INTEGER NOT NULL,       -- the document, numbered in order of first appearance
    seg TEXT NOT NULL,          -- the segment's id within its document
    global_id TEXT NOT NULL,
    para INTEGER,               -- the metadata's starts_paragraph; NULL when it says nothing
    system TEXT NOT NULL,
    rater TEXT NOT NULL,
    category TEXT NOT NULL,
    severity TEXT NOT NULL,
    comment TEXT NOT NULL,
    in_source INTEGER NOT NULL, -- whether the span marks the source (else the target)
    span_start INTEGER,
    span_end INTEGER,
    source TEXT NOT NULL,       -- without span markers
    target TEXT NOT NULL
)
"""
_INSERT = "INSERT INTO annotation VALUES (NULL" + ", ?" * 14 + ")"

_INDEX = (
    "CREATE INDEX annotation_segment ON annotation (doc, seg)",
    # One line per segment; ``first`` (its first row) orders segments of equal number.
    "CREATE TABLE segment AS SELECT doc, seg, order_key(seg) AS ord, MIN(id) AS first "
    "FROM annotation GROUP BY doc, seg",
    "CREATE INDEX segment_order ON segment (doc, ord, first)",
)

_ROW_COLUMNS = ("global_id, para, system, rater, category, severity, comment, in_source, "
                "span_start, span_end, source, target")
_SEGMENTS = (
    f"SELECT s.doc, s.seg, {', '.join('a.' + c for c in _ROW_COLUMNS.split(', '))} "
    "FROM segment AS s JOIN annotation AS a ON a.doc = s.doc AND a.seg = s.seg "
    "ORDER BY s.doc, s.ord, s.first, a.id"
)
_SAMPLE = "SELECT seg FROM segment WHERE doc = 0 ORDER BY first LIMIT 20"
_SEGMENT_ROWS = (f"SELECT doc, seg, {_ROW_COLUMNS} FROM annotation WHERE doc = ? AND seg = ? "
                 "ORDER BY id")

# Positions in a row of _SEGMENTS / _SEGMENT_ROWS: see review.formats.mqm_tsv.segments.


@dataclass
class _Spooled:
    """What pass 1 keeps in memory."""

    titles: list[str]  # the documents, in order of first appearance
    systems: set[str]


def read_segments(stream: BinaryIO, options: ReadOptions) -> SegmentStream:
    """The MQM file's segments one by one, each with its article's header."""
    what = options.origin or "The MQM file"
    name = str(getattr(stream, "name", "") or options.origin or "")
    tally = LabelTally()
    with tempfile.TemporaryDirectory(prefix="review-mqm-", ignore_cleanup_errors=True) as folder:
        db = sqlite3.connect(os.path.join(folder, "spool.sqlite3"), isolation_level=None,
                             check_same_thread=False)
        try:
            spooled = _fill(db, stream, options.encoding, what, tally)
            systems = sorted(spooled.systems)
            mt_system = next((s for s in systems if not is_reference(s)), systems[0])
            references = [s for s in systems if is_reference(s)]
            source_lang, target_lang = _languages(options, name, spooled.titles, db)
            headers = (header(title, mt_system, source_lang, target_lang, options.origin,
                               tally.warnings()) for title in spooled.titles)
            yield from pairs(db.execute(_SEGMENTS), headers, mt_system, references)
        finally:
            db.close()


def _fill(db: sqlite3.Connection, stream: BinaryIO, encoding: str | None, what: str,
          tally: LabelTally) -> _Spooled:
    """Pass 1: every row of the file checked and written to the spool, then indexed."""
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute(f"PRAGMA cache_size = -{_SPOOL_CACHE_KIB}")
    db.execute(_SCHEMA)
    db.create_function("order_key", 1, _order_key, deterministic=True)
    db.execute("BEGIN")
    try:
        spooled = _spool(db, _tsv_stream(stream, what), encoding, what, tally)
    except (OSError, EOFError, zlib.error, tarfile.TarError) as err:
        raise InputError(
            f"{what} could not be unpacked ({err}); check that the download is complete."
        ) from None
    tally.refuse_unknown_severities(what)
    for statement in _INDEX:
        db.execute(statement)
    db.execute("COMMIT")
    return spooled


def _spool(db: sqlite3.Connection, binary: BinaryIO, encoding: str | None, what: str,
           tally: LabelTally) -> _Spooled:
    text = open_text(binary, encoding, what=what)
    reader = csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE, quotechar=None)
    docs: dict[str, int] = {}
    systems: set[str] = set()
    batch: list[tuple] = []
    line = 1
    try:
        header = next(reader, None)
        if not header:
            raise InputError(f"{what} is empty; nothing to import.")
        columns = _columns(header, what)
        width = len(columns)
        optional_last = columns[-1] in ("comment", "metadata")
        index = {name: i for i, name in enumerate(columns)}
        chars = 0
        while True:
            line = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if has_undecodable(row):
                raise undecodable(line, what, getattr(text, "encoding", ""))
            row = [restore(cell) for cell in row]
            if len(row) != width and not (optional_last and len(row) == width - 1):
                raise InputError(
                    f"{what}, line {line}: expected {width} tab-separated fields, found "
                    f"{len(row)}; MQM files have no quoting, so a tab inside a text breaks "
                    "the row."
                )
            texts = (row[index["source"]], row[index["target"]])
            reason = limits.first_too_long(texts)
            if reason:
                raise InputError(f"{what}, line {line}: {reason}; {limits.ADVICE}.")
            chars += sum(map(len, texts))
            limits.check_import_size(0, chars, what)
            batch.append(_parsed(row, index, docs, line, what))
            systems.add(row[index["system"]])
            tally.add(row[index["category"]], row[index["severity"]], line)
            if len(batch) >= _BATCH:
                db.executemany(_INSERT, batch)
                batch.clear()
    except UnicodeDecodeError as err:
        raise undecodable(reader.line_num + 1, what, err.encoding) from None
    db.executemany(_INSERT, batch)
    if not docs:
        raise InputError(f"{what} holds no annotation rows; nothing to import.")
    return _Spooled(list(docs), systems)

def _tsv_stream(stream: BinaryIO, what: str) -> BinaryIO:
    """The TSV bytes: ``stream`` itself, or the one ``.tsv`` inside a gzip or tar.gz."""
    buffered = limited_reader(stream, MAX_TABLE_IMPORT_BYTES, what)
    if buffered.peek(2)[:2] != b"\x1f\x8b":
        return buffered
    # a GzipFile reads like any binary stream; the stubs make it a BufferedIOBase instead
    unzipped = limited_reader(cast(BinaryIO, gzip.GzipFile(fileobj=buffered, mode="rb")),
                              MAX_TABLE_IMPORT_BYTES, what)
    try:
        head = unzipped.peek(512)[:512]
    except (OSError, EOFError) as err:
        raise InputError(f"{what} is not a readable gzip file ({err}).") from None
    if head[257:262] != b"ustar":
        return unzipped
    archive = tarfile.open(fileobj=unzipped, mode="r|")
    found: list[str] = []
    for member in archive:
        base = member.name.rsplit("/", 1)[-1]
        if not member.isfile() or base.startswith("."):
            continue
        found.append(member.name)
        if base.lower().endswith(".tsv"):
            extracted = archive.extractfile(member)
            if extracted is None:  # pragma: no cover - isfile() members always extract
                break
            return extracted  # type: ignore[return-value]
    shown = ", ".join(found) or "no files"
    raise InputError(f"{what} holds no .tsv file (found: {shown}); pack the MQM .tsv file.")


def _columns(header: list[str], what: str) -> list[str]:
    names = [cell.strip() for cell in header if not cell.strip().startswith("#")]
    columns = [_COLUMN_NAMES.get(name.lower(), name) for name in names]
    missing = [name for name in _REQUIRED if name not in columns]
    if missing:
        shown = ", ".join(repr(n) for n in names) or "none"
        raise InputError(
            f"{what} is not an MQM file: its header (found: {shown}) lacks "
            f"{', '.join(missing)}; expected 'system doc doc_id seg_id rater source target "
            "category severity comment' (or the side-by-side 'docSegId globalSegId … "
            "metadata')."
        )
    return columns



def _parsed(row: list[str], index: dict[str, int], docs: dict[str, int], line: int,
            what: str) -> tuple:
    """One row as the spool keeps it (see ``_SCHEMA``); numbers a new document."""
    system, doc, seg_key = row[index["system"]], row[index["doc"]], row[index["doc_seg"]]
    if not system or not doc or not seg_key:
        raise InputError(f"{what}, line {line}: system, doc and segment id must not be empty.")
    doc_number = docs.get(doc)
    if doc_number is None:
        doc_number = docs[doc] = len(docs)
    global_id = row[index["global_seg"]] if "global_seg" in index else ""
    source, s_start, s_end = unmark(row[index["source"]])
    target, t_start, t_end = unmark(row[index["target"]])
    comment = row[index["comment"]] if "comment" in index and len(row) > index["comment"] else ""
    starts_paragraph = None
    if "metadata" in index and len(row) > index["metadata"]:
        metadata = row[index["metadata"]]
        if '"segment":{' in metadata:
            starts_paragraph = '"starts_paragraph":true' in metadata
        if not comment and '"note":' in metadata:
            comment = _metadata_note(metadata)
    start: int | None
    if s_start is not None:
        in_source, start, end = True, s_start, s_end
    else:
        in_source, start, end = False, t_start, t_end
    problem = span_problem(start, end, len(source if in_source else target))
    if problem:
        raise InputError(f"{what}, line {line}: the <v>...</v> markers of the "
                         f"{'source' if in_source else 'target'} are out of order ({problem}); "
                         "put <v> before </v> around the error's words.")
    return (doc_number, seg_key, global_id, starts_paragraph, system,
            row[index["rater"]], row[index["category"]], row[index["severity"]], comment,
            in_source, start, end, source, target)


def _order_key(key: str) -> str:
    """Text that sorts segment ids by number, ids that are not numbers as 2**62 (after any
    real id); the segment's first row breaks ties (``01`` and ``1``, ids that are not numbers).

    The number with its length in front, so that the spool's text order is numeric order.
    """
    number = 1 << 62
    if key.isdigit():
        try:
            number = int(key)
        except ValueError:  # digits int() does not read ("²"), or thousands of them
            pass
    digits = str(number)
    return f"{len(digits):05d}{digits}"


def _metadata_note(metadata: str) -> str:
    try:
        note = jsonsafe.loads(metadata).get("note", "")
    except (json.JSONDecodeError, jsonsafe.JsonTooDeep, AttributeError):
        return ""
    return note if isinstance(note, str) else ""



def _languages(options: ReadOptions, name: str, titles: list[str], db: sqlite3.Connection
               ) -> tuple[str, str]:
    guessed = _languages_from_name(name) or _languages_from_name(titles[0])
    source = options.source_lang or (guessed[0] if guessed else "")
    target = options.target_lang or (guessed[1] if guessed else "")
    if not source or not target:
        # The first 20 segments of the first document, in order of first appearance.
        sample = [texts(db.execute(_SEGMENT_ROWS, (0, key)).fetchall())
                  for (key,) in db.execute(_SAMPLE).fetchall()]
        source = source or _script_language(" ".join(most_common(s) for s, _ in sample))
        target = target or _script_language(" ".join(
            most_common(counts) for _, t in sample for counts in t.values()
        )) or "en"
    return source, target

def _languages_from_name(name: str) -> tuple[str, str] | None:
    """``ende`` / ``zh-en`` / ``zh_en`` in a file or document name -> ("en", "de").

    Four letters without a separator count only when one side is English, so that words
    such as "data" are not read as language pairs.
    """
    for match in _PAIR.finditer(name.lower()):
        src, sep, tgt = match.groups()
        if src != tgt and src in _LANGS and tgt in _LANGS and (sep or "en" in (src, tgt)):
            return src, tgt
    return None


def _script_language(text: str) -> str:
    for code, pattern in _SCRIPTS:
        if len(pattern.findall(text)) >= 3:
            return code
    return ""
