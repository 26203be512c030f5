"""The one adapter over sacrebleu: metric objects, sufficient statistics, signatures.

sacrebleu's public API scores a sentence or a corpus; scoring both from one pass, summing
statistics for the bootstrap and rescoring subsets needs its statistics methods, which are
private. Every use of them lives here, and tests/unit/test_metrics.py checks the results
against sacrebleu's public ``sentence_score``/``corpus_score``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Any

import numpy as np
from sacrebleu.metrics import BLEU, CHRF

from review.core.vocab import CJK_LANGS, base_lang


def importable(*modules: str) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in modules)


def bleu_tokenizer(lang: str) -> str:
    """The sacrebleu tokenizer for a target language (Chinese needs ``zh``: 13a gives 0)."""
    key = base_lang(lang)
    if key == "zh":
        return "zh"
    if key == "ja" and importable("MeCab", "ipadic"):
        return "ja-mecab"
    return "13a"


def build_bleu(key: str, role: str) -> Any:
    """BLEU for a language; segment scores use ``effective_order`` (sacrebleu's advice for
    sentence BLEU), corpus scores the standard ``effective_order=False``."""
    try:
        return BLEU(tokenize=bleu_tokenizer(key), effective_order=(role == "segment"))
    except (RuntimeError, ImportError, AssertionError):  # tokenizer deps broken
        return BLEU(tokenize="13a", effective_order=(role == "segment"))


def build_chrf(key: str, role: str) -> Any:
    return CHRF()


def build_chrf_plus(key: str, role: str) -> Any:
    return CHRF(word_order=2)


def build_ter(key: str, role: str) -> Any:
    """TER with its shift search bounded per segment (``review.metrics.bounded_ter``)."""
    from review.metrics.bounded_ter import BoundedTER

    if key in CJK_LANGS:
        # asian_support only acts together with normalized: CJK split per character.
        return BoundedTER(normalized=True, asian_support=True)
    return BoundedTER()


def prepared(obj: Any) -> Any:
    """We always score against exactly one reference; sacrebleu only learns the count while
    scoring, and the signature must be available before that."""
    obj.num_refs = 1
    return obj


def clean_texts(texts: Sequence[str | None]) -> list[str]:
    return [t if isinstance(t, str) else ("" if t is None else str(t)) for t in texts]


def signature(obj: Any) -> str:
    return str(obj.get_signature())


def extract_stats(obj: Any, hyps: list[str], refs: list[str]) -> list[list[float]]:
    """Per-pair sufficient statistics, one row per pair."""
    return obj._extract_corpus_statistics(hyps, [refs])


def score_of_stats(obj: Any, stats: list[list[float]]) -> float:
    """The score of a set of pairs from their statistics (one row: a sentence score)."""
    return float(obj._aggregate_and_compute(stats).score)


def score_of_totals(obj: Any, totals: np.ndarray) -> float:
    """The score from statistics already summed over pairs."""
    return float(obj._compute_score_from_stats(totals).score)
