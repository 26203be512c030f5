"""The ``<v>…</v>`` span markers, the plain variant's columns and which systems are
human references: what reading and writing share.
"""

from __future__ import annotations

import re

PLAIN_COLUMNS = ("system", "doc", "doc_id", "seg_id", "rater", "source", "target", "category",
                 "severity", "comment")

_REFERENCE = re.compile(r"^ref(?:[-._ ]?[A-Z0-9])?$", re.IGNORECASE)
_SPAN_OPEN, _SPAN_CLOSE = "<v>", "</v>"

_BREAKS = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def is_reference(system: str) -> bool:
    """Whether ``system`` names a human reference (``ref``, ``refA``, ``ref.A``, ``ref-B``)."""
    return bool(_REFERENCE.match(system))


def unmark(text: str) -> tuple[str, int | None, int | None]:
    """``text`` without ``<v>``/``</v>`` and the span they marked (``None`` if unmarked)."""
    start = text.find(_SPAN_OPEN)
    if start < 0:
        if _SPAN_CLOSE in text:
            return text.replace(_SPAN_CLOSE, ""), None, None
        return text, None, None
    plain = text.replace(_SPAN_OPEN, "", 1)
    end = plain.find(_SPAN_CLOSE, start)
    if end < 0:
        end = len(plain)
    plain = plain.replace(_SPAN_OPEN, "").replace(_SPAN_CLOSE, "")
    return plain, start, min(end, len(plain))


def mark(text: str, start: int | None, end: int | None) -> str:
    """``text`` with ``<v>…</v>`` around ``[start, end)`` when that is a span inside it."""
    if start is None or end is None or not 0 <= start <= end <= len(text):
        return text
    return f"{text[:start]}{_SPAN_OPEN}{text[start:end]}{_SPAN_CLOSE}{text[end:]}"
