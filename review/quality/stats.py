"""Small statistics for quality control: catch rates with Wilson intervals, and effort."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from review.core.errors import InputError
from review.core.vocab import EFFORT_BOUNDS


@dataclass(frozen=True)
class Rate:
    """``hits`` of ``n`` with the Wilson score interval: honest for small ``n`` and for rates
    near 0 or 1, where the normal approximation gives intervals outside [0, 1]."""

    hits: int
    n: int
    low: float
    high: float

    @property
    def rate(self) -> float:
        return self.hits / self.n if self.n else math.nan


def wilson(hits: int, n: int, z: float = 1.959964) -> Rate:
    if n <= 0:
        return Rate(hits, 0, math.nan, math.nan)
    p = hits / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Rate(hits, n, max(0.0, centre - half), min(1.0, centre + half))


EFFORT_COLUMNS = ["reviewer", "segments", "excluded", "seconds", "words",
                  "seconds_per_segment", "words_per_hour"]


def effort(times: pd.DataFrame, bounds: tuple[float, float] = EFFORT_BOUNDS) -> pd.DataFrame:
    """Per reviewer, time per segment and words per hour from ``times`` (reviewer,
    segment_id, words, seconds: one row per reviewer and segment, time summed over saves).

    Segments read faster than ``bounds[0]`` or slower than ``bounds[1]`` seconds per word
    are left out (a skim, or a coffee break with the segment open) and counted in
    ``excluded``."""
    low, high = bounds
    if not 0 <= low < high:
        raise InputError(f"the effort bounds must satisfy 0 <= fast < slow, not {low}, {high}")
    if times.empty:
        return pd.DataFrame(columns=EFFORT_COLUMNS)
    times = times[times["seconds"] > 0].copy()
    rate = times["seconds"] / times["words"].clip(lower=1)
    times["kept"] = (rate >= low) & (rate <= high)
    rows = []
    for reviewer, group in times.groupby("reviewer", sort=True):
        kept = group[group["kept"]]
        seconds, words = float(kept["seconds"].sum()), float(kept["words"].sum())
        rows.append({"reviewer": reviewer, "segments": len(kept),
                     "excluded": int((~group["kept"]).sum()), "seconds": seconds,
                     "words": int(words),
                     "seconds_per_segment": seconds / len(kept) if len(kept) else math.nan,
                     "words_per_hour": words / seconds * 3600 if seconds else math.nan})
    return pd.DataFrame(rows, columns=EFFORT_COLUMNS)
