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

from review.errors import InputError
from review.formats.base import MAX_TABLE_IMPORT_BYTES
from review.formats.encoding import check_size, decode_text

csv.field_size_limit(MAX_TABLE_IMPORT_BYTES)


_HEAD_BYTES = 64 * 1024

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
