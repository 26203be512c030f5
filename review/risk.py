"""Review priority: which segments a reviewer should read first.

Each segment gets a risk in 0..1 (higher = review first) from up to four signals, each scaled
to 0..1:

- ``checks``: the automatic suggestions weighted like MQM errors (Major 5, Minor 1, minor
  punctuation 0.1, ...): ``1 - exp(-points / 5)``, so one Major error gives 0.63, one Minor
  0.18, and more errors approach 1;
- ``agreement``: ``(100 - chrF of the MT against the retranslation(s)) / 100``: when an
  independent translation says something else, the MT is more likely wrong;
- ``similarity``: ``1 - cosine similarity`` of sentence embeddings of MT and retranslation;
- ``length``: how far the MT's length is from the article's norm (against source or
  retranslation), counting only beyond 1.5x either way:
  ``(|log(ratio)| - log 1.5) / (log 3 - log 1.5)`` clipped to 0..1 (1.5x = 0, 3x = 1).

The risk is the weighted mean of the signals a segment has (weights in ``RISK_WEIGHTS``; the
checks signal is always there, 0 without suggestions). The weights were chosen on the WMT 2023
zh->en benchmark (bench/risk_ranking.py, results in BENCHMARKS.md): retranslation agreement
carries most of the signal, the checks add precision, and small length deviations did not
help there, hence the threshold and the small weight.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from review.checks import CheckContext, Suggestion, length_ratio
from review.errors import InputError
from review.metrics import METRICS
from review.mqm import WMT_WEIGHTS, error_weight

RISK_WEIGHTS: dict[str, float] = {"agreement": 0.5, "checks": 0.3, "similarity": 0.15,
                                  "length": 0.05}
CHECK_POINTS_SCALE = 5.0


def _clip(x: float) -> float:
    return 0.0 if x != x else max(0.0, min(1.0, x))  # NaN -> 0


def check_signal(suggestions: Sequence[Suggestion]) -> float:
    points = sum(error_weight(s.category, s.severity, WMT_WEIGHTS) for s in suggestions)
    return 1.0 - math.exp(-points / CHECK_POINTS_SCALE)


def length_signal(ctx: CheckContext) -> float | None:
    found = length_ratio(ctx)
    if found is None or found[0] <= 0:
        return None
    return _clip((abs(math.log(found[0])) - math.log(1.5)) / (math.log(3) - math.log(1.5)))


def agreement(mt: str, candidates: Mapping[str, str], lang: str) -> float | None:
    """Mean sentence chrF of the MT against each non-empty retranslation (None if none)."""
    refs = [c for c in candidates.values() if isinstance(c, str) and c.strip()]
    if not refs:
        return None
    values = METRICS["chrf"].segment([mt] * len(refs), refs, lang)
    return sum(values) / len(values)


def risk_scores(
    contexts: Sequence[CheckContext],
    suggestions: Sequence[Sequence[Suggestion]],
    agreement_chrf: Sequence[float | None],
    similarity: Sequence[float | None] | None = None,
    weights: Mapping[str, float] = RISK_WEIGHTS,
) -> list[float]:
    """Risk per segment in 0..1 (see the module docstring for the formula)."""
    n = len(contexts)
    if len(suggestions) != n or len(agreement_chrf) != n or (
            similarity is not None and len(similarity) != n):
        raise InputError("risk_scores needs one entry per segment in every list.")
    out = []
    for i, ctx in enumerate(contexts):
        signals: dict[str, float] = {"checks": check_signal(suggestions[i])}
        if agreement_chrf[i] is not None:
            signals["agreement"] = _clip((100.0 - float(agreement_chrf[i])) / 100.0)
        if similarity is not None and similarity[i] is not None:
            signals["similarity"] = _clip(1.0 - float(similarity[i]))
        length = length_signal(ctx)
        if length is not None:
            signals["length"] = length
        total = sum(weights.get(k, 0.0) for k in signals)
        risk = sum(weights.get(k, 0.0) * v for k, v in signals.items()) / total if total else 0.0
        out.append(_clip(risk))
    return out
