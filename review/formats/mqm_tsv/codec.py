"""The ``mqm-tsv`` format object the FORMATS registry holds."""

from __future__ import annotations

import csv
import io
import tarfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from review.errors import InputError
from review.formats.base import (
    WARNINGS_KEY,
    DocArticle,
    ReadOptions,
    SegmentStream,
    WriteOptions,
    explode,
)
from review.formats.formulas import neutralise
from review.formats.mqm_tsv.labels import LabelTally
from review.formats.mqm_tsv.reader import _article, _languages, _parse, _tsv_stream
from review.formats.mqm_tsv.spans import PLAIN_COLUMNS, is_reference
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
        """The segments one by one, for the importer."""
        return explode(self.read(stream, options))

    def read(self, stream: BinaryIO, options: ReadOptions) -> Iterator[DocArticle]:
        what = options.origin or "The MQM file"
        name = str(getattr(stream, "name", "") or options.origin or "")
        tally = LabelTally()
        try:
            docs = _parse(_tsv_stream(stream, what), options.encoding, what, tally)
        except (OSError, EOFError, zlib.error, tarfile.TarError) as err:
            raise InputError(
                f"{what} could not be unpacked ({err}); check that the download is complete."
            ) from None
        tally.refuse_unknown_severities(what)
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
        for article in articles:
            if tally.warnings():
                article.meta[WARNINGS_KEY] = tally.warnings()
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
                    cells = [_clean(row[0]), _clean(article.title), str(segment.position + 1),
                             global_id, *(_clean(cell) for cell in row[1:])]
                    writer.writerow(cells if options.raw_cells else map(neutralise, cells))
            out.flush()
        finally:
            out.detach()


FORMAT = MqmTsvFormat()
