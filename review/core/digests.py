"""Content digests: what a cache entry or a stored score was computed from.

Two different questions, so two functions: ``input_digest`` keys the translation cache by one
input text (normalised, so equivalent Unicode forms share a model call), and ``pair_digest``
records the exact texts a stored score was computed from (so any change, even a normalisation,
marks the score stale).
"""

from __future__ import annotations

import hashlib
import unicodedata


def input_digest(text: str) -> str:
    """sha256 of the NFC form, so texts that differ only in Unicode normalisation share a key."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()


def pair_digest(*parts: str) -> str:
    """sha256 over the exact parts, NUL-separated, so ("ab", "c") and ("a", "bc") differ."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()
