"""How well does the review priority (review.risk) find the segments experts marked as wrong?

Data: WMT 2023 zh->en expert MQM annotations (10 systems, 3 raters per segment). For each
(document, segment, system) the other nine systems' outputs play the retranslations; no
reference translation is used. Each (document, system) is one article for the article norms.

Reported against the expert MQM score per segment (mean over raters, WMT weights):
Kendall's tau-b, ROC AUC for "has an error" (score > 0) and "has a major error" (score >= 5).
Baseline: 100 - mean chrF against the other systems.

    .venv/bin/python -m bench.risk_ranking [--data PATH] [--limit-docs N]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np
import pandas as pd

from bench._common import read_wmt23_zhen, segments_with_scores, shared_data
from review.checks import CheckContext, article_stats, run_checks
from review.metrics import METRICS
from review.risk import check_signal, risk_scores


def kendall_tau_b(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall's tau-b (ties corrected), O(n^2) in row blocks: fine for a few thousand."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(x)
    concordant_minus_discordant = 0.0
    for i in range(n - 1):
        concordant_minus_discordant += float(
            np.sum(np.sign(x[i + 1:] - x[i]) * np.sign(y[i + 1:] - y[i])))
    n0 = n * (n - 1) / 2

    def ties(v: np.ndarray) -> float:
        _, counts = np.unique(v, return_counts=True)
        return float(np.sum(counts * (counts - 1) / 2))

    denom = np.sqrt((n0 - ties(x)) * (n0 - ties(y)))
    return concordant_minus_discordant / denom if denom else float("nan")


def roc_auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """Area under the ROC curve = Mann-Whitney U / (P * N), ties counted half."""
    ranks = pd.Series(scores).rank(method="average").to_numpy()
    pos = np.asarray(positive, dtype=bool)
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if not n_pos or not n_neg:
        return float("nan")
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def evaluate(name: str, signal: np.ndarray, expert: np.ndarray) -> dict:
    return {
        "signal": name,
        "kendall_tau_b": kendall_tau_b(signal, expert),
        "auc_any_error": roc_auc(signal, expert > 0),
        "auc_major": roc_auc(signal, expert >= 5),
    }


def main(argv: list[str] | None = None) -> pd.DataFrame:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None, help="wmt23 zh-en MQM .tsv.tar.gz")
    ap.add_argument("--limit-docs", type=int, default=0, help="only the first N documents")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    rows = read_wmt23_zhen(args.data or shared_data() / "wmt23-zhen-sxs-mqm.tsv.tar.gz")
    segs = segments_with_scores(rows)
    if args.limit_docs:
        segs = segs[segs["doc"].isin(sorted(segs["doc"].unique())[:args.limit_docs])]
    segs = segs.reset_index(drop=True)
    by_seg = {k: g for k, g in segs.groupby(["doc", "seg_id"])}
    candidates = []
    for r in segs.itertuples():
        g = by_seg[(r.doc, r.seg_id)]
        candidates.append({o.system: o.target for o in g.itertuples() if o.system != r.system})

    # agreement: mean sentence chrF of each output against the other systems' outputs
    hyps, refs, owner = [], [], []
    for i, (mt, cands) in enumerate(zip(segs["target"], candidates)):
        for c in cands.values():
            hyps.append(mt)
            refs.append(c)
            owner.append(i)
    values = METRICS["chrf"].segment(hyps, refs, "en")
    sums: dict[int, list[float]] = defaultdict(list)
    for i, v in zip(owner, values):
        sums[i].append(v)
    chrf = np.array([np.mean(sums[i]) if sums[i] else np.nan for i in range(len(segs))])

    expert = segs["score"].to_numpy()
    results = [evaluate("baseline: 100 - mean chrF vs other systems", 100 - chrf, expert)]
    for label, use_source in (("risk (target only + retranslations)", False),
                              ("risk (with source)", True)):
        contexts = [CheckContext(mt=r.target, source=r.source if use_source else "",
                                 candidates=candidates[i], source_lang="zh", target_lang="en",
                                 reference_year=2023)
                    for i, r in enumerate(segs.itertuples())]
        for _, idx in segs.groupby(["doc", "system"]).groups.items():
            members = [contexts[i] for i in idx]
            stats = article_stats(members)
            for c in members:
                c.article = stats
        suggestions = [run_checks(c) for c in contexts]
        risk = np.array(risk_scores(contexts, suggestions, list(chrf)))
        results.append(evaluate(label, risk, expert))
        checks_only = np.array([check_signal(s) for s in suggestions])
        results.append(evaluate(f"  checks alone ({'with' if use_source else 'no'} source)",
                                checks_only, expert))
        flagged = np.array([bool(s) for s in suggestions])
        print(f"{label}: {flagged.mean():.1%} of segments have a suggestion; "
              f"{(expert[flagged] > 0).mean():.1%} of those have an expert error "
              f"(base rate {(expert > 0).mean():.1%})")
    table = pd.DataFrame(results)
    print(f"\n{len(segs)} segments, {segs['doc'].nunique()} documents, "
          f"{segs['system'].nunique()} systems; {time.perf_counter() - t0:.1f} s\n")
    print(table.to_markdown(index=False, floatfmt=".3f") if _has_tabulate()
          else table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return table


def _has_tabulate() -> bool:
    import importlib.util

    return importlib.util.find_spec("tabulate") is not None


if __name__ == "__main__":
    main()
