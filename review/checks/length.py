"""MT much shorter or longer than the article's usual ratio against the source or
the retranslations: a sign of omission or addition.
"""

from __future__ import annotations

import re
import statistics

from review.checks.context import CheckContext, Suggestion
from review.checks.text import _text

MIN_PAIRS = 5
MIN_CHARS = 20


def _len(text: str) -> int:
    return len(re.sub(r"\s+", "", _text(text)))


def _cand_ratio(ctx: CheckContext) -> float | None:
    mt_len = _len(ctx.mt)
    ratios = [mt_len / _len(c) for c in (ctx.candidates or {}).values()
              if _len(c) >= MIN_CHARS]
    if mt_len < 1 or not ratios:
        return None
    return statistics.median(ratios)


def length_ratio(ctx: CheckContext) -> tuple[float, str] | None:
    """MT length against the source (or retranslations), relative to the article's norm:
    1.0 is usual, 0.5 half as long as usual. Also says what it was compared with."""
    stats = ctx.article
    mt_len = _len(ctx.mt)
    src_len = _len(ctx.source)
    if src_len >= MIN_CHARS // 2 and mt_len and stats and stats.ratio_source:
        return (mt_len / src_len) / stats.ratio_source, "the source"
    if mt_len >= MIN_CHARS and not src_len:
        ratio = _cand_ratio(ctx)
        if ratio is not None:
            norm = stats.ratio_candidates if stats and stats.ratio_candidates else 1.0
            return ratio / norm, "the retranslation"
    return None


def check_length(ctx: CheckContext) -> list[Suggestion]:
    """MT much shorter/longer than the article's norm against the source or retranslation."""
    found = length_ratio(ctx)
    if found is None:
        return []
    rel, against = found
    low, high = (0.4, 2.5) if against == "the source" else (0.5, 2.0)
    if low <= rel <= high:
        return []
    severity = "Major" if rel < 1 / 3 or rel > 3 else "Minor"
    if rel < 0.5:
        return [Suggestion("length", "Accuracy/Omission", severity, None, None,
                           f"The MT is {rel:.1f}x as long as usual against {against} in this "
                           "article: something may be missing.")]
    return [Suggestion("length", "Accuracy/Addition", severity, None, None,
                       f"The MT is {rel:.1f}x as long as usual against {against} in this "
                       "article: something may be added or repeated.")]
