"""Review priority in the workbench's setting: one retranslation, no reference.

For each (segment, system) of an expert MQM file, one other system's output, drawn at
random, plays the retranslation. Each ranking is scored by capture at 20% effort (the share
of all expert MQM points, and of the segments with a Major error, found reading the
top-ranked segments until 20% of the MT words are read; random order finds 0.20), with
Kendall's tau-b against the segment score and AUC(major) as secondary figures. Figures are
means over several retranslation draws, with the standard deviation across draws.

Rows: random order; length (longest first); the chrF baseline (100 - chrF of the MT against
the retranslation); the reading order of review.ranking, with and without the
retranslation. The reading order never scores rows it was fitted on: WMT21 TED is scored by
the shipped model (fitted on WMT23 zh->en), WMT23 zh->en by the same model fitted on TED.

    .venv/bin/python -m bench.ranking.risk_ranking [--seeds 1 2 3 4 5] [--files wmt23-zhen ...]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from bench.mqm_data import FILES
from bench.ranking_features import feature_table
from bench.train_reading_order import fit
from review.ranking.capture import evaluate
from review.ranking.order import OrderModel, default_model, model_from_dict

FIGURES = ["capture_points", "capture_major", "kendall_tau_b", "auc_major"]


def rankings(table: pd.DataFrame, model: OrderModel, seed: int) -> dict[str, np.ndarray]:
    records = table.to_dict("records")
    plain = [{**r, "chrf_gap": None} for r in records]
    return {
        "random": np.random.default_rng(1000 + seed).random(len(table)),
        "length (longest first)": table["mt_words"].to_numpy(dtype=float),
        "chrF baseline (100 - chrF vs retranslation)": table["chrf_gap"].to_numpy(dtype=float),
        "reading order (retranslation, checks)":
            np.array([model.log_rate(r) for r in records]),
        "reading order without retranslation (checks, length)":
            np.array([model.log_rate(r) for r in plain]),
    }


def summarise(results: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(results)
    rows = []
    for (data, name), g in df.groupby(["file", "ranking"], sort=False):
        row = {"file": data, "ranking": name}
        for fig in FIGURES:
            row[fig] = f"{g[fig].mean():.3f} ± {g[fig].std(ddof=0):.3f}"
        rows.append(row)
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    ap.add_argument("--files", nargs="+", choices=sorted(FILES), default=sorted(FILES)[::-1])
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    files = {name: FILES[name]() for name in args.files}
    tables = {(name, s): feature_table(f, s)[0] for name, f in files.items() for s in args.seeds}
    results = []
    for name, f in files.items():
        if name == "wmt23-zhen":
            other = [tables[("wmt21-ted-ende", s)] if ("wmt21-ted-ende", s) in tables
                     else feature_table(FILES["wmt21-ted-ende"](), s)[0] for s in args.seeds]
            model = model_from_dict(fit(other, "WMT21 TED en→de", args.seeds))
        else:
            model = default_model()
        for s in args.seeds:
            table = tables[(name, s)]
            for label, signal in rankings(table, model, s).items():
                figures = evaluate(signal, table["mt_words"], table["score"])
                results.append({"file": f.name, "ranking": label, "seed": s, **figures})
        seg = f.segments
        print(f"{f.name}: {len(seg)} (segment, system) rows, {seg['doc'].nunique()} documents, "
              f"{seg['system'].nunique()} systems, {int(seg['words'].sum())} MT words")
    table = summarise(results)
    print(f"\n{len(args.seeds)} retranslation draws; {time.perf_counter() - t0:.0f} s\n")
    print(table.to_markdown(index=False))
    return table


if __name__ == "__main__":
    main()
