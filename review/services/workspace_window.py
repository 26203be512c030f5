"""Which rows of a long article the workspace gets whole on first load, and the lean form
of the others.

A 5,000-segment article sent whole is megabytes the browser waits for, yet only a few
dozen cards are drawn at a time. The rows near where the reviewer starts come whole; the
others carry what filtering, ordering, progress and find-and-replace need, and the browser
asks for them whole when it draws them (as it asks for suspect spans).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from review.core.vocab import FINISHED_STATUSES, RESIDUE_KINDS

AHEAD = 60
"""Rows sent whole after the starting row (a few screens; the browser asks for more as it
draws them)."""
BEHIND = 10
"""Rows sent whole before it."""
LEAN_KEYS = ("id", "position", "kind", "current", "status", "version")
"""What the list needs of a row it does not draw: filters, order, progress, the next
to-do, find-and-replace across the article."""
LEAN_FLAG_KEYS = ("id", "on", "origin", "state")
"""What the list needs of a flag it does not draw: the counts, the filter, the next
suggestion."""


def starting_index(segments: Sequence[Any], focus: int | None) -> int:
    """Where the workspace opens: the focused segment, else the first to-do body row."""
    for i, seg in enumerate(segments):
        if seg.id == focus:
            return i
    for i, seg in enumerate(segments):
        if seg.status not in FINISHED_STATUSES and seg.kind not in RESIDUE_KINDS:
            return i
    return 0


def whole_ids(segments: Sequence[Any], focus: int | None) -> set[int]:
    """The ids of the rows sent whole: a window around the starting row."""
    at = starting_index(segments, focus)
    return {seg.id for seg in segments[max(0, at - BEHIND):at + AHEAD]}


def lean(row: dict) -> dict:
    """The row without its texts beyond the correction, its other systems and its flags'
    details: ``lean`` tells the browser to ask for it whole before drawing it."""
    out = {**{k: row[k] for k in LEAN_KEYS},
           "flags": [{k: f[k] for k in LEAN_FLAG_KEYS} for f in row["flags"]],
           "suspect": None, "lean": True}
    if row["risk"] is not None:  # most rows are not ranked yet: no key, no bytes
        out["risk"] = row["risk"]
    return out
