"""Reading a file stream within bounds: a byte limit enforced while reading, the
encoding detected from the head, undecodable bytes reported by line. Every reader of every
format goes through here, so no import can exhaust memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from typing import BinaryIO, TextIO

from review.core.errors import InputError
from review.formats.base import MAX_TABLE_IMPORT_BYTES
from review.formats.encoding import check_size, decode_text, detect_encoding

MAX_FIELD_CHARS = 1 << 20
"""Characters one CSV/TSV cell may hold (``csv.field_size_limit``): far above any segment's
texts (``review.core.limits``) or its flags, and what an unclosed quote runs into long before the
end of a large file, so one cell never holds the rest of the file in memory."""

MAX_RECORD_CHARS = 4 * MAX_FIELD_CHARS
"""Characters one line of a line-per-record file (JSONL) may hold."""

csv.field_size_limit(MAX_FIELD_CHARS)

HEAD_BYTES = 64 * 1024
"""Bytes read ahead to detect a file's encoding; the rest is decoded as it streams."""

_UNDECODABLE = re.compile("[\udc80-\udcff]")


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

    def readinto(self, buffer) -> int:
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


def open_text(stream: BinaryIO, encoding: str | None = None, *, what: str = "The file",
              limit: int = MAX_TABLE_IMPORT_BYTES) -> TextIO:
    """A text stream over ``stream`` that decodes it in chunks: memory stays bounded.

    The encoding is ``encoding`` when given, else detected from the first ``HEAD_BYTES``
    (a byte-order mark, UTF-8, then the rules of ``decode_text``: UTF-16 without a mark,
    GB18030 and the other East Asian code pages, the single-byte ones); the whole file is
    then decoded incrementally in that encoding, its text verbatim (a carriage return inside
    a quoted CSV cell survives). Bytes that do not decode are kept as escape characters:
    readers check each row with ``has_undecodable`` to name the line. Newlines are left as
    they are (``newline=""``), as the csv module wants. Past ``limit`` bytes, reading
    raises ``InputError``.
    """
    head = _read_head(stream)
    check_size(len(head), limit, what)
    final = len(head) < HEAD_BYTES
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
        sample = decoder.decode(head, final=final)
    except UnicodeDecodeError:
        sample = None
    if sample is not None and "\x00" not in sample:
        decode_text(sample.encode("utf-8"), "utf-8", what=what)  # refuses binary-looking data
        return _wrap(stream, head, "utf-8", limit, what)
    return _wrap(stream, head, detect_encoding(head, final=final, what=what), limit, what)


def _read_head(stream: BinaryIO) -> bytes:
    """Up to ``HEAD_BYTES`` from the start of ``stream`` (a raw stream may return less)."""
    head = stream.read(HEAD_BYTES)
    while 0 < len(head) < HEAD_BYTES:
        more = stream.read(HEAD_BYTES - len(head))
        if not more:
            break
        head += more
    return head


def _wrap(stream: BinaryIO, head: bytes, encoding: str, limit: int, what: str) -> TextIO:
    raw = io.BufferedReader(_LimitedReader(stream, head, limit, what), buffer_size=HEAD_BYTES)
    return io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="")


def read_record(text: TextIO, line: int, what: str) -> str:
    """The next line of ``text`` (``""`` at the end), refusing one past ``MAX_RECORD_CHARS``
    characters before it is all in memory."""
    raw = text.readline(MAX_RECORD_CHARS + 2)  # room for the line break, "\r\n" too
    if len(raw.rstrip("\r\n")) > MAX_RECORD_CHARS:
        raise InputError(
            f"{what}, line {line}: the line is longer than {MAX_RECORD_CHARS:,} characters; "
            "each line holds one record, so check that every record ends with a line break."
        )
    return raw


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
