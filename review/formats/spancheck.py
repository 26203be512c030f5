"""Flag spans that fit their text: ``0 <= start <= end <= len(text)``, both or neither.

A span outside its text (start -5, end 100000, start after end) used to be stored as
given, exported as given and shown with nothing highlighted; every way a flag comes in
(a file's flags, MQM span markers, a reviewer's flag) is checked with this one rule, and a
bad span is refused with one line.
"""

from __future__ import annotations

from review.formats.base import DocFlag, DocSegment


def span_problem(start: int | None, end: int | None, length: int) -> str | None:
    """Why ``start``-``end`` is not a span of a text of ``length`` characters, or None."""
    if start is None and end is None:
        return None
    if start is None or end is None:
        return (f"the span gives only its {'end' if start is None else 'start'} "
                f"({end if start is None else start}); give both start and end, or neither")
    if not 0 <= start <= end <= length:
        return (f"the span {start}-{end} does not fit the {length:,}-character text "
                f"(0 <= start <= end <= {length:,}); fix the offsets")
    return None


def flagged_text(flag: DocFlag, seg: DocSegment, mt_system: str = "") -> str | None:
    """The text a flag's offsets index, or None when the flag names no text the segment
    has (the importer refuses that flag itself)."""
    if flag.span_in == "source":
        return seg.source
    if flag.span_in == "corrected":
        return seg.corrected if seg.corrected is not None else seg.mt
    if flag.target in ("", "mt"):
        return seg.mt
    if flag.target in seg.candidates:
        return seg.candidates[flag.target]
    return seg.mt if flag.target == mt_system else None


def first_bad_span(seg: DocSegment, mt_system: str = "") -> str | None:
    """Why the first of the segment's flags with a bad span is bad (None when all fit)."""
    for number, flag in enumerate(seg.flags, start=1):
        if flag.start is None and flag.end is None:
            continue
        text = flagged_text(flag, seg, mt_system)
        problem = span_problem(flag.start, flag.end, len(text) if text is not None
                               else max(flag.start or 0, flag.end or 0))
        if problem:
            return f"flag {number} ({flag.category}): {problem}"
    return None
