"""The reading-order signals of every (segment, system) of an expert MQM file, in the
one-retranslation setting: another system's output, drawn with a seed, plays the
retranslation; the source and any reference stay unused."""

from __future__ import annotations

import pandas as pd

from bench.mqm_data import MQMFile, partners
from review.checks import CheckContext, Suggestion, article_stats, run_checks
from review.metrics import METRICS
from review.ranking.signals import segment_signals


def contexts(f: MQMFile, retranslations: list[str]) -> list[CheckContext]:
    """Check contexts with the one retranslation, article norms per (document, system)."""
    s = f.segments
    ctxs = [CheckContext(mt=m, candidates={"retranslation": r}, source_lang=f.source_lang,
                         target_lang=f.target_lang, reference_year=f.year)
            for m, r in zip(s["target"], retranslations)]
    for _, idx in s.groupby(["doc", "system"]).groups.items():
        stats = article_stats([ctxs[i] for i in idx])
        for i in idx:
            ctxs[i].article = stats
    return ctxs


def feature_table(f: MQMFile, seed: int) -> tuple[pd.DataFrame, list[list[Suggestion]],
                                                   list[str]]:
    """(signals with ``score`` and ``words``, the checks' suggestions, the retranslations)."""
    s = f.segments
    rt = partners(s, seed)
    chrf = METRICS["chrf"].segment(list(s["target"]), rt, f.target_lang)
    suggestions = [run_checks(c) for c in contexts(f, rt)]
    rows = [segment_signals(m, r, g, f.target_lang, c)
            for m, r, g, c in zip(s["target"], rt, suggestions, chrf)]
    table = pd.DataFrame(rows)
    table["score"] = s["score"].to_numpy()
    table["mt_words"] = s["words"].to_numpy()
    return table, suggestions, rt
