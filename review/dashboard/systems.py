"""The systems tab: MQM and metrics per system, head-to-head win/tie/loss, and how
well each metric ranks the systems as MQM does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from review.dashboard.frames import TextScores
from review.dashboard.stats import kendall_tau
from review.dashboard.units import mqm_summary
from review.metrics import METRICS, segment_metrics


@dataclass
class SystemsView:
    table: pd.DataFrame  # system, mqm, ci_low, ci_high, segments, per_1000_words, metrics
    win_tie_loss: pd.DataFrame  # system_a, system_b, wins, ties, losses, segments
    rank_agreement: pd.DataFrame  # metric, against, tau, systems
    reference: str  # "reference" or "corrected"


def per_system(units: pd.DataFrame, text: TextScores) -> pd.DataFrame:
    cols = ["system", "mqm", "ci_low", "ci_high", "segments", "per_1000_words", *segment_metrics()]
    rows = []
    for system, group in units.groupby("system", sort=True):
        summary = mqm_summary(group)
        rows.append({"system": system, "mqm": summary.score, "ci_low": summary.ci_low,
                     "ci_high": summary.ci_high, "segments": summary.segments,
                     "per_1000_words": summary.per_1000_words})
    table = pd.DataFrame(rows, columns=cols[:6])
    metrics = text.systems[["system", *segment_metrics()]] if len(text.systems) else None
    if metrics is not None:
        table = table.merge(metrics, on="system", how="outer")
    for name in segment_metrics():
        if name not in table.columns:
            table[name] = np.nan
    table = table.sort_values(["mqm", "system"], kind="stable", na_position="last")
    return table[cols].reset_index(drop=True)


def win_tie_loss(units: pd.DataFrame) -> pd.DataFrame:
    """For each ordered pair of systems, on the segments both were rated on: how often A has
    fewer MQM points than B (win), as many (tie, up to float rounding) or more (loss)."""
    cols = ["system_a", "system_b", "wins", "ties", "losses", "segments"]
    if units.empty:
        return pd.DataFrame(columns=cols)
    wide = units.pivot_table(index="segment_id", columns="system", values="score",
                             aggfunc="mean")
    systems = list(wide.columns)
    values = wide.to_numpy(dtype=float)
    out = []
    for i, a in enumerate(systems):
        for j, b in enumerate(systems):
            if i == j:
                continue
            both = ~np.isnan(values[:, i]) & ~np.isnan(values[:, j])
            va, vb = values[both, i], values[both, j]
            tie = np.isclose(va, vb)
            out.append({"system_a": a, "system_b": b, "wins": int(((va < vb) & ~tie).sum()),
                        "ties": int(tie.sum()), "losses": int(((va > vb) & ~tie).sum()),
                        "segments": int(both.sum())})
    return pd.DataFrame(out, columns=cols)


def rank_agreement(table: pd.DataFrame, reference_systems: set[str],
                   against: str) -> pd.DataFrame:
    """Kendall's tau between the MQM ranking of systems and each metric's ranking.

    Metrics are oriented so that +1 means the metric orders systems exactly as MQM does
    (MQM and TER: lower is better; chrF and BLEU: higher is better). References are left out.
    """
    cols = ["metric", "against", "tau", "systems"]
    out = []
    usable = table[~table["system"].isin(reference_systems)]
    for name in segment_metrics():
        both = usable[["mqm", name]].dropna()
        if len(both) < 2:
            continue
        metric = -both[name] if METRICS[name].higher_is_better else both[name]
        out.append({"metric": name, "against": against,
                    "tau": kendall_tau(both["mqm"].to_numpy(), metric.to_numpy()),
                    "systems": len(both)})
    return pd.DataFrame(out, columns=cols)


def systems_view(units: pd.DataFrame, text: TextScores, reference_systems: set[str]
                 ) -> SystemsView:
    table = per_system(units, text)
    against = (str(text.systems["against"].iloc[0]) if len(text.systems) else "corrected")
    return SystemsView(table=table, win_tie_loss=win_tie_loss(units),
                       rank_agreement=rank_agreement(table, reference_systems, against),
                       reference=against)


def win_tie_loss_matrix(wtl: pd.DataFrame) -> pd.DataFrame:
    """:func:`win_tie_loss` as a grid for reading: one row per system, one column per
    opponent, each cell "wins / ties / losses"."""
    grid = wtl.assign(cell=wtl["wins"].astype(str) + " / " + wtl["ties"].astype(str)
                      + " / " + wtl["losses"].astype(str))
    matrix = grid.pivot(index="system_a", columns="system_b", values="cell").fillna("")
    return matrix.reset_index().rename(columns={"system_a": "system"})
