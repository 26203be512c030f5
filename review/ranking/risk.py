"""Component figures shown next to each segment's review risk (the order itself comes from
review.ranking):

- ``checks``: the automatic suggestions weighted like MQM errors (Major 5, Minor 1, minor
  punctuation 0.1, ...): ``1 - exp(-points / 5)``, so one Major error gives 0.63, one Minor
  0.18, and more errors approach 1;
- ``agreement``: mean sentence chrF of the MT against the retranslation(s);
- ``length``: how far the MT's length is from the article's norm (against source or
  retranslation), counting only beyond 1.5x either way:
  ``(|log(ratio)| - log 1.5) / (log 3 - log 1.5)`` clipped to 0..1 (1.5x = 0, 3x = 1).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from review.checks import CheckContext, Suggestion, length_ratio
from review.core.mqm import WMT_WEIGHTS, error_weight
from review.metrics import METRICS

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
