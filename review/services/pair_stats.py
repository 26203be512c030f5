"""Per-process caches of metric statistics and word counts, bounded."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from review.core import mqm
from review.core.vocab import (
    base_lang,
)
from review.db.models import (
    Candidate,
    Segment,
)
from review.metrics import get_metric

DECISION_ACTIONS = ("flag_confirmed", "flag_dismissed")
CHUNK = 500


# ----------------------------------------------------------------------------- caches

class PairStatsCache:
    """Sacrebleu sufficient statistics per (metric, language, hypothesis, reference).

    Corpus scores are sums of these, so any subset of segments is scored without running
    sacrebleu again; only new text pairs are computed. Bounded: the oldest entries go first.
    """

    def __init__(self, limit: int = 2_000_000) -> None:
        self.limit = limit
        self._data: OrderedDict[tuple, tuple[float, ...]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(metric: str, lang: str, hyp: str, ref: str) -> tuple:
        digest = hashlib.blake2b(digest_size=16)
        digest.update(hyp.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
        digest.update(ref.encode("utf-8", "surrogatepass"))
        return metric, lang, digest.digest()

    def stats(self, metric: str, hyps: Sequence[str], refs: Sequence[str],
              lang: str) -> np.ndarray:
        """One row of statistics per pair (shape: pairs × statistics)."""
        lang = base_lang(lang)
        keys = [self._key(metric, lang, h, r) for h, r in zip(hyps, refs)]
        with self._lock:
            found = [self._data.get(k) for k in keys]
        missing: dict[tuple, int] = {}  # each distinct missing pair computed once
        for i, row in enumerate(found):
            if row is None:
                missing.setdefault(keys[i], i)
        if missing:
            first = list(missing.values())
            computed = get_metric(metric).stats([hyps[i] for i in first],
                                                [refs[i] for i in first], lang)
            with self._lock:
                for i, values in zip(first, computed):
                    self._data[keys[i]] = tuple(float(v) for v in values)
                found = [row if row is not None else self._data[k]
                         for row, k in zip(found, keys)]
                while len(self._data) > self.limit:
                    self._data.popitem(last=False)
        if not found:
            return np.zeros((0, 0))
        return np.asarray(found, dtype=float)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


PAIR_STATS = PairStatsCache()


class _WordCounts:
    """Words of each stored translation, counted once per process and key. The callers' keys
    hold the row id and its segment's version: a new candidate gets a new row, and a merge
    or split, which rewrite texts under the same ids, raise the segment's version."""

    def __init__(self) -> None:
        self._segments: dict[tuple, int] = {}
        self._candidates: dict[tuple, int] = {}
        self._lock = threading.Lock()

    def segments(self, session: Session, keys: list[tuple]) -> list[int]:
        return self._counts(session, keys, self._segments, Segment.id, Segment.mt)

    def candidates(self, session: Session, keys: list[tuple]) -> list[int]:
        return self._counts(session, keys, self._candidates, Candidate.id, Candidate.text)

    def _counts(self, session: Session, keys: list[tuple], cache: dict,
                id_col, text_col) -> list[int]:  # noqa: ANN001
        with self._lock:
            missing = [k for k in keys if k not in cache]
        if missing:
            wanted = {k[0]: k for k in missing}
            if len(missing) > 5_000:
                texts = session.execute(select(id_col, text_col)).all()
            else:
                texts = []
                ids = list(wanted)
                for lo in range(0, len(ids), CHUNK):
                    texts.extend(session.execute(select(id_col, text_col).where(
                        id_col.in_(ids[lo:lo + CHUNK]))).all())
            counted = {wanted[i]: mqm.count_words(t) for i, t in texts if i in wanted}
            with self._lock:
                cache.update(counted)
                for k in missing:
                    cache.setdefault(k, 0)
        with self._lock:
            return [cache[k] for k in keys]


WORDS = _WordCounts()
