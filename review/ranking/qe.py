"""Optional quality estimation (QE): a model reads source and MT and returns a score.

The shape is the XLM-R regressor that public QE models such as MonoTransQuest use: a
sequence-classification model with one output (``num_labels=1``) over the pair
(source, MT), or over the MT alone when there is no source. Higher means a better
translation. transformers and torch load only when a model is first asked for, so the app
starts without them. A model that cannot be loaded is reported in one line naming it, and
the review order goes on without it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol

from review.core.errors import ModelUnavailable

log = logging.getLogger(__name__)


class QualityEstimator(Protocol):
    name: str

    def score(self, sources: Sequence[str], mts: Sequence[str]) -> list[float]:
        """One score per (source, MT) pair; higher = better translation."""


class TransformersQE:
    """A local folder or hub id of an AutoModelForSequenceClassification with one label."""

    def __init__(self, name: str, batch_size: int = 16, max_length: int = 512,
                 device: str = "cpu") -> None:
        self.name = name
        self.batch_size = batch_size
        self.max_length = max_length
        self.device = device
        self._model: Any = None
        self._tokenizer: Any = None

    def load(self) -> TransformersQE:
        if self._model is not None:
            return self
        try:
            from transformers import AutoModelForSequenceClassification, AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained(self.name)
            model = AutoModelForSequenceClassification.from_pretrained(self.name)
        except Exception as err:  # offline, missing folder, wrong files: one clear line
            reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise ModelUnavailable(f"quality-estimation model {self.name!r} could not be "
                                   f"loaded ({reason[:200]})") from None
        if getattr(model.config, "num_labels", 1) != 1:
            raise ModelUnavailable(f"quality-estimation model {self.name!r} has "
                                   f"{model.config.num_labels} outputs; a QE regressor has one")
        self._tokenizer, self._model = tokenizer, model.to(self.device).eval()
        return self

    def score(self, sources: Sequence[str], mts: Sequence[str]) -> list[float]:
        import torch

        self.load()
        out: list[float] = []
        for i in range(0, len(mts), self.batch_size):
            src = [s or "" for s in sources[i:i + self.batch_size]]
            mt = [m or "" for m in mts[i:i + self.batch_size]]
            pair = any(s.strip() for s in src)
            batch = self._tokenizer(*((src, mt) if pair else (mt,)), truncation=True,
                                    padding=True, max_length=self.max_length,
                                    return_tensors="pt").to(self.device)
            with torch.no_grad():
                logits = self._model(**batch).logits
            out.extend(float(v) for v in logits[:, 0].tolist())
        return out


_LOADED: dict[str, QualityEstimator] = {}


def estimate(name: str, sources: Sequence[str], mts: Sequence[str]
             ) -> tuple[list[float] | None, str]:
    """(scores, "") with the configured model, or (None, one line saying why not)."""
    if not name:
        return None, ""
    try:
        estimator = _LOADED.get(name)
        if estimator is None:
            estimator = _LOADED[name] = TransformersQE(name).load()
        return estimator.score(sources, mts), ""
    except ModelUnavailable as err:
        message = f"{err}; ranked without it"
    except Exception as err:  # a model that loads but fails on our text
        message = (f"quality-estimation model {name!r} failed "
                   f"({type(err).__name__}: {str(err)[:200]}); ranked without it")
    log.warning(message)
    return None, message
