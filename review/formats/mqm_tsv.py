"""MQM annotation files as WMT publishes them and Marot opens them (``mqm-tsv``).

Two variants, told apart by the header (tab-separated, no quoting: the texts hold quotes):

- plain: ``system doc doc_id seg_id rater source target category severity [comment]``
  (WMT 2021 TED); ``doc_id`` numbers the segment inside its document, ``seg_id`` globally;
- side by side: ``system doc docSegId globalSegId rater source target category severity
  metadata`` (WMT 2023); ``metadata`` is JSON, and a header field starting with ``#`` is a
  comment, not a column.

One row is one error (or a ``No-error`` row: the rater found nothing) by one rater on one
system's translation of one segment; the error span is marked with ``<v>…</v>`` in the source
or the target. A ``.tar.gz``/``.tgz`` holding one ``.tsv`` (or a gzipped ``.tsv``) is read
directly.

Import gives one article per ``doc`` (in file order) and one segment per ``doc_id`` (ordered by
number), with every system's translation as a candidate, the primary system's (the first
non-reference system in sorted order; references are systems named ``ref``, ``refA``,
``ref.A``, ``ref-B``…) as ``mt``, the first reference as ``reference``, and one flag per row:
author = rater, target = system name, span in characters of the unmarked text.
``No-error`` rows become flags with category and severity ``No-error`` (the segment counts as
rated), and other rows keep category and severity verbatim (including WMT 2023's
``HOTW-test`` attention checks, which scoring should skip). Raters' marked texts sometimes
differ from the others' by surrounding whitespace; the most common text wins and spans are
moved onto it.

Export writes the plain variant: every open or confirmed flag (dismissed flags and unconfirmed
suggestions of automatic checks are left out) as a row, and a ``No-error`` row by the last
editor for a fixed or approved segment without flags; segments nobody rated are left out.
Tabs and line breaks in texts become spaces (one for one, so spans stay right); a literal
``<v>`` in a text would be read back as a span marker; a flag without a span reads back as
one on the target (nothing in the row says otherwise).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import tarfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from review.errors import InputError
from review.formats.base import (
    MAX_TABLE_IMPORT_BYTES,
    DocArticle,
    DocFlag,
    DocSegment,
    ReadOptions,
    WriteOptions,
)
from review.formats.rows import export_segments
from review.formats.streams import has_undecodable, limited_reader, open_text, undecodable
from review.vocab import NO_ERROR

PLAIN_COLUMNS = ("system", "doc", "doc_id", "seg_id", "rater", "source", "target", "category",
                 "severity", "comment")
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
_REFERENCE = re.compile(r"^ref(?:[-._ ]?[A-Z0-9])?$", re.IGNORECASE)
_SPAN_OPEN, _SPAN_CLOSE = "<v>", "</v>"
_PAIR = re.compile(r"(?<![a-z])([a-z]{2})([-_]?)([a-z]{2})(?![a-z])")
_BREAKS = str.maketrans({"\t": " ", "\n": " ", "\r": " "})
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


def is_reference(system: str) -> bool:
    """Whether ``system`` names a human reference (``ref``, ``refA``, ``ref.A``, ``ref-B``)."""
    return bool(_REFERENCE.match(system))


def unmark(text: str) -> tuple[str, int | None, int | None]:
    """``text`` without ``<v>``/``</v>`` and the span they marked (``None`` if unmarked)."""
    start = text.find(_SPAN_OPEN)
    if start < 0:
        if _SPAN_CLOSE in text:
            return text.replace(_SPAN_CLOSE, ""), None, None
        return text, None, None
    plain = text.replace(_SPAN_OPEN, "", 1)
    end = plain.find(_SPAN_CLOSE, start)
    if end < 0:
        end = len(plain)
    plain = plain.replace(_SPAN_OPEN, "").replace(_SPAN_CLOSE, "")
    return plain, start, min(end, len(plain))


def mark(text: str, start: int | None, end: int | None) -> str:
    """``text`` with ``<v>…</v>`` around ``[start, end)`` when that is a span inside it."""
    if start is None or end is None or not 0 <= start <= end <= len(text):
        return text
    return f"{text[:start]}{_SPAN_OPEN}{text[start:end]}{_SPAN_CLOSE}{text[end:]}"


@dataclass
class _Row:
    system: str
    rater: str
    category: str
    severity: str
    comment: str
    span_in: str
    start: int | None
    end: int | None
    text: str  # this row's unmarked text of the marked column


@dataclass
class _Segment:
    key: str
    line: int
    order: int
    global_id: str = ""
    starts_paragraph: bool | None = None
    sources: Counter = field(default_factory=Counter)
    targets: dict[str, Counter] = field(default_factory=dict)
    rows: list[_Row] = field(default_factory=list)


class MqmTsvFormat:
    """The ``mqm-tsv`` format (WMT / Marot MQM annotations)."""

    name = "mqm-tsv"
    extensions: tuple[str, ...] = (".tsv", ".tar.gz", ".tgz")
    can_read = True
    can_write = True
    mime = "text/tab-separated-values"

    def read(self, stream: BinaryIO, options: ReadOptions) -> Iterator[DocArticle]:
        what = options.origin or "The MQM file"
        name = str(getattr(stream, "name", "") or options.origin or "")
        try:
            docs = _parse(_tsv_stream(stream, what), options.encoding, what)
        except (OSError, EOFError, zlib.error, tarfile.TarError) as err:
            raise InputError(
                f"{what} could not be unpacked ({err}); check that the download is complete."
            ) from None
        systems = sorted({row.system for doc in docs.values() for seg in doc.values()
                          for row in seg.rows})
        mt_system = next((s for s in systems if not is_reference(s)), systems[0])
        references = [s for s in systems if is_reference(s)]
        source_lang, target_lang = _languages(options, name, docs)
        articles = [
            _article(title, segments, mt_system, references, source_lang, target_lang,
                     options.origin)
            for title, segments in docs.items()
        ]
        yield from articles

    def write(self, articles: list[DocArticle], stream: BinaryIO, options: WriteOptions) -> None:
        out = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        try:
            writer = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_NONE, quotechar=None,
                                escapechar=None, lineterminator="\n")
            writer.writerow(PLAIN_COLUMNS)
            counter = 0
            for article, segment in export_segments(articles, options):
                counter += 1
                global_id = str(segment.meta.get("global_seg_id") or counter)
                for row in _export_rows(article, segment):
                    writer.writerow([_clean(row[0]),
                                     _clean(article.title), str(segment.position + 1),
                                     global_id, *(_clean(cell) for cell in row[1:])])
            out.flush()
        finally:
            out.detach()


# --- reading --------------------------------------------------------------------------------

def _tsv_stream(stream: BinaryIO, what: str) -> BinaryIO:
    """The TSV bytes: ``stream`` itself, or the one ``.tsv`` inside a gzip or tar.gz."""
    buffered = limited_reader(stream, MAX_TABLE_IMPORT_BYTES, what)
    if buffered.peek(2)[:2] != b"\x1f\x8b":
        return buffered
    unzipped = limited_reader(gzip.GzipFile(fileobj=buffered, mode="rb"),
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


def _parse(binary: BinaryIO, encoding: str | None, what: str) -> dict[str, dict[str, _Segment]]:
    text = open_text(binary, encoding, what=what)
    reader = csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE, quotechar=None)
    line = 1
    try:
        header = next(reader, None)
        if not header:
            raise InputError(f"{what} is empty; nothing to import.")
        columns = _columns(header, what)
        width = len(columns)
        optional_last = columns[-1] in ("comment", "metadata")
        index = {name: i for i, name in enumerate(columns)}
        docs: dict[str, dict[str, _Segment]] = {}
        while True:
            line = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if has_undecodable(row):
                raise undecodable(line, what, getattr(text, "encoding", ""))
            if len(row) != width and not (optional_last and len(row) == width - 1):
                raise InputError(
                    f"{what}, line {line}: expected {width} tab-separated fields, found "
                    f"{len(row)}; MQM files have no quoting, so a tab inside a text breaks "
                    "the row."
                )
            _add_row(docs, row, index, line, what)
    except UnicodeDecodeError as err:
        raise undecodable(reader.line_num + 1, what, err.encoding) from None
    if not docs:
        raise InputError(f"{what} holds no annotation rows; nothing to import.")
    return docs


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


def _add_row(docs: dict[str, dict[str, _Segment]], row: list[str], index: dict[str, int],
             line: int, what: str) -> None:
    system, doc, seg_key = row[index["system"]], row[index["doc"]], row[index["doc_seg"]]
    if not system or not doc or not seg_key:
        raise InputError(f"{what}, line {line}: system, doc and segment id must not be empty.")
    segments = docs.get(doc)
    if segments is None:
        segments = docs[doc] = {}
    seg = segments.get(seg_key)
    if seg is None:
        seg = segments[seg_key] = _Segment(seg_key, line, len(segments))
        if "global_seg" in index:
            seg.global_id = row[index["global_seg"]]
    source, s_start, s_end = unmark(row[index["source"]])
    target, t_start, t_end = unmark(row[index["target"]])
    seg.sources[source] += 1
    targets = seg.targets.get(system)
    if targets is None:
        targets = seg.targets[system] = Counter()
    targets[target] += 1
    comment = row[index["comment"]] if "comment" in index and len(row) > index["comment"] else ""
    if "metadata" in index and len(row) > index["metadata"]:
        metadata = row[index["metadata"]]
        if seg.starts_paragraph is None and '"segment":{' in metadata:
            seg.starts_paragraph = '"starts_paragraph":true' in metadata
        if not comment and '"note":' in metadata:
            comment = _metadata_note(metadata)
    if s_start is not None:
        span_in, start, end, text = "source", s_start, s_end, source
    else:
        span_in, start, end, text = "target", t_start, t_end, target
    seg.rows.append(_Row(system, row[index["rater"]], row[index["category"]],
                         row[index["severity"]], comment, span_in, start, end, text))


def _metadata_note(metadata: str) -> str:
    try:
        note = json.loads(metadata).get("note", "")
    except (json.JSONDecodeError, AttributeError):
        return ""
    return note if isinstance(note, str) else ""


def _article(title: str, segments: dict[str, _Segment], mt_system: str, references: list[str],
             source_lang: str, target_lang: str, origin: str) -> DocArticle:
    article = DocArticle(title=title, source_lang=source_lang, target_lang=target_lang,
                         origin=origin, mt_system=mt_system)
    ordered = sorted(segments.values(), key=_segment_order)
    paragraph = 0
    for position, seg in enumerate(ordered):
        if seg.starts_paragraph and position:
            paragraph += 1
        source = _most_common(seg.sources)
        candidates = {system: _most_common(counts) for system, counts in seg.targets.items()}
        reference = next((candidates[r] for r in references if r in candidates), None)
        flags = [_flag(row, source if row.span_in == "source" else candidates[row.system])
                 for row in seg.rows]
        meta = {"global_seg_id": seg.global_id} if seg.global_id else {}
        article.segments.append(DocSegment(
            mt=candidates.get(mt_system, ""), source=source, paragraph=paragraph,
            reference=reference, candidates=candidates, flags=flags, external_id=seg.key,
            position=position, meta=meta,
        ))
    return article


def _segment_order(seg: _Segment) -> tuple[int, int]:
    return (int(seg.key), seg.order) if seg.key.isdigit() else (1 << 62, seg.order)


def _most_common(counts: Counter) -> str:
    """The text most raters saw; ties go to the first seen (Counter keeps insertion order)."""
    return max(counts, key=counts.__getitem__)


def _flag(row: _Row, canonical: str) -> DocFlag:
    start, end = row.start, row.end
    if start is not None and row.text != canonical:
        start, end = _move_span(row.text, canonical, start, end or start)
    return DocFlag(category=row.category, severity=row.severity, start=start, end=end,
                   note=row.comment, author=row.rater, target=row.system, origin="import",
                   span_in=row.span_in)


def _move_span(text: str, canonical: str, start: int, end: int) -> tuple[int, int]:
    """Carry a span from a rater's variant of a text onto the common one.

    The variants seen in WMT data differ by leading or trailing whitespace only, so the span
    shifts by the difference in leading whitespace and is clipped to the text.
    """
    shift = (len(canonical) - len(canonical.lstrip())) - (len(text) - len(text.lstrip()))
    start = min(max(start + shift, 0), len(canonical))
    end = min(max(end + shift, start), len(canonical))
    return start, end


def _languages(options: ReadOptions, name: str, docs: dict[str, dict[str, _Segment]]
               ) -> tuple[str, str]:
    guessed = _languages_from_name(name) or _languages_from_name(next(iter(docs), ""))
    source = options.source_lang or (guessed[0] if guessed else "")
    target = options.target_lang or (guessed[1] if guessed else "")
    if not source or not target:
        first = next(iter(docs.values()))
        sample = list(first.values())[:20]
        source = source or _script_language(" ".join(_most_common(s.sources) for s in sample))
        target = target or _script_language(" ".join(
            _most_common(counts) for s in sample for counts in s.targets.values()
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


# --- writing --------------------------------------------------------------------------------

def _export_rows(article: DocArticle, segment: DocSegment) -> Iterator[tuple[str, ...]]:
    """``(system, rater, source, target, category, severity, comment)`` per exported flag."""
    default_system = article.mt_system or "MT"
    wrote = False
    for flag in segment.flags:
        if flag.state == "dismissed" or (flag.origin == "check" and flag.state != "confirmed"):
            continue
        system = default_system if flag.target == "mt" else flag.target
        text = _system_text(article, segment, flag.target)
        source, target = segment.source, text
        if flag.span_in == "source":
            source = mark(source, flag.start, flag.end)
        elif flag.span_in == "target":
            target = mark(target, flag.start, flag.end)
        # a span in the reviewer's corrected text has no place in the MT: left unmarked
        wrote = True
        yield (system, flag.author, source, target, flag.category, flag.severity, flag.note)
    if not wrote and segment.status in ("fixed", "approved"):
        yield (default_system, segment.changed_by or "reviewer", segment.source, segment.mt,
               NO_ERROR, NO_ERROR, "")


def _system_text(article: DocArticle, segment: DocSegment, target: str) -> str:
    if target == "mt":
        return segment.mt
    if target in segment.candidates:
        return segment.candidates[target]
    return segment.mt if target == article.mt_system else ""


def _clean(text: str) -> str:
    return (text or "").translate(_BREAKS)


FORMAT = MqmTsvFormat()
