"""The ``mqm-tsv`` format object the FORMATS registry holds."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from review.formats.base import DocArticle, ReadOptions, SegmentStream, WriteOptions, collect
from review.formats.formulas import neutralise
from review.formats.mqm_tsv.reader import read_segments
from review.formats.mqm_tsv.spans import PLAIN_COLUMNS
from review.formats.mqm_tsv.writer import _clean, _export_rows
from review.formats.rows import export_segments


class MqmTsvFormat:
    """The ``mqm-tsv`` format (WMT / Marot MQM annotations)."""

    name = "mqm-tsv"
    label = "MQM TSV"
    description = "the flags as WMT/Marot annotations"
    extensions: tuple[str, ...] = (".tsv", ".tar.gz", ".tgz")
    can_read = True
    can_write = True
    mime = "text/tab-separated-values"

    def stream(self, stream: BinaryIO, options: ReadOptions) -> SegmentStream:
        """The segments one by one, for the importer, in bounded memory (see :mod:`reader`)."""
        return read_segments(stream, options)

    def read(self, stream: BinaryIO, options: ReadOptions) -> Iterator[DocArticle]:
        yield from collect(self.stream(stream, options))

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
                    cells = [_clean(row[0]), _clean(article.title), str(segment.position + 1),
                             global_id, *(_clean(cell) for cell in row[1:])]
                    writer.writerow(cells if options.raw_cells else map(neutralise, cells))
            out.flush()
        finally:
            out.detach()


FORMAT = MqmTsvFormat()
