"""Automatic scores: the ``METRICS`` registry over sacrebleu (BLEU, chrF, chrF++, TER) with
signatures, HTER, edit distance, paired bootstrap, optional embedding similarity.

Every score carries the signature that produced it, so stored numbers stay comparable.
"""

from review.metrics.bootstrap import BootstrapResult, paired_bootstrap
from review.metrics.edits import edit_distance_chars, hter, hter_signature
from review.metrics.embedding import similarity
from review.metrics.registry import (
    METRICS,
    Metric,
    Score,
    dashboard_metrics,
    get_metric,
    register_metric,
    score_pairs,
    score_segment,
    segment_metrics,
    unregister_metric,
)
from review.metrics.sacre import bleu_tokenizer

__all__ = [
    "METRICS", "BootstrapResult", "Metric", "Score", "bleu_tokenizer", "dashboard_metrics",
    "edit_distance_chars", "get_metric", "hter", "hter_signature", "paired_bootstrap",
    "register_metric", "score_pairs", "score_segment", "segment_metrics", "similarity",
    "unregister_metric",
]
