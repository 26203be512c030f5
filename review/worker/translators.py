"""Models loaded once per worker process and kept for the next job that names them."""

from __future__ import annotations

import threading

from review.retranslate import Translator

_LOADED: dict[str, Translator] = {}
_LOCK = threading.Lock()
MAX_LOADED = 4
"""Models kept per worker; the oldest goes first (a translation model holds GBs)."""


def translator(name: str) -> Translator:
    """The named model, loading it the first time a job of this worker needs it."""
    from review.services.retranslation import translator_for

    with _LOCK:
        found = _LOADED.get(name)
        if found is None:
            found = translator_for(name)
            if len(_LOADED) >= MAX_LOADED:
                _LOADED.pop(next(iter(_LOADED)))
            _LOADED[name] = found
        return found


def loaded(name: str) -> bool:
    """Whether this worker holds the model already."""
    return name in _LOADED
