"""The statistics the views share (bootstrap intervals, paired bootstrap, Kendall's
tau, Krippendorff's alpha), vectorised and free of the dashboard's data shapes so they can be
tested against textbook values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

BOOTSTRAP_SAMPLES = 1000


def bootstrap_mean_ci(values: np.ndarray, n_samples: int = BOOTSTRAP_SAMPLES,
                      seed: int = 7, level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean, resampling segments with replacement."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    if n == 0:
        return math.nan, math.nan
    means = _resampled_means(values[None, :], n_samples, seed)[0]
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(means, [tail, 100.0 - tail])
    return float(low), float(high)


def _resampled_means(values: np.ndarray, n_samples: int, seed: int) -> np.ndarray:
    """Means of ``n_samples`` paired resamples of the columns of ``values`` (rows: series):
    the same drawn segments for every series.

    MQM scores take few distinct values, so a resample is drawn as how often each distinct
    column comes up (a multinomial draw: the same distribution as drawing segments one by one,
    at a cost that does not grow with the number of segments). Otherwise segments are drawn
    by index, in chunks so memory stays bounded.
    """
    n = values.shape[1]
    rng = np.random.default_rng(seed)
    distinct, inverse = np.unique(values.T, axis=0, return_inverse=True)
    if len(distinct) * 4 <= n:
        probs = np.bincount(inverse.ravel(), minlength=len(distinct)) / n
        counts = rng.multinomial(n, probs, size=n_samples).astype(float)
        return (distinct.T @ counts.T) / n
    out = np.empty((values.shape[0], n_samples))
    chunk = max(1, 2_000_000 // max(n, 1))
    for lo in range(0, n_samples, chunk):
        rows = min(chunk, n_samples - lo)
        idx = rng.integers(0, n, size=(rows, n))
        out[:, lo:lo + rows] = values[:, idx].mean(axis=2)
    return out


@dataclass(frozen=True)
class MeanComparison:
    """Paired bootstrap of two systems' mean MQM over the segments both were rated on."""

    a_score: float
    b_score: float
    delta: float  # b - a (negative: b has fewer error points)
    p_value: float
    ci_low: float
    ci_high: float
    n: int


def paired_bootstrap_means(a: np.ndarray, b: np.ndarray, n_samples: int = BOOTSTRAP_SAMPLES,
                           seed: int = 12345) -> MeanComparison:
    """Koehn-style paired bootstrap on per-segment scores (the same draws for both systems).

    The p-value counts centred resampled differences at least as large as the observed one
    (sacrebleu's recipe with ``>=``: MQM scores are discrete, and identical systems must come
    out at p = 1, not at the smallest possible value)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = len(a)
    if n == 0:
        return MeanComparison(math.nan, math.nan, math.nan, math.nan, math.nan, math.nan, 0)
    means = _resampled_means(np.vstack([a, b]), n_samples, seed)
    diffs = means[1] - means[0]
    observed = float(b.mean() - a.mean())
    centred = np.abs(diffs) - np.abs(diffs).mean()
    p_value = (float(np.sum(centred >= abs(observed))) + 1.0) / (n_samples + 1.0)
    low, high = np.percentile(diffs, [2.5, 97.5])
    return MeanComparison(float(a.mean()), float(b.mean()), observed, p_value, float(low),
                          float(high), n)


def kendall_tau(x: np.ndarray | list, y: np.ndarray | list) -> float:
    """Kendall's tau-b (ties corrected), NaN when either side is constant or too short.

    Scores with few distinct values (MQM sums) go through a contingency table, O(k²); others
    fall back to chunked pairwise comparison.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(x)
    if n < 2 or len(y) != n:
        return math.nan
    xv, xi = np.unique(x, return_inverse=True)
    yv, yi = np.unique(y, return_inverse=True)
    kx, ky = len(xv), len(yv)
    if kx * ky <= 4_000_000:
        table = np.bincount(xi * ky + yi, minlength=kx * ky).reshape(kx, ky).astype(float)
        # above[i, j]: pairs with larger x and larger y; below: larger x and smaller y
        suffix = table[::-1].cumsum(0)[::-1]  # rows >= i
        after = np.zeros_like(table)
        after[:-1] = suffix[1:]  # rows > i
        right = after[:, ::-1].cumsum(1)[:, ::-1]  # columns >= j
        above = np.zeros_like(table)
        above[:, :-1] = right[:, 1:]
        left = after.cumsum(1)
        below = np.zeros_like(table)
        below[:, 1:] = left[:, :-1]
        s = float((table * above).sum() - (table * below).sum())
    else:
        s = 0.0
        chunk = max(1, 2_000_000 // n)
        for lo in range(0, n, chunk):
            dx = np.sign(x[lo:lo + chunk, None] - x[None, :])
            dy = np.sign(y[lo:lo + chunk, None] - y[None, :])
            s += float((dx * dy).sum())
        s /= 2.0
    n0 = n * (n - 1) / 2.0
    tx = np.bincount(xi).astype(float)
    ty = np.bincount(yi).astype(float)
    n1 = float((tx * (tx - 1) / 2.0).sum())
    n2 = float((ty * (ty - 1) / 2.0).sum())
    denom = math.sqrt((n0 - n1) * (n0 - n2))
    return s / denom if denom > 0 else math.nan


def krippendorff_alpha_interval(data: pd.DataFrame | np.ndarray) -> float:
    """Krippendorff's alpha with the interval metric.

    ``data``: a raters × units matrix with NaN for missing ratings, or a long DataFrame with
    columns unit, rater, value. Units with fewer than two ratings are not pairable and drop
    out, as in Krippendorff (2011). alpha = 1 - D_o / D_e, with the squared differences summed
    in closed form per unit. NaN when there is no variation to measure.
    """
    if isinstance(data, pd.DataFrame):
        long = data.dropna(subset=["value"])
        units = long.groupby("unit")["value"]
        m = units.transform("size").to_numpy(dtype=float)
        values = long["value"].to_numpy(dtype=float)
        codes = long["unit"].astype("category").cat.codes.to_numpy()
    else:
        matrix = np.asarray(data, dtype=float)
        present = ~np.isnan(matrix)
        codes = np.nonzero(present)[1]
        values = matrix[present]
        m = np.bincount(codes, minlength=matrix.shape[1])[codes].astype(float)
    pairable = m >= 2
    values, codes, m = values[pairable], codes[pairable], m[pairable]
    n = len(values)
    if n < 2:
        return math.nan
    size = int(codes.max()) + 1
    s1 = np.bincount(codes, weights=values, minlength=size)
    s2 = np.bincount(codes, weights=values * values, minlength=size)
    mu = np.bincount(codes, minlength=size).astype(float)
    used = mu >= 2
    # sum over ordered pairs i != j in a unit of (v_i - v_j)^2 = 2 (m S2 - S1^2)
    within = 2.0 * (mu[used] * s2[used] - s1[used] ** 2) / (mu[used] - 1.0)
    d_o = within.sum() / n
    d_e = 2.0 * (n * (values ** 2).sum() - values.sum() ** 2) / (n * (n - 1.0))
    if d_e <= 0:
        return math.nan
    return float(1.0 - d_o / d_e)
