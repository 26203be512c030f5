"""Account names: one normal form, no invisible characters, and one key look-alikes share.

Names are stored in NFKC (full-width ``ｒａｃｅ`` becomes ``race``). A name may not hold a
character that shows nothing: a name that displays as "rita" must be "rita". Refused are the
whole Unicode ``Default_Ignorable_Code_Point`` class (the table below, from
DerivedCoreProperties.txt: fillers such as U+3164 and U+115F, joiners such as U+034F,
variation selectors, tags...), every control, format, surrogate, private-use, unassigned,
line and paragraph separator character (by ``unicodedata`` category), every space but the
plain one, characters that draw as blanks (U+2800 and the few below), a combining mark at
the start, and long runs of combining marks.

The key also folds case and replaces every non-ASCII character that has an ASCII look-alike
(Cyrillic ``а``, Greek ``ο``, mathematical ``𝐚`` ...) by it, so ``Race1``, ``RACE1`` and
``rаce1`` share a key; default-ignorable characters are dropped from it, so an older name
that holds one still collides with its visible twin. A unique index on the key lets the
database refuse such twins even when two requests race, on SQLite and PostgreSQL alike.
ASCII characters stay as they are: ``l`` and ``1`` differ.
"""

from __future__ import annotations

import bisect
import unicodedata
from functools import lru_cache

DEFAULT_IGNORABLE: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
"""Default_Ignorable_Code_Point, Unicode 15 (the same ranges since 9.0): inclusive ranges."""
_DI_STARTS = [start for start, _ in DEFAULT_IGNORABLE]

BLANK_GLYPHS = frozenset({
    0x2800,   # BRAILLE PATTERN BLANK
    0x16FE4,  # KHITAN SMALL SCRIPT FILLER
    0x1D159,  # MUSICAL SYMBOL NULL NOTEHEAD
    0xFFFC,   # OBJECT REPLACEMENT CHARACTER
})
"""Characters outside the categories below that draw nothing visible in common fonts."""

INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
MAX_COMBINING_RUN = 3


def normalise_name(name: str) -> str:
    """The stored form of an account name: NFKC, outer spaces removed."""
    return unicodedata.normalize("NFKC", name or "").strip()


def is_default_ignorable(ch: str) -> bool:
    code = ord(ch)
    i = bisect.bisect_right(_DI_STARTS, code) - 1
    return i >= 0 and DEFAULT_IGNORABLE[i][0] <= code <= DEFAULT_IGNORABLE[i][1]


def is_invisible(ch: str) -> bool:
    """Whether ``ch`` shows nothing (or nothing reliable) where a name is displayed."""
    if ch == " ":
        return False
    category = unicodedata.category(ch)
    return (is_default_ignorable(ch) or ord(ch) in BLANK_GLYPHS
            or category in INVISIBLE_CATEGORIES or category == "Zs")


def describe(ch: str) -> str:
    """``U+3164 HANGUL FILLER``, for messages."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def invisible_problem(name: str) -> str | None:
    """Why ``name`` (already normalised) cannot be an account name, or None."""
    run = 0
    for position, ch in enumerate(name, start=1):
        if is_invisible(ch):
            return (f"an account name may not hold invisible characters ({describe(ch)} at "
                    f"position {position}); type the name with visible letters only")
        if unicodedata.category(ch).startswith("M"):
            run += 1
            if position == 1 or name[position - 2] == " ":
                return (f"an account name may not start a word with a combining mark "
                        f"({describe(ch)} at position {position})")
            if run > MAX_COMBINING_RUN:
                return (f"an account name may not stack more than {MAX_COMBINING_RUN} "
                        f"combining marks on one letter (position {position})")
        else:
            run = 0
    return None


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
    """The key two confusable spellings of a name share (case and look-alikes folded,
    default-ignorable characters dropped)."""
    folded = "".join(ch for ch in normalise_name(name).casefold()
                     if not is_default_ignorable(ch))
    skeleton = "".join(ch if ch.isascii() else _ascii_lookalike(ch) for ch in folded)
    return unicodedata.normalize("NFKC", skeleton).casefold().strip()
