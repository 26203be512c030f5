"""The reading order: segments ranked by expected expert error points per word read.

Two small Poisson models (``review/data/reading_order.json``, fitted by
``bench/train_reading_order.py`` on expert MQM data) give log E[points / word] from a
segment's signals: one for segments with a retranslation to compare with, one for segments
without (checks and length only). Both predict the same quantity, so segments of either
kind rank on one scale. A quality-estimation score, when a model is configured, joins by
averaging its rank with the model's rank.

Only content (titles and body text) is ranked: residue and captions get risk 0, so they
always come last.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from review.core.vocab import CONTENT_KINDS
from review.ranking.signals import fill

MODEL_FILE = Path(__file__).resolve().parents[1] / "data" / "reading_order.json"
WORDS_PER_RISK = 1.0
"""risk = 1 - exp(-expected points per word): 0..1, monotone in the expected rate."""

SIGNAL_LABELS = {"retranslation": "retranslation", "checks": "checks", "length": "length",
                 "qe": "quality estimate"}


@dataclass(frozen=True)
class Model:
    intercept: float
    coefficients: Mapping[str, float]

    def log_rate(self, signals: Mapping[str, float | None]) -> float:
        return self.intercept + sum(c * fill(signals, f) for f, c in self.coefficients.items())


@dataclass(frozen=True)
class OrderModel:
    with_retranslation: Model
    without_retranslation: Model
    meta: Mapping[str, object] = field(default_factory=dict)

    def log_rate(self, signals: Mapping[str, float | None]) -> float:
        model = (self.with_retranslation if signals.get("chrf_gap") is not None
                 else self.without_retranslation)
        return model.log_rate(signals)


def model_from_dict(data: Mapping) -> OrderModel:
    models = data["models"]
    with_retranslation, without_retranslation = (
        Model(float(models[k]["intercept"]), dict(models[k]["coefficients"]))
        for k in ("with_retranslation", "without_retranslation"))
    return OrderModel(with_retranslation, without_retranslation,
                      meta={k: v for k, v in data.items() if k != "models"})


@cache
def default_model(path: Path = MODEL_FILE) -> OrderModel:
    return model_from_dict(json.loads(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Ranking:
    risks: list[float]
    signals: list[str]  # what the order used, for the page to say

    @property
    def label(self) -> str:
        return "ranked by: " + ", ".join(SIGNAL_LABELS[s] for s in self.signals)


def _percentiles(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in order[i:j + 1]:
            out[k] = ((i + j) / 2 + 1) / len(values)
        i = j + 1
    return out


def rank(kinds: Sequence[str], signals: Sequence[Mapping[str, float | None]],
         qe: Sequence[float | None] | None = None, model: OrderModel | None = None) -> Ranking:
    """Risk per segment (higher = read first; 0 for residue and captions) and the signals
    used. ``qe`` holds quality estimates (higher = better translation) when a model ran."""
    model = model or default_model()
    content = [i for i, k in enumerate(kinds) if k in CONTENT_KINDS]
    rates = {i: model.log_rate(signals[i]) for i in content}
    risks = [0.0] * len(kinds)
    for i, r in rates.items():
        risks[i] = max(1.0 - math.exp(-WORDS_PER_RISK * math.exp(min(r, 10.0))), 1e-6)
    used = ["checks", "length"]
    if any(signals[i].get("chrf_gap") is not None for i in content):
        used.insert(0, "retranslation")
    quality = {i: q for i in content
               if qe is not None and (q := qe[i]) is not None and q == q}
    scored = list(quality)
    if scored and len(scored) == len(content):
        by_model = _percentiles([rates[i] for i in content])
        by_qe = _percentiles([-float(quality[i]) for i in content])
        for i, a, b in zip(content, by_model, by_qe):
            risks[i] = max((a + b) / 2, 1e-6)
        used.append("qe")
    return Ranking(risks, used)
