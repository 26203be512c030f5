"""TER with its work per segment bounded.

sacrebleu's TER searches up to 1,000 candidate word shifts per segment, each needing a
beam edit distance whose cache grows with the square of the length: a 10,000-word segment
took 1.75 GB, a scrambled 200-word one 11 s. Segments up to ``SHIFT_WORDS`` words (after
TER's own tokenisation) get sacrebleu's TER unchanged; longer ones get the plain word edit
distance without shifts, computed row by row in linear memory. That distance is what TER
counts before any shift, so it is an upper bound of TER's edits; the signature says so
with ``|shifts:<=N``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sacrebleu.metrics import TER
from sacrebleu.metrics.ter import TERSignature

SHIFT_WORDS = 100
"""Longest segment (hypothesis or reference, in TER tokens) that gets TER's shift search."""


def word_edit_distance(hyp: list[str], ref: list[str]) -> int:
    """Levenshtein distance over words, one numpy row at a time (memory linear in ``ref``)."""
    if not hyp or not ref:
        return max(len(hyp), len(ref))
    ids: dict[str, int] = {}
    a = np.fromiter((ids.setdefault(w, len(ids)) for w in hyp), dtype=np.int64, count=len(hyp))
    b = np.fromiter((ids.setdefault(w, len(ids)) for w in ref), dtype=np.int64, count=len(ref))
    columns = np.arange(len(b) + 1, dtype=np.int64)
    previous = columns.copy()
    current = np.empty_like(previous)
    for i, word in enumerate(a, start=1):
        current[0] = i
        np.minimum(previous[1:] + 1, previous[:-1] + (b != word), out=current[1:])
        # an insertion carries a cell's value one step right: a running minimum does it
        np.minimum.accumulate(current - columns, out=current)
        current += columns
        previous, current = current, previous
    return int(previous[-1])


class BoundedTERSignature(TERSignature):
    """sacrebleu's TER signature plus the shift bound."""

    def __init__(self, args: dict) -> None:
        super().__init__(args)
        self.info["shifts"] = f"<={args.get('shift_words', SHIFT_WORDS)}w"


class BoundedTER(TER):
    """sacrebleu's TER, with the shift search only for segments of ``shift_words`` or less."""

    _SIGNATURE_TYPE = BoundedTERSignature

    def __init__(self, *args: Any, shift_words: int = SHIFT_WORDS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shift_words = shift_words

    def _compute_segment_statistics(self, hypothesis: str, ref_kwargs: dict) -> list[float]:
        words_hyp = hypothesis.split()
        refs = ref_kwargs["ref_words"]
        if len(words_hyp) <= self.shift_words and all(
                len(r) <= self.shift_words for r in refs):
            return super()._compute_segment_statistics(hypothesis, ref_kwargs)
        edits = min(word_edit_distance(words_hyp, r) for r in refs)
        return [edits, sum(len(r) for r in refs) / len(refs)]
