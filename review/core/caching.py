"""A small thread-safe LRU cache for per-process results.

Every per-process cache keys its entries by the data version they were computed from, so
several app processes on one database never serve each other stale results, and each is
bounded so a long-running server does not grow without limit.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class LRUCache(Generic[V]):
    """At most ``limit`` entries; the least recently used goes first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._data: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.limit:
                self._data.popitem(last=False)

    def drop(self, predicate) -> None:  # noqa: ANN001 - (key) -> bool
        """Remove every entry whose key matches."""
        with self._lock:
            for key in [k for k in self._data if predicate(k)]:
                del self._data[key]

    def __len__(self) -> int:
        return len(self._data)
