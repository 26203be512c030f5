"""JSON Lines: one JSON object per segment, the lossless format for pipelines.

Keys are the column names of the CSV format (see ``review.formats.table``): ``id``,
``source``, ``mt`` (or ``target``, ``translation``), ``corrected`` (or ``post_edit``),
``reference``, ``kind``, ``status``, ``paragraph``, ``article``, ``notes`` (list of strings),
``flags`` (list of objects with the ``DocFlag`` fields) and candidates, either as one
``"candidates": {"SYSTEM": "text"}`` object or as ``"system:NAME"`` keys. Unknown keys are
kept in ``DocSegment.meta["columns"]``. Blank lines are skipped; every other line must be a
JSON object of at most ``MAX_RECORD_CHARS`` characters. Lines are read one at a time
(``stream``), each checked as it comes; the import stores nothing unless all of them pass.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import BinaryIO

from review.formats import jsonsafe
from review.formats.base import DocArticle, ReadOptions, SegmentStream, WriteOptions, collect
from review.formats.filenames import stream_title
from review.formats.rows import (
    SYSTEM_PREFIX,
    ArticleBuilder,
    RowContext,
    check_columns,
    export_record,
    export_segments,
    field_for,
)
from review.formats.streams import has_undecodable, open_text, read_record, undecodable


class JsonlFormat:
    """The ``jsonl`` format (``.jsonl``, ``.ndjson``)."""

    name = "jsonl"
    label = "JSONL"
    description = "one JSON object per segment"
    extensions: tuple[str, ...] = (".jsonl", ".ndjson")
    can_read = True
    can_write = True
    mime = "application/x-ndjson"

    def stream(self, stream: BinaryIO, options: ReadOptions) -> SegmentStream:
        """The segments one by one as the lines are read (see ``SegmentStream``)."""
        what = options.origin or "The JSONL file"
        text = open_text(stream, options.encoding, what=what)
        builder = ArticleBuilder(options, options.title or stream_title(stream))
        line = 0
        try:
            while raw := read_record(text, line + 1, what):
                line += 1
                if not raw.strip():
                    continue
                ctx = RowContext(what, line)
                if has_undecodable((raw,)):
                    raise undecodable(line, what, getattr(text, "encoding", ""))
                try:
                    obj = jsonsafe.loads(raw.lstrip("\ufeff"))
                except jsonsafe.JsonRefused as err:
                    raise ctx.error(f"{err.reason}.") from None
                except json.JSONDecodeError as err:
                    raise ctx.error(f"not valid JSON ({err.msg}, column {err.colno}).") from None
                except jsonsafe.JsonTooDeep as err:
                    raise ctx.error(f"the JSON is {err}; flatten it.") from None
                if not isinstance(obj, dict):
                    raise ctx.error("each line must be a JSON object ({...}).")
                record = _record(obj, options.column_map, ctx)
                check_columns(record, list(obj), f"{what}, line {line}", "key")
                yield builder.add(record, ctx)
        except UnicodeDecodeError as err:
            raise undecodable(line + 1, what, err.encoding) from None
        builder.finish(what)

    def read(self, stream: BinaryIO, options: ReadOptions) -> Iterator[DocArticle]:
        """The whole file in memory: its articles with their segments."""
        yield from collect(self.stream(stream, options))

    def write(self, articles: list[DocArticle], stream: BinaryIO, options: WriteOptions) -> None:
        out = io.TextIOWrapper(stream, encoding="utf-8", newline="\n")
        try:
            for article, segment in export_segments(articles, options):
                record = export_record(article, segment)
                record["candidates"] = dict(segment.candidates)
                out.write(_one_line(json.dumps(record, ensure_ascii=False)))
                out.write("\n")
            out.flush()
        finally:
            out.detach()


def _one_line(text: str) -> str:
    """Escape the line separators JSON allows raw but line-splitting tools break on."""
    return text.translate(_LINE_BREAKS)


_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _record(obj: dict, column_map: dict[str, str], ctx: RowContext) -> dict[str, object]:
    record: dict[str, object] = {}
    extra: dict[str, object] = {}
    for key, value in obj.items():
        if key == "candidates":
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, (str, type(None))) for k, v in value.items()
            ):
                raise ctx.error("'candidates' must map system names to texts.")
            for system, text in value.items():
                record[SYSTEM_PREFIX + system] = text
            continue
        if key == "position":
            continue
        field = field_for(key, column_map)
        if field is None:
            extra[key] = value
            continue
        if field not in ("flags", "notes", "paragraph") and not isinstance(
            value, (str, type(None))
        ):
            raise ctx.error(f"'{key}' must be a string, not {type(value).__name__}.")
        record[field] = value
    if extra:
        record["__extra__"] = extra
    return record


FORMAT = JsonlFormat()
