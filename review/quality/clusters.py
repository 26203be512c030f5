"""Significance clusters of systems, as WMT reports them: each system's rank range from a
paired bootstrap over segments, and clusters cut where the rank ranges above and below no
longer overlap. Systems are compared only on the segments they share; a system that shares
none with the others is listed apart. Systems rated on too few segments get a warning; rows
that are not MT (the reviewers' corrected text) are listed apart and never ranked."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

import numpy as np
import pandas as pd

MIN_SEGMENTS = 30
"""Under this many rated segments a system's rank is too uncertain to read much into."""
CLUSTER_COLUMNS = ["system", "mqm", "segments", "rank_low", "rank_high", "cluster", "note"]


def significance_clusters(units: pd.DataFrame, *, not_mt: AbstractSet[str] = frozenset(),
                          samples: int = 1000, seed: int = 12345,
                          min_segments: int = MIN_SEGMENTS) -> pd.DataFrame:
    """``units``: system, segment_id, score (MQM, lower is better) -> one row per system with
    its mean, segments, 95% rank range, cluster number (1 = best) and a note."""
    if units.empty:
        return pd.DataFrame(columns=CLUSTER_COLUMNS)
    apart = units[units["system"].isin(not_mt)]
    ranked, alone, shared = _on_shared_segments(units[~units["system"].isin(not_mt)])
    wide = ranked.pivot_table(index="segment_id", columns="system", values="score",
                              aggfunc="mean")
    systems = list(wide.columns)
    values = wide.to_numpy(dtype=float)
    means = np.nanmean(values, axis=0) if len(systems) else np.array([])
    counts = (~np.isnan(values)).sum(axis=0)
    rows = []
    if systems:
        low, high = _rank_ranges(values, samples, seed)
        order = np.lexsort((np.array(systems, dtype=object), means))
        clusters = _clusters(low[order], high[order])
        for pos, i in enumerate(order):
            note = (f"only {counts[i]} segments: the rank is uncertain"
                    if counts[i] < min_segments else "")
            rows.append({"system": systems[i], "mqm": float(means[i]),
                         "segments": int(counts[i]), "rank_low": int(low[i]),
                         "rank_high": int(high[i]), "cluster": int(clusters[pos]),
                         "note": note})
    for system, group in apart.groupby("system", sort=True):
        rows.append({"system": system, "mqm": float(group["score"].mean()),
                     "segments": int(group["segment_id"].nunique()), "rank_low": None,
                     "rank_high": None, "cluster": None,
                     "note": "not MT (the corrected text or a reference): not ranked"})
    for system, group in alone.groupby("system", sort=True):
        rows.append({"system": system, "mqm": float(group["score"].mean()),
                     "segments": int(group["segment_id"].nunique()), "rank_low": None,
                     "rank_high": None, "cluster": None,
                     "note": "shares no segment with the ranked systems: not ranked"})
    out = pd.DataFrame(rows, columns=CLUSTER_COLUMNS)
    out.attrs["shared_segments"] = shared
    return out


def _on_shared_segments(units: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Systems are compared only on the segments they share: the largest group of systems
    linked by common segments is ranked on the segments every one of them has (or, where no
    segment is common to all, on those at least two have); systems outside that group are
    returned apart. Returns (ranked units, units apart, segments compared on)."""
    if units.empty:
        return units, units, 0
    segments = units.groupby("system", sort=True)["segment_id"].agg(frozenset)
    groups: list[tuple[set[str], set]] = []
    for system, segs in segments.items():
        joined = [g for g in groups if g[1] & segs]
        merged = ({str(system)}, set(segs))
        for g in joined:
            merged[0].update(g[0])
            merged[1].update(g[1])
            groups.remove(g)
        groups.append(merged)
    main = max(groups, key=lambda g: (len(g[0]), len(g[1]), sorted(g[0])))[0]
    inside = units[units["system"].astype(str).isin(main)]
    common = frozenset.intersection(*(segments[s] for s in sorted(main)))
    if not common:
        counts = inside.groupby("segment_id")["system"].nunique()
        common = frozenset(counts[counts >= 2].index)
    return (inside[inside["segment_id"].isin(common)],
            units[~units["system"].astype(str).isin(main)], len(common))


def _rank_ranges(values: np.ndarray, samples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """2.5th and 97.5th percentile of each system's rank over resampled segment sets (the
    same draws for every system: the bootstrap is paired)."""
    n, k = values.shape
    rng = np.random.default_rng(seed)
    filled = np.nan_to_num(values, nan=0.0)
    present = (~np.isnan(values)).astype(float)
    ranks = np.empty((samples, k))
    for s in range(samples):
        idx = rng.integers(0, n, n)
        total, seen = filled[idx].sum(axis=0), present[idx].sum(axis=0)
        mean = np.where(seen > 0, total / np.maximum(seen, 1), np.inf)
        ranks[s] = mean.argsort(kind="stable").argsort(kind="stable") + 1
    low = np.floor(np.percentile(ranks, 2.5, axis=0))
    high = np.ceil(np.percentile(ranks, 97.5, axis=0))
    return low.astype(int), high.astype(int)


def _clusters(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Cluster numbers for systems in score order: a new cluster starts where every system
    above ranks strictly better than every system below."""
    out = np.ones(len(low), dtype=int)
    cluster = 1
    for pos in range(1, len(low)):
        if high[:pos].max() < low[pos:].min():
            cluster += 1
        out[pos] = cluster
    return out
