"""Calibrate the QA checks against expert error spans and write their defaults.

Every check runs over both expert MQM files in the workbench's setting (the MT, one other
system's output as the retranslation, no source, no reference). A suggestion is a hit when
its character span overlaps an expert error span on the MT (a whole-segment suggestion:
when the segment has any expert error). Per check: suggestions, precision, the base rate
(the precision of suggesting every MT word, weighted like the check's suggestions across
the files), and the expert severity and category its hits most often meet (each hit votes
for the most severe expert error it overlaps). A check is off by default only when its
precision is shown to be below the base rate: the upper end of the precision's 95% Wilson
interval under it; one with fewer than MIN_SUGGESTIONS keeps its hand-set defaults.

    .venv/bin/python -m bench.calibrate_checks [--seed 1] [-o review/data/check_calibration.json]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bench.mqm_data import FILES, partners
from bench.ranking_features import contexts
from review.checks import CHECKS, run_checks
from review.checks.defaults import DEFAULTS_FILE
from review.quality.stats import wilson
from review.ranking.suspect import words

MIN_SUGGESTIONS = 10
SEVERITY_ORDER = {"Neutral": 0, "Minor": 1, "Major": 2, "Critical": 3}


@dataclass(frozen=True)
class Observation:
    file: str
    check: str
    hit: bool
    met: tuple[tuple[str, str], ...] = field(default=())  # (severity, category) of hits


def overlaps(start: int | None, end: int | None, spans: Sequence[tuple]) -> list[tuple]:
    """The expert spans a suggestion meets (all of them for a whole-segment suggestion)."""
    if start is None or end is None:
        return list(spans)
    return [s for s in spans if s[0] < max(end, start + 1) and start < s[1]]


def base_rate(texts: Iterable[str], spans: Iterable[Sequence[tuple]]) -> float:
    """Share of MT words that overlap an expert error span."""
    total = hit = 0
    for text, marks in zip(texts, spans):
        for w in words(text):
            total += 1
            hit += bool(overlaps(w.start, w.end, marks))
    return hit / total if total else 0.0


def _vote(met: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """What one hit says: the most severe expert error it meets, with that severity's most
    frequent category (a reviewer confirming the suggestion would rate it so)."""
    worst = max((m[0] for m in met), key=lambda s: SEVERITY_ORDER.get(s, 0))
    return worst, Counter(c for s, c in met if s == worst).most_common(1)[0][0]


def calibration_table(observations: Iterable[Observation], base_rates: dict[str, float],
                      min_suggestions: int = MIN_SUGGESTIONS) -> dict[str, dict]:
    """Per check: the evidence and the defaults it gives (see the module docstring)."""
    by_check: dict[str, list[Observation]] = {}
    for o in observations:
        by_check.setdefault(o.check, []).append(o)
    table = {}
    for check, obs in sorted(by_check.items()):
        n = len(obs)
        hits = sum(o.hit for o in obs)
        files = Counter(o.file for o in obs)
        base = sum(base_rates[f] * k for f, k in files.items()) / n
        votes = [_vote(o.met) for o in obs if o.met]
        severity = Counter(v[0] for v in votes)
        category = Counter(v[1] for v in votes)
        interval = wilson(hits, n)
        entry = {"suggestions": n, "precision": round(hits / n, 4),
                 "precision_low": round(interval.low, 4),
                 "precision_high": round(interval.high, 4), "base_rate": round(base, 4),
                 "most_met_severity": severity.most_common(1)[0][0] if severity else None,
                 "most_met_category": category.most_common(1)[0][0] if category else None}
        if n >= min_suggestions:
            entry["enabled"] = interval.high >= base  # off only when shown to be worse
            if severity:
                entry["severity"] = entry["most_met_severity"]
                entry["category"] = entry["most_met_category"]
        table[check] = entry
    return table


def observe(name: str, seed: int) -> tuple[list[Observation], str, float]:
    f = FILES[name]()
    segs = f.segments
    ctxs = contexts(f, partners(segs, seed))
    out = []
    for ctx, spans in zip(ctxs, segs["spans"]):
        for s in run_checks(ctx, names=list(CHECKS)):
            met = overlaps(s.start, s.end, spans)
            out.append(Observation(f.name, s.check, bool(met), tuple((m[2], m[3]) for m in met)))
    return out, f.name, base_rate(segs["target"], segs["spans"])


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", type=Path, default=DEFAULTS_FILE)
    args = ap.parse_args(argv)
    observations, rates = [], {}
    for name in sorted(FILES, reverse=True):
        obs, label, rate = observe(name, args.seed)
        observations += obs
        rates[label] = rate
    table = calibration_table(observations, rates)
    doc = {"description": "Check defaults from expert MQM spans; written by "
                          "bench/calibrate_checks.py.",
           "setting": "MT + one other system's output as retranslation, no source",
           "base_rates": {k: round(v, 4) for k, v in rates.items()},
           "checks": table}
    args.output.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", "utf-8")
    rows = [{"check": c, "suggestions": e["suggestions"], "precision": e["precision"],
             "95% interval": f"{e['precision_low']:.3f}–{e['precision_high']:.3f}",
             "base rate": e["base_rate"], "most frequent expert severity": e["most_met_severity"],
             "most frequent expert category": e["most_met_category"],
             "on by default": e.get("enabled", True)} for c, e in table.items()]
    print(f"base rates: {doc['base_rates']}\n")
    print(pd.DataFrame(rows).fillna("–").to_markdown(index=False, floatfmt=".3f"))
    return doc


if __name__ == "__main__":
    main()
