"""Capture at a reading effort: how much of the experts' error mass a reading order finds.

A reviewer reads segments from the top of a ranking. Reading costs words, so a ranking is
judged by the share of all expert MQM points (and of all segments with a Major error) found
after reading a fixed share of the MT words (20% by default). Random order finds about that
same share; ranking long segments first does not help, unlike a rank correlation with the
segment score, which rewards length.

Ties in the ranking share credit: a tied group is read as a whole, and a group the budget
cuts through gives the share of its points equal to the share of its words read. So the
measure needs no tie-breaking rule and a constant signal scores exactly the effort.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

DEFAULT_EFFORT = 0.2


def capture(signal: Sequence[float], words: Sequence[float], gain: ArrayLike,
            effort: float = DEFAULT_EFFORT) -> float:
    """Share of ``gain`` found reading the highest ``signal`` first until ``effort`` of
    ``words`` are read (NaN when there is no gain at all)."""
    s = np.asarray(signal, dtype=float)
    w = np.asarray(words, dtype=float)
    g = np.asarray(gain, dtype=float)
    if not (len(s) == len(w) == len(g)):
        raise ValueError("capture needs one signal, word count and gain per segment")
    total_gain, total_words = float(g.sum()), float(w.sum())
    if total_gain <= 0 or total_words <= 0:
        return float("nan")
    s = np.where(np.isnan(s), -np.inf, s)
    budget = effort * total_words
    found = 0.0
    for value in sorted(set(s.tolist()), reverse=True):
        group = s == value
        group_words, group_gain = float(w[group].sum()), float(g[group].sum())
        if group_words >= budget:
            found += group_gain * (budget / group_words if group_words else 1.0)
            break
        found += group_gain
        budget -= group_words
    return found / total_gain


def capture_points(signal: Sequence[float], words: Sequence[float], points: Sequence[float],
                   effort: float = DEFAULT_EFFORT) -> float:
    """Share of expert MQM points found at ``effort``."""
    return capture(signal, words, points, effort)


def capture_major(signal: Sequence[float], words: Sequence[float], points: Sequence[float],
                  effort: float = DEFAULT_EFFORT, major: float = 5.0) -> float:
    """Share of the segments with a Major error (score >= ``major``) found at ``effort``."""
    has_major = (np.asarray(points, dtype=float) >= major).astype(float)
    return capture(signal, words, has_major, effort)


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float:
    """Kendall's tau-b (ties corrected), O(n^2) in row blocks: fine for tens of thousands."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(xs)
    if n < 2:
        return float("nan")
    score = 0.0
    for i in range(n - 1):
        score += float(np.sum(np.sign(xs[i + 1:] - xs[i]) * np.sign(ys[i + 1:] - ys[i])))
    n0 = n * (n - 1) / 2

    def ties(v: np.ndarray) -> float:
        _, counts = np.unique(v, return_counts=True)
        return float(np.sum(counts * (counts - 1) / 2))

    denom = np.sqrt((n0 - ties(xs)) * (n0 - ties(ys)))
    return score / denom if denom else float("nan")


def roc_auc(scores: Sequence[float], positive: ArrayLike) -> float:
    """Area under the ROC curve = Mann-Whitney U / (P * N), ties counted half."""
    s = np.asarray(scores, dtype=float)
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s), dtype=float)
    sorted_s = s[order]
    i = 0
    while i < len(s):  # average ranks over ties
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos = np.asarray(positive, dtype=bool)
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if not n_pos or not n_neg:
        return float("nan")
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def auc_major(signal: Sequence[float], points: Sequence[float], major: float = 5.0) -> float:
    """ROC AUC of the signal for "the segment has a Major error" (score >= ``major``)."""
    return roc_auc(signal, np.asarray(points, dtype=float) >= major)


def evaluate(signal: Sequence[float], words: Sequence[float], points: Sequence[float],
             effort: float = DEFAULT_EFFORT) -> dict[str, float]:
    """The review-priority figures of one ranking: capture of points and of Major segments
    at ``effort``, Kendall's tau-b against the segment score, and AUC(major)."""
    return {
        "capture_points": capture_points(signal, words, points, effort),
        "capture_major": capture_major(signal, words, points, effort),
        "kendall_tau_b": kendall_tau_b(signal, points),
        "auc_major": auc_major(signal, points),
    }
