"""Per-segment signals of the reading order, each a plain number (None when it cannot be
measured, e.g. no retranslation).

Everything is normalised by length where length would otherwise dominate: the reading order
spends words, so what matters is error per word, not error per segment.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from review.ranking.suspect import unsupported_share, words

CHECK_WEIGHTS = {"Major": 5.0, "Critical": 5.0, "Minor": 1.0}


def word_count(text: str, lang: str) -> int:
    return max(len(words(text)), 1)


def chrf_gap(mt: str, retranslation: str | None, lang: str,
             chrf: float | None = None) -> float | None:
    """1 - chrF/100 of the MT against the retranslation: how much they disagree."""
    if retranslation is None or not retranslation.strip():
        return None
    if chrf is None:
        from review.metrics import METRICS

        chrf = METRICS["chrf"].segment([mt], [retranslation], lang)[0]
    return 1.0 - float(chrf) / 100.0


def length_gap(mt: str, retranslation: str | None) -> float | None:
    """|log| of the MT's length over the retranslation's, in characters."""
    if retranslation is None or not retranslation.strip():
        return None
    return abs(math.log((len(mt.strip()) + 1) / (len(retranslation.strip()) + 1)))


def check_points(suggestions: Sequence[object]) -> float:
    """The suggestions weighted like MQM errors (their calibrated severities)."""
    return sum(CHECK_WEIGHTS.get(getattr(s, "severity", ""), 0.0) for s in suggestions)


def segment_signals(mt: str, retranslation: str | None, suggestions: Sequence[object],
                    lang: str, chrf: float | None = None) -> dict[str, float | None]:
    """The raw signals of one segment (see review.ranking.order for how they combine):
    ``unsupported`` is the share of MT words the retranslation lacks (additions or
    mistranslations), ``missing`` the share of retranslation words the MT lacks (omissions)."""
    n = word_count(mt, lang)
    points = check_points(suggestions)
    return {
        "words": float(n),
        "log_words": math.log(n),
        "inv_words": 1.0 / n,
        "check_points_per_word": points / n,
        "has_check": 1.0 if points > 0 else 0.0,
        "chrf_gap": chrf_gap(mt, retranslation, lang, chrf),
        "unsupported": unsupported_share(mt, retranslation or "", lang),
        "missing": unsupported_share(retranslation or "", mt, lang) if retranslation else None,
        "length_gap": length_gap(mt, retranslation),
    }


def fill(signals: Mapping[str, float | None], name: str, default: float = 0.0) -> float:
    value = signals.get(name)
    return default if value is None or value != value else float(value)
