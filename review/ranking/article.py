"""The reading order of one article, from what the store holds: each segment's kind, MT,
the one retranslation it is compared with (and its chrF when already stored), the open
check suggestions, and optionally quality estimates."""

from __future__ import annotations

from collections.abc import Sequence

from review.ranking.order import Ranking, rank
from review.ranking.signals import segment_signals


def rank_article(kinds: Sequence[str], mts: Sequence[str],
                 retranslations: Sequence[str | None], chrf: Sequence[float | None],
                 suggestions: Sequence[Sequence[object]], lang: str,
                 qe: Sequence[float | None] | None = None) -> tuple[Ranking, list[dict]]:
    """(the ranking, each segment's signals) for an article's segments in order."""
    signals = [segment_signals(mt, rt, sugg, lang, c if rt else None)
               for mt, rt, c, sugg in zip(mts, retranslations, chrf, suggestions)]
    return rank(kinds, signals, qe), signals
