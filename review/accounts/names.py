"""Account names: one normal form, and one key that two look-alike names share.

Names are stored in NFKC (full-width ``ｒａｃｅ`` becomes ``race``). The key also folds case
and replaces every non-ASCII character that has an ASCII look-alike (Cyrillic ``а``, Greek
``ο``, mathematical ``𝐚`` ...) by it, so ``Race1``, ``RACE1`` and ``rаce1`` share a key. A
unique index on the key lets the database refuse such twins even when two requests race,
on SQLite and PostgreSQL alike. ASCII characters stay as they are: ``l`` and ``1`` differ.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def normalise_name(name: str) -> str:
    """The stored form of an account name: NFKC, outer spaces removed."""
    return unicodedata.normalize("NFKC", name or "").strip()


@lru_cache(maxsize=4096)
def _ascii_lookalike(ch: str) -> str:
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(ch, greedy=True, preferred_aliases=[]) or []
    for entry in found:
        for glyph in entry["homoglyphs"]:
            other = glyph["c"]
            if len(other) == 1 and other.isascii() and other.isprintable():
                return other
    return ch


def name_key(name: str) -> str:
    """The key two confusable spellings of a name share (case and look-alikes folded)."""
    folded = normalise_name(name).casefold()
    skeleton = "".join(ch if ch.isascii() else _ascii_lookalike(ch) for ch in folded)
    return unicodedata.normalize("NFKC", skeleton).casefold()
