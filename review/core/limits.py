"""How long one segment may be, so that every accepted input is bounded in memory and time.

Metrics and checks work per segment, and some of them grow faster than linearly with its
length (TER's edit distance is quadratic: a 10,000-word segment took 1.75 GB, 40,000 words
raised MemoryError). Real segments are sentences or short paragraphs: the longest in the
WMT MQM data is about 1,900 characters. A segment past these limits is refused at import
with the line (or unit) that holds it, before anything is stored.
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_SEGMENT_CHARS = 12_000
"""Characters in any one text of a segment (source, MT, correction, candidate)."""

MAX_SEGMENT_WORDS = 2_400
"""Whitespace-separated words in any one text of a segment."""

MAX_LINE_CHARS = 200_000
"""Characters on one line of free text, checked before sentence splitting starts."""

MAX_IMPORT_SEGMENTS = 1_000_000
"""Segments one import may hold. Imports stream into the store in batches, so memory does
not grow with this; it bounds the time one import takes and what one article asks of the
pages (a translation memory of a million units is the largest case we measure)."""

MAX_IMPORT_CHARS = 250_000_000
"""Characters of text (all texts of all segments) one import may hold: a million units
of 100-character source and target sentences with room to spare."""


def check_import_size(segments: int, chars: int, what: str) -> None:
    """Refuse an import past ``MAX_IMPORT_SEGMENTS`` segments or ``MAX_IMPORT_CHARS``."""
    from review.core.errors import InputError

    if segments > MAX_IMPORT_SEGMENTS:
        raise InputError(f"{what} holds more than {MAX_IMPORT_SEGMENTS:,} segments; split it "
                         "into several files and import them one at a time.")
    if chars > MAX_IMPORT_CHARS:
        raise InputError(f"{what} holds more than {MAX_IMPORT_CHARS:,} characters of text; "
                         "split it into several files and import them one at a time.")


def too_long(text: str | None) -> str | None:
    """Why ``text`` is too long for one segment, or ``None`` when it fits."""
    if not text:
        return None
    if len(text) > MAX_SEGMENT_CHARS:
        return (f"a segment of {len(text):,} characters is longer than the "
                f"{MAX_SEGMENT_CHARS:,}-character limit")
    if len(text) > 2 * MAX_SEGMENT_WORDS:  # fewer characters cannot hold more words
        words = len(text.split())
        if words > MAX_SEGMENT_WORDS:
            return (f"a segment of {words:,} words is longer than the "
                    f"{MAX_SEGMENT_WORDS:,}-word limit")
    return None


def first_too_long(texts: Iterable[str | None]) -> str | None:
    """The reason for the first over-long text among ``texts``."""
    for text in texts:
        reason = too_long(text)
        if reason:
            return reason
    return None


ADVICE = "split it (at sentence ends, for example) and import the file again"


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of ``text`` where ``fragment`` starts (1 when not found)."""
    index = text.find(fragment[:200]) if fragment else -1
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def long_line(text: str) -> int | None:
    """The 1-based number of the first line longer than ``MAX_LINE_CHARS``."""
    start = 0
    number = 1
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > MAX_LINE_CHARS:
            return number
        start, number = end + 1, number + 1
    return None


MAX_IMPORT_ARTICLES = 10_000
"""Articles one import may create. Each article costs a row, a language guess, its QA
checks and a line in the report, so this bounds an import's time (memory stays flat in it:
nothing is kept per article but its header and counts); a file of more articles is refused
when its 10,001st article begins."""

MAX_META_VALUE_CHARS = 4_000
"""Characters of one metadata value kept with a segment: an unknown CSV column's cell, an
unknown JSONL key's value, a tag attribute, a note, a flag's note. A longer value is
dropped (the segment is imported without it) and the import report says how many were."""

MAX_SEGMENT_META_CHARS = 16_000
"""Characters of all the metadata of one segment together (its values as stored, in JSON);
past it, values are dropped from the last one back until the rest fits."""

MAX_ARTICLE_META_CHARS = 64_000
"""Characters of an article's own metadata (a file header's attributes and properties)."""


def check_article_count(articles: int, what: str) -> None:
    from review.core.errors import InputError

    if articles > MAX_IMPORT_ARTICLES:
        raise InputError(f"{what} holds more than {MAX_IMPORT_ARTICLES:,} articles; split it "
                         "into several files and import them one at a time.")


def stored_size(value: object) -> int:
    """Characters ``value`` takes when stored (its JSON text; plain text by its length)."""
    import json

    if isinstance(value, str):
        return len(value) + 2
    if value is None or isinstance(value, (bool, int, float)):
        return 8
    return len(json.dumps(value, ensure_ascii=False, default=str))


def bound_meta(meta: dict, total_limit: int, value_limit: int = MAX_META_VALUE_CHARS
               ) -> tuple[dict, list[str], int]:
    """``meta`` with values past ``value_limit`` dropped (one level of nesting looked into:
    ``{"columns": {...}}``), then later values dropped until the rest fits ``total_limit``.
    Returns the kept metadata, the dropped keys (``columns.extra``) and its stored size."""
    kept: dict = {}
    dropped: list[str] = []
    sizes: list[tuple[str, str | None, int]] = []
    for key, value in meta.items():
        if isinstance(value, dict):
            inner = {}
            for sub, item in value.items():
                size = stored_size(sub) + stored_size(item)
                if size > value_limit:
                    dropped.append(f"{key}.{sub}")
                else:
                    inner[sub] = item
                    sizes.append((key, sub, size))
            if inner or not value:
                kept[key] = inner
        else:
            size = stored_size(key) + stored_size(value)
            if size > value_limit:
                dropped.append(str(key))
            else:
                kept[key] = value
                sizes.append((key, None, size))
    total = sum(size for *_, size in sizes)
    while total > total_limit and sizes:
        key, sub, size = sizes.pop()
        total -= size
        if sub is None:
            kept.pop(key, None)
            dropped.append(str(key))
        else:
            kept[key].pop(sub, None)
            dropped.append(f"{key}.{sub}")
            if not kept[key]:
                kept.pop(key)
    return kept, dropped, total

MAX_FLAGS_SHOWN = 200
"""Flags of one segment that the Review page and a segment's detail carry (reviewers'
decisions first, then by age); the segment's flag counts stay exact. A segment with
100,000 flags (an import, a script) otherwise took half a minute to open, most of it per
flag; exports still write every flag."""
