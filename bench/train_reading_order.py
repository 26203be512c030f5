"""Fit the reading-order models on one expert MQM file and write them as JSON.

The shipped file (review/data/reading_order.json) is fitted on WMT 2023 zh->en; the
benchmark reports it on WMT 2021 TED en->de, and reports a model fitted on TED (by the same
code) on zh->en, so no file is scored by a model that saw its rows.

    .venv/bin/python -m bench.train_reading_order [--train wmt23-zhen] [--seeds 1 2 3] [-o PATH]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from bench.mqm_data import FILES
from bench.ranking_features import feature_table
from bench.reading_order_model import fit_poisson
from review.ranking.order import MODEL_FILE

WITH_RETRANSLATION = ["chrf_gap", "missing", "check_points_per_word"]
WITHOUT_RETRANSLATION = ["check_points_per_word", "has_check", "inv_words", "log_words"]


def fit(tables: list[pd.DataFrame], train: str, seeds: list[int]) -> dict:
    """Both models on the pooled feature tables of several retranslation draws."""
    table = pd.concat(tables, ignore_index=True)
    return {
        "description": "Poisson models of expert MQM points per MT word; the linear part is "
                       "log expected points per word. Fitted by bench/train_reading_order.py.",
        "trained_on": train,
        "retranslation_draws": seeds,
        "models": {"with_retranslation": fit_poisson(table, WITH_RETRANSLATION),
                   "without_retranslation": fit_poisson(table, WITHOUT_RETRANSLATION)},
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", choices=sorted(FILES), default="wmt23-zhen")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("-o", "--output", type=Path, default=MODEL_FILE)
    args = ap.parse_args(argv)
    f = FILES[args.train]()
    model = fit([feature_table(f, s)[0] for s in args.seeds], f.name, args.seeds)
    args.output.write_text(json.dumps(model, indent=2, ensure_ascii=False) + "\n",
                           encoding="utf-8")
    print(json.dumps(model["models"], indent=2))
    return model


if __name__ == "__main__":
    main()
