"""The XLIFF format objects the FORMATS registry holds: read either version, write
one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from review.errors import InputError
from review.formats.base import (
    MAX_IMPORT_BYTES,
    DocArticle,
    ReadOptions,
    SegmentStream,
    WriteOptions,
    explode,
)
from review.formats.filenames import stream_title
from review.formats.streams import read_limited
from review.formats.xliff.reader import _read_file12, _read_file20, _version
from review.formats.xliff.writer import _indent, _write12, _write20
from review.formats.xmlsafe import local_name, parse_xml


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
        """The segments one by one, for the importer."""
        return explode(self.read(stream, options))

    def read(self, stream: BinaryIO, options: ReadOptions) -> Iterator[DocArticle]:
        what = options.origin or "The XLIFF file"
        root = parse_xml(read_limited(stream, MAX_IMPORT_BYTES, what), what=what, kind="XLIFF")
        version = _version(root, what)
        files = [f for f in root if local_name(f) == "file"]
        if not files:
            raise InputError(f"{what} has no <file> element; it holds nothing to import.")
        default_title = options.title or stream_title(stream)
        articles = []
        for number, file in enumerate(files, 1):
            title = file.get("original") or (default_title if len(files) == 1
                                             else f"{default_title} ({number})")
            if options.title and len(files) == 1:
                title = options.title
            if version == "1.2":
                article = _read_file12(file, title, options, what)
            else:
                article = _read_file20(file, root, title, options, what)
            article.origin = options.origin
            articles.append(article)
        if not any(a.segments for a in articles):
            raise InputError(f"{what} holds no translation units; nothing to import.")
        yield from articles

    def write(self, articles: list[DocArticle], stream: BinaryIO, options: WriteOptions) -> None:
        root = _write12(articles, options) if self.version == "1.2" else _write20(articles,
                                                                                    options)
        _indent(root)
        stream.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
        stream.write(b"\n")


XLIFF12_FORMAT = XliffFormat("xliff", "1.2", "bilingual file for CAT tools, flags as notes")
XLIFF20_FORMAT = XliffFormat("xliff2", "2.0", "bilingual file, flags as notes")
FORMAT = XLIFF12_FORMAT
