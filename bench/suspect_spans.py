"""How well do suspect spans (review.ranking.suspect) point at the experts' error spans?

Setting as in bench/risk_ranking.py: each (segment, system) of an expert MQM file is
compared with one other system's output, drawn with a seed. Span precision: the share of
proposed spans that overlap an expert error span on the MT (by characters). Span recall: the
share of expert error spans (distinct per segment) that some proposed span overlaps.

Baselines: every word a span (precision = the share of words inside error spans); a random
span of the same length in the same MT for each proposed span.

    .venv/bin/python -m bench.suspect_spans [--seeds 1 2 3]
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from bench.mqm_data import FILES, partners
from review.ranking.suspect import suspect_spans, words


def _hits(proposed: list[tuple[int, int]], expert: list[tuple[int, int]]) -> tuple[int, int]:
    """(proposed spans meeting an expert span, expert spans met)."""
    def meets(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return a[0] < b[1] and b[0] < a[1]
    return (sum(any(meets(p, e) for e in expert) for p in proposed),
            sum(any(meets(p, e) for p in proposed) for e in expert))


def _random_like(spans: list[tuple[int, int]], length: int,
                 rng: np.random.Generator) -> list[tuple[int, int]]:
    out = []
    for s, e in spans:
        start = int(rng.integers(0, max(length - (e - s), 0) + 1))
        out.append((start, start + (e - s)))
    return out


def measure(mts: list[str], rts: list[str], spans: list[list[tuple]], lang: str,
            seed: int) -> dict[str, dict[str, float]]:
    rng = np.random.default_rng(seed)
    totals = {k: [0, 0, 0] for k in ("suspect spans", "all words", "random span, same length")}
    n_expert = 0
    for mt, rt, marks in zip(mts, rts, spans):
        expert = sorted({(s, e) for s, e, *_ in marks})
        n_expert += len(expert)
        mine = suspect_spans(mt, rt, lang)
        for name, proposed in (("suspect spans", mine),
                               ("all words", [(w.start, w.end) for w in words(mt)]),
                               ("random span, same length", _random_like(mine, len(mt), rng))):
            p_hit, e_hit = _hits(proposed, expert)
            totals[name][0] += len(proposed)
            totals[name][1] += p_hit
            totals[name][2] += e_hit
    return {name: {"spans": n, "precision": hit / n if n else float("nan"),
                   "recall": met / n_expert if n_expert else float("nan")}
            for name, (n, hit, met) in totals.items()}


def main(argv: list[str] | None = None) -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = ap.parse_args(argv)
    rows = []
    for name in sorted(FILES, reverse=True):
        f = FILES[name]()
        segs = f.segments
        for seed in args.seeds:
            found = measure(list(segs["target"]), partners(segs, seed), list(segs["spans"]),
                            f.target_lang, seed)
            rows += [{"file": f.name, "proposal": k, "seed": seed, **v} for k, v in found.items()]
    df = pd.DataFrame(rows)
    table = df.groupby(["file", "proposal"], sort=False).agg(
        spans_per_draw=("spans", "mean"), precision=("precision", "mean"),
        precision_sd=("precision", "std"), recall=("recall", "mean"),
        recall_sd=("recall", "std")).reset_index()
    print(table.to_markdown(index=False, floatfmt=".3f"))
    return table


if __name__ == "__main__":
    main()
