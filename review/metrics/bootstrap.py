"""Paired bootstrap resampling between two systems, from summed sufficient statistics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from review.core.errors import InputError
from review.metrics.registry import get_metric


@dataclass(frozen=True)
class BootstrapResult:
    """Paired bootstrap of system B against system A on the same segments.

    ``delta`` is ``b_score - a_score``; ``ci_low``/``ci_high`` bound the 95% interval of that
    delta over the resamples; ``p_value`` is sacrebleu's paired-bootstrap p-value (the chance
    of a difference this large if both systems were equally good).
    """

    a_score: float
    b_score: float
    delta: float
    p_value: float
    ci_low: float
    ci_high: float
    n: int


def paired_bootstrap(
    sys_a: Sequence[str],
    sys_b: Sequence[str],
    refs: Sequence[str],
    lang: str,
    metric: str = "chrf",
    n_samples: int = 1000,
    seed: int = 12345,
) -> BootstrapResult:
    """Paired bootstrap resampling (Koehn 2004) as sacrebleu's ``PairedTest`` does it.

    Segments are drawn with replacement (the same draws for both systems, the same draws as
    sacrebleu for the same seed), corpus scores are recomputed from summed sufficient
    statistics, and the p-value counts resampled differences beyond the observed one.
    """
    if not (len(sys_a) == len(sys_b) == len(refs)):
        raise InputError("Both systems need one translation per reference segment.")
    if not refs:
        raise InputError("Nothing to compare: there are no segments.")
    if n_samples < 1:
        raise InputError("n_samples must be at least 1.")
    m = get_metric(metric)
    st_a = np.asarray(m.stats(sys_a, refs, lang), dtype=np.float64)
    st_b = np.asarray(m.stats(sys_b, refs, lang), dtype=np.float64)
    a_score = m.from_totals(st_a.sum(0), lang)
    b_score = m.from_totals(st_b.sum(0), lang)
    n = len(refs)
    idxs = np.random.default_rng(seed).choice(n, size=(n_samples, n), replace=True)
    scores_a = np.empty(n_samples)
    scores_b = np.empty(n_samples)
    chunk = max(1, 2_000_000 // n)
    for lo in range(0, n_samples, chunk):
        part = idxs[lo:lo + chunk]
        rows = part.shape[0]
        flat = (part + (np.arange(rows) * n)[:, None]).ravel()
        counts = np.bincount(flat, minlength=rows * n).reshape(rows, n).astype(np.float64)
        tot_a, tot_b = counts @ st_a, counts @ st_b
        for i in range(rows):
            scores_a[lo + i] = m.from_totals(tot_a[i], lang)
            scores_b[lo + i] = m.from_totals(tot_b[i], lang)
    diffs = scores_b - scores_a
    sample = np.abs(diffs)
    centred = sample - sample.mean()
    observed = abs(b_score - a_score)
    p_value = (float(np.sum(centred > observed)) + 1.0) / (n_samples + 1.0)
    low, high = np.percentile(diffs, [2.5, 97.5])
    return BootstrapResult(a_score, b_score, b_score - a_score, p_value,
                           float(low), float(high), n)
