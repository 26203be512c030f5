"""The ``METRICS`` registry: one ``Metric`` contract, looked up by name.

A metric carries its own name, label and direction, says whether it is computed by default,
gives the signature of its scores, and computes segment and corpus scores from one pass over
sufficient statistics (the statistics sacrebleu's own ``sentence_score``/``corpus_score``
compute), so scoring an article costs no more than calling sacrebleu directly. The scoring
service, the CLI, the Review page and the dashboards all iterate this registry: adding a
metric is one ``register_metric`` call.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from review.core.errors import InputError
from review.core.vocab import base_lang
from review.metrics import sacre


@dataclass(frozen=True)
class Score:
    value: float
    signature: str


@dataclass(eq=False)
class Metric:
    """One automatic metric behind a sacrebleu object built per (language, role).

    ``per_segment``: stored for every segment (MT against the corrected text) and shown on
    the Review page. ``default_on``: computed on the dashboards without being asked for
    (TER is slow on long segments, so it waits for a click there).
    """

    name: str
    label: str
    higher_is_better: bool
    build: Callable[[str, str], Any]
    per_segment: bool = True
    default_on: bool = True
    description: str = ""
    post_edit_label: str = ""
    """How the Review page names the MT scored against its post-edit (TER there is HTER)."""
    _objects_cache: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def sacre_object(self, lang: str, role: str = "corpus") -> Any:
        """The cached sacrebleu object: building tokenizers per call costs more than scoring."""
        key = (base_lang(lang), role)
        with self._lock:
            obj = self._objects_cache.get(key)
            if obj is None:
                obj = self._objects_cache[key] = sacre.prepared(self.build(key[0], role))
        return obj

    def signature(self, lang: str) -> str:
        """Signature of corpus scores for this target language."""
        return sacre.signature(self.sacre_object(lang))

    def segment_signature(self, lang: str) -> str:
        return sacre.signature(self.sacre_object(lang, "segment"))

    def stats(self, hyps: Sequence[str], refs: Sequence[str], lang: str) -> list[list[float]]:
        """Per-segment sufficient statistics (one row per pair)."""
        hyps, refs = sacre.clean_texts(hyps), sacre.clean_texts(refs)
        if len(hyps) != len(refs):
            raise InputError(
                f"Cannot score {len(hyps)} translations against {len(refs)} references: "
                "give one reference per translation.")
        if not hyps:
            return []
        return sacre.extract_stats(self.sacre_object(lang), hyps, refs)

    def score_stats(self, stats: list[list[float]], lang: str) -> tuple[list[float], Score]:
        """Segment scores and the corpus score from the same statistics."""
        seg_obj, corp_obj = self.sacre_object(lang, "segment"), self.sacre_object(lang)
        segs = [sacre.score_of_stats(seg_obj, [row]) for row in stats]
        sig = sacre.signature(corp_obj)
        if not stats:
            return segs, Score(math.nan, sig)
        return segs, Score(sacre.score_of_stats(corp_obj, stats), sig)

    def segment(self, hyps: Sequence[str], refs: Sequence[str], lang: str) -> list[float]:
        return self.score_stats(self.stats(hyps, refs, lang), lang)[0]

    def corpus(self, hyps: Sequence[str], refs: Sequence[str], lang: str) -> Score:
        """Corpus score (NaN when there is nothing to score)."""
        stats = self.stats(hyps, refs, lang)
        sig = self.signature(lang)
        if not stats:
            return Score(math.nan, sig)
        return Score(sacre.score_of_stats(self.sacre_object(lang), stats), sig)

    def sentence(self, hyp: str, ref: str, lang: str) -> Score:
        seg_obj = self.sacre_object(lang, "segment")
        stats = self.stats([hyp], [ref], lang)
        return Score(sacre.score_of_stats(seg_obj, stats), sacre.signature(seg_obj))

    def from_totals(self, totals: np.ndarray, lang: str) -> float:
        """Corpus score from summed statistics (used by the bootstrap)."""
        return sacre.score_of_totals(self.sacre_object(lang), totals)


METRICS: dict[str, Metric] = {}


def register_metric(metric: Metric) -> Metric:
    """Add a metric to the registry (replacing one of the same name)."""
    METRICS[metric.name] = metric
    return metric


def unregister_metric(name: str) -> None:
    METRICS.pop(name, None)


register_metric(Metric("chrf", "chrF", True, sacre.build_chrf,
                       description="character n-gram F-score"))
register_metric(Metric("bleu", "BLEU", True, sacre.build_bleu,
                       description="n-gram precision with a brevity penalty"))
register_metric(Metric("chrf++", "chrF++", True, sacre.build_chrf_plus, per_segment=False,
                       default_on=False, description="chrF with word bigrams"))
register_metric(Metric("ter", "TER", False, sacre.build_ter, default_on=False,
                       description="edits per reference word (HTER against a post-edit)",
                       post_edit_label="HTER"))


def get_metric(name: str) -> Metric:
    try:
        return METRICS[name]
    except KeyError:
        raise InputError(
            f"Unknown metric {name!r}; choose one of {', '.join(METRICS)}.") from None


def segment_metrics() -> tuple[str, ...]:
    """The metrics stored for every segment, in registry order."""
    return tuple(name for name, m in METRICS.items() if m.per_segment)


def dashboard_metrics(with_optional: bool = False) -> tuple[str, ...]:
    """The metrics the dashboards compute: the default ones, plus the optional per-segment
    ones (TER) when asked for."""
    return tuple(name for name, m in METRICS.items()
                 if m.default_on or (with_optional and m.per_segment))


def score_pairs(
    hyps: Sequence[str],
    refs: Sequence[str],
    lang: str,
    metrics: Sequence[str] | None = None,
) -> dict[str, tuple[list[float], Score]]:
    """Segment values and the corpus score for each metric, in one pass per metric."""
    out: dict[str, tuple[list[float], Score]] = {}
    for name in metrics if metrics is not None else segment_metrics():
        metric = get_metric(name)
        out[name] = metric.score_stats(metric.stats(hyps, refs, lang), lang)
    return out


def score_segment(mt: str, corrected: str, lang: str,
                  metrics: Sequence[str] | None = None) -> dict[str, Score]:
    """Scores of one pair, for rescoring a single segment after an edit.

    Values are sentence-level (BLEU with effective order) with the segment signature.
    """
    return {name: get_metric(name).sentence(mt, corrected, lang)
            for name in (metrics if metrics is not None else segment_metrics())}
