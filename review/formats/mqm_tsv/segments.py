"""Building segments from spooled MQM rows (pass 2 of the MQM TSV reader): every system's
text a candidate, every row a flag on the text it marks, the text most raters saw kept."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter

from review.formats.base import WARNINGS_KEY, DocArticle, DocFlag, DocSegment, SegmentStream

# Positions in a spooled row (the reader's _SEGMENTS / _SEGMENT_ROWS queries).
(DOC, SEG, _GLOBAL_ID, _PARA, _SYSTEM, _RATER, _CATEGORY, _SEVERITY, _COMMENT, _IN_SOURCE,
 _START, _END, _SOURCE, _TARGET) = range(14)


def header(title: str, mt_system: str, source_lang: str, target_lang: str, origin: str,
            warnings: list[str]) -> DocArticle:
    article = DocArticle(title=title, source_lang=source_lang, target_lang=target_lang,
                         origin=origin, mt_system=mt_system)
    if warnings:
        article.meta[WARNINGS_KEY] = warnings
    return article


def pairs(rows: Iterable[tuple], headers: Iterator[DocArticle], mt_system: str,
           references: list[str]) -> SegmentStream:
    """Pass 2: the spooled rows, grouped by segment in order, as (article, segment) pairs."""
    article: DocArticle | None = None
    current = -1
    position = paragraph = 0
    for (doc, key), group in groupby(rows, key=itemgetter(DOC, SEG)):
        if doc != current or article is None:  # documents come in order: 0, 1, 2...
            article, current = next(headers), doc
            position = paragraph = 0
        seg_rows = list(group)
        if position and next((r[_PARA] for r in seg_rows if r[_PARA] is not None), None):
            paragraph += 1
        yield article, segment(key, seg_rows, mt_system, references, position, paragraph)
        position += 1


def segment(key: str, rows: list[tuple], mt_system: str, references: list[str],
             position: int, paragraph: int) -> DocSegment:
    sources, targets = texts(rows)
    source = most_common(sources)
    candidates = {system: most_common(counts) for system, counts in targets.items()}
    reference = next((candidates[r] for r in references if r in candidates), None)
    flags = [_flag(row, source if row[_IN_SOURCE] else candidates[row[_SYSTEM]])
             for row in rows]
    global_id = rows[0][_GLOBAL_ID]
    return DocSegment(
        mt=candidates.get(mt_system, ""), source=source, paragraph=paragraph,
        reference=reference, candidates=candidates, flags=flags, external_id=key,
        position=position, meta={"global_seg_id": global_id} if global_id else {},
    )


def texts(rows: list[tuple]) -> tuple[Counter, dict[str, Counter]]:
    """How often each source text, and each system's target text, was seen, in file order."""
    sources: Counter = Counter()
    targets: dict[str, Counter] = {}
    for row in rows:
        sources[row[_SOURCE]] += 1
        counts = targets.get(row[_SYSTEM])
        if counts is None:
            counts = targets[row[_SYSTEM]] = Counter()
        counts[row[_TARGET]] += 1
    return sources, targets

def most_common(counts: Counter) -> str:
    """The text most raters saw; ties go to the first seen (Counter keeps insertion order)."""
    return max(counts, key=counts.__getitem__)



def _flag(row: tuple, canonical: str) -> DocFlag:
    start, end = row[_START], row[_END]
    text = row[_SOURCE] if row[_IN_SOURCE] else row[_TARGET]
    if start is not None and text != canonical:
        start, end = _move_span(text, canonical, start, end or start)
    return DocFlag(category=row[_CATEGORY], severity=row[_SEVERITY], start=start, end=end,
                   note=row[_COMMENT], author=row[_RATER], target=row[_SYSTEM],
                   origin="import", span_in="source" if row[_IN_SOURCE] else "target")

def _move_span(text: str, canonical: str, start: int, end: int) -> tuple[int, int]:
    """Carry a span from a rater's variant of a text onto the common one.

    The variants seen in WMT data differ by leading or trailing whitespace only, so the span
    shifts by the difference in leading whitespace and is clipped to the text.
    """
    shift = (len(canonical) - len(canonical.lstrip())) - (len(text) - len(text.lstrip()))
    start = min(max(start + shift, 0), len(canonical))
    end = min(max(end + shift, start), len(canonical))
    return start, end
