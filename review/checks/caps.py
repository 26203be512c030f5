"""Caps on automatic suggestions, per check and per segment.

"Doubled words" once made 1,572,864 suggestions on one line (80 s, 3.2 GB, a 174 MB XLIFF
export). Nobody reads more than a handful of suggestions of one kind on one segment, so
each check keeps its first ``PER_CHECK`` (in text order) and a segment its first
``PER_SEGMENT``; what was left out is counted, not stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import TypeVar

PER_CHECK = 10
"""Suggestions one check may make on one segment."""

PER_SEGMENT = 30
"""Suggestions all checks together may make on one segment."""

S = TypeVar("S")


def first(suggestions: Iterable[S], limit: int = PER_CHECK) -> list[S]:
    """At most ``limit`` suggestions, without producing the rest when they come lazily."""
    return list(islice(suggestions, limit))


def cap_segment(suggestions: Sequence[S], limit: int = PER_SEGMENT) -> list[S]:
    """The first ``limit`` suggestions of a segment (they arrive in text order)."""
    return list(suggestions[:limit])
