"""Reading WMT / Marot MQM TSV (plain or side by side, bare or in a gzip or
tar.gz) into articles: one segment per document segment, every system a candidate, one flag
per row.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import tarfile
from collections import Counter
from dataclasses import dataclass, field
from typing import BinaryIO

from review import limits
from review.errors import InputError
from review.formats import jsonsafe
from review.formats.base import MAX_TABLE_IMPORT_BYTES, DocArticle, DocFlag, DocSegment, ReadOptions
from review.formats.formulas import restore
from review.formats.mqm_tsv.labels import LabelTally
from review.formats.mqm_tsv.spans import unmark
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


def _parse(binary: BinaryIO, encoding: str | None, what: str,
           tally: LabelTally | None = None) -> dict[str, dict[str, _Segment]]:
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
            _add_row(docs, row, index, line, what)
            if tally is not None:
                tally.add(row[index["category"]], row[index["severity"]], line)
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
        note = jsonsafe.loads(metadata).get("note", "")
    except (json.JSONDecodeError, jsonsafe.JsonTooDeep, AttributeError):
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
