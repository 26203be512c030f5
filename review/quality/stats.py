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


_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
         2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
         2.060, 2.056, 2.052, 2.048, 2.045, 2.042)
"""Student's t at 97.5% for 1-30 degrees of freedom (no scipy needed for a handful)."""


@dataclass(frozen=True)
class MeanInterval:
    mean: float
    count: int
    low: float
    high: float


def mean_interval(scores: list[float], bounds: tuple[float, float] = (0.0, 100.0)
                  ) -> MeanInterval:
    """The mean of ``scores`` with a 95% t interval, kept within ``bounds``: a few ESA scores
    give a wide interval, not a falsely precise one (one score: the whole range)."""
    n = len(scores)
    if n == 0:
        raise InputError("no scores to average")
    mean = sum(scores) / n
    if n == 1:
        return MeanInterval(mean, 1, bounds[0], bounds[1])
    sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / (n - 1))
    t = _T975[n - 2] if n - 1 <= len(_T975) else 1.959964
    half = t * sd / math.sqrt(n)
    return MeanInterval(mean, n, max(bounds[0], mean - half), min(bounds[1], mean + half))
