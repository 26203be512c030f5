"""Character spans through text changes: edits, splits and merges of segments.

Flags store exact offsets, so every operation that changes a text must move them with it
or the flag would mark the wrong words. Pure functions, tested without a database.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from review.core.errors import InputError

SPACELESS_SCRIPTS = (
    ("\u0e00", "\u0eff"),  # Thai, Lao
    ("\u1000", "\u109f"),  # Myanmar
    ("\u1780", "\u17ff"),  # Khmer
    ("\u3040", "\u30ff"),  # Hiragana, Katakana
    ("\u3400", "\u4dbf"),  # CJK extension A
    ("\u4e00", "\u9fff"),  # CJK unified ideographs
    ("\uf900", "\ufaff"),  # CJK compatibility ideographs
    ("\uff66", "\uff9f"),  # half-width Katakana
)
"""Scripts written without spaces between words: a selection there is kept character by
character (no segmenter guesses where a word ends). The workspace's JavaScript receives
these ranges from Python, so both sides snap alike."""
WORD_PUNCT = "_'’-"
"""Characters that join letters into one word ("don't", "well-known")."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def is_spaceless(ch: str) -> bool:
    """Whether ``ch`` belongs to a script written without spaces (Chinese, Japanese, Thai…)."""
    return any(lo <= ch <= hi for lo, hi in SPACELESS_SCRIPTS)


def _in_word(ch: str) -> bool:
    return (ch.isalnum() or ch in WORD_PUNCT) and not is_spaceless(ch)


def snap_to_words(text: str, start: int, end: int) -> Span:
    """Widen ``start..end`` to whole words where words are separated by spaces.

    A drag that ends inside a word takes the whole word. In scripts without spaces
    (Chinese, Japanese, Thai) the selection is kept exactly as made: one character dragged
    is one character flagged. A click (start == end) takes the word, or the one character,
    it falls on. Whitespace at the ends is dropped. The same rule runs in the browser.
    """
    if not 0 <= start <= end <= len(text):
        raise InputError(f"span {start}-{end} lies outside the text (0-{len(text)})")
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s == e:
        if s < len(text) and (_in_word(text[s]) or is_spaceless(text[s])):
            e = s + 1
        elif s > 0 and _in_word(text[s - 1]):
            s -= 1
        else:
            return Span(start, end)
    while s > 0 and _in_word(text[s - 1]) and _in_word(text[s]):
        s -= 1
    while e < len(text) and _in_word(text[e]) and _in_word(text[e - 1]):
        e += 1
    return Span(s, e)


def remap_edit(old: str, new: str, spans: list[Span]) -> list[Span | None]:
    """Where each span of ``old`` lies in ``new``; None when all its characters are gone.

    Character-level alignment: unchanged text keeps its marks, replaced text maps to its
    replacement, and a span whose text was deleted entirely has no place any more.
    """
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    blocks = matcher.get_opcodes()

    def where(pos: int, *, is_end: bool) -> int:
        for tag, i1, i2, j1, j2 in blocks:
            inside = i1 <= pos < i2 if not is_end else i1 < pos <= i2
            if not inside:
                continue
            if tag == "equal":
                return j1 + (pos - i1)
            return j2 if is_end else j1  # changed text maps to its whole replacement
        return len(new) if is_end or pos >= len(old) else 0

    out: list[Span | None] = []
    for span in spans:
        if span.start == span.end:  # a position (an omission marker)
            out.append(Span(where(span.start, is_end=False), where(span.start, is_end=False)))
            continue
        start, end = where(span.start, is_end=False), where(span.end, is_end=True)
        kept = any(tag in ("equal", "replace") and i1 < span.end and i2 > span.start
                   for tag, i1, i2, _, _ in blocks)
        if not kept or start >= end or not new[start:end].strip():
            out.append(None)
        else:  # an edit inside a word ("account" -> "accounts") keeps the whole word marked
            out.append(snap_to_words(new, start, end))
    return out


def split_at(text: str, at: int) -> tuple[str, str, str]:
    """``(left, separator, right)`` for a cut at ``at``; whitespace at the cut is the separator.

    Refuses a cut that would leave either side empty, so a split never makes a blank segment.
    """
    if not 0 < at < len(text):
        raise InputError(f"cannot split at {at}: put the cursor inside the text "
                         f"(1-{len(text) - 1})")
    left, right = text[:at].rstrip(), text[at:].lstrip()
    if not left.strip() or not right.strip():
        raise InputError("cannot split there: one of the two parts would be empty")
    return left, text[len(left):len(text) - len(right)], right


def split_spans(spans: list[Span], left_len: int, right_start: int
                ) -> list[tuple[int, Span]]:
    """Which half (0 or 1) each span goes to after a split, with its offsets in that half.

    ``left_len`` is the length of the left text, ``right_start`` the offset in the old text
    where the right text begins. A span across the cut goes to the half holding most of it
    (clipped), so an error is never counted twice.
    """
    out: list[tuple[int, Span]] = []
    for span in spans:
        in_left = max(0, min(span.end, left_len) - span.start)
        in_right = max(0, span.end - max(span.start, right_start))
        if span.start == span.end:
            side = 0 if span.start <= left_len else 1
        else:
            side = 0 if in_left >= in_right else 1
        if side == 0:
            out.append((0, Span(min(span.start, left_len), min(span.end, left_len))))
        else:
            out.append((1, Span(max(span.start, right_start) - right_start,
                                span.end - right_start)))
    return out


def merge_offset(left: str, separator: str) -> int:
    """How far the spans of the right segment move when it is appended to ``left``."""
    return len(left) + len(separator)


def shift(span: Span, by: int) -> Span:
    return Span(span.start + by, span.end + by)
