"""The XLIFF format objects the FORMATS registry holds: read either version, write
one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from review.formats.base import (
    DocArticle,
    ReadOptions,
    SegmentStream,
    WriteOptions,
    collect,
)
from review.formats.filenames import stream_title
from review.formats.xliff.reader import stream_xliff
from review.formats.xliff.writer import _indent, _write12, _write20


class XliffFormat:
    """XLIFF, reading 1.x and 2.0, writing ``version``."""

    extensions: tuple[str, ...] = (".xlf", ".xliff")
    can_read = True
    can_write = True
    mime = "application/xliff+xml"

    def __init__(self, name: str, version: str, description: str) -> None:
        self.name = name
        self.label = f"XLIFF {version}"
        self.description = description
        self.version = version

    def stream(self, stream: BinaryIO, options: ReadOptions) -> SegmentStream:
        """The segments one by one, each as soon as its unit ends (see ``reader``)."""
        what = options.origin or "The XLIFF file"
        return stream_xliff(stream, options, what, options.title or stream_title(stream))

    def read(self, stream: BinaryIO, options: ReadOptions) -> Iterator[DocArticle]:
        """The whole file, one article per ``<file>`` that holds units (small files, tests);
        ids must be unique within a file."""
        yield from collect(self.stream(stream, options))

    def write(self, articles: list[DocArticle], stream: BinaryIO, options: WriteOptions) -> None:
        root = _write12(articles, options) if self.version == "1.2" else _write20(articles,
                                                                                    options)
        _indent(root)
        stream.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
        stream.write(b"\n")


XLIFF12_FORMAT = XliffFormat("xliff", "1.2", "bilingual file for CAT tools, flags as notes")
XLIFF20_FORMAT = XliffFormat("xliff2", "2.0", "bilingual file, flags as notes")
FORMAT = XLIFF12_FORMAT
