"""What the rest of the app asks of a translation backend and of its cache, so
the services and tests can use any backend, a model-free one included.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Protocol


class Translator(Protocol):
    """Anything that translates a list of texts; ``name`` identifies the model (cache key)."""

    name: str

    def translate(self, texts: list[str], src_lang: str, tgt_lang: str) -> list[str]: ...


class Translations(list):
    """A translate() result: the outputs, plus which inputs (by index) had to be truncated."""

    def __init__(self, outputs: Iterable[str] = (), truncated: Iterable[int] = ()) -> None:
        super().__init__(outputs)
        self.truncated: list[int] = list(truncated)


class TranslationCache(Protocol):
    """Stores model outputs by (model identity, mode, languages, input text hash)."""

    def get_many(self, model_key: str, mode: str, src: str, tgt: str,
                 text_hashes: list[str]) -> dict[str, str]: ...

    def put_many(self, model_key: str, mode: str, src: str, tgt: str,
                 entries: dict[str, str]) -> None: ...


class MemoryCache:
    """A dict-backed TranslationCache for tests and one-off runs."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str, str, str, str], str] = {}
        self._lock = threading.Lock()

    def get_many(self, model_key: str, mode: str, src: str, tgt: str,
                 text_hashes: list[str]) -> dict[str, str]:
        with self._lock:
            found = {}
            for h in text_hashes:
                key = (model_key, mode, src, tgt, h)
                if key in self.entries:
                    found[h] = self.entries[key]
            return found

    def put_many(self, model_key: str, mode: str, src: str, tgt: str,
                 entries: dict[str, str]) -> None:
        with self._lock:
            for h, out in entries.items():
                self.entries[(model_key, mode, src, tgt, h)] = out
