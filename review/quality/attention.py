"""Attention checks: corrupt a copy of a real segment with one known error and its span.

Each corruption returns the corrupted text and the span ``[start, end)`` in it that a
reviewer must flag (overlap counts). The text differs from the original only inside the span,
so a flag outside it can never be a lucky catch of the injected error. Deletions (a dropped
negation, an omitted clause) leave nothing to point at, so their span covers the words next
to the gap: that is where a reviewer marks an omission.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from review.core.vocab import CORRUPTION_KINDS


@dataclass(frozen=True)
class Corruption:
    kind: str
    text: str
    start: int
    end: int

    @property
    def span_text(self) -> str:
        return self.text[self.start:self.end]


NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
AUX = re.compile(r"\b(is|are|was|were|will|can|could|has|have|had|should|would|must|does|"
                 r"did|do|may|might)\b(?! not\b)", re.IGNORECASE)
NEGATION = re.compile(r"\b(\w+) (not|never) ", re.IGNORECASE)
ENTITY = re.compile(r"(?<=[a-z,;] )([A-Z][a-z]{2,}(?: [A-Z][a-z]+)*)")
WORD = re.compile(r"\b[A-Za-z]{3,}\b")
ENTITIES = ("Berlin", "Canada", "Shanghai", "Nairobi", "Madrid", "Toronto", "Peru",
            "Samsung", "Oxford", "Lisbon", "Norway", "Reuters")


def _number(text: str, rng: random.Random) -> Corruption | None:
    found = list(NUMBER.finditer(text))
    if found:
        m = rng.choice(found)
        digits = m.group()
        if digits.isdigit():
            value = int(digits)
            new = str(value + rng.choice([1, 2, 3]) if 1900 <= value <= 2100
                      else value + rng.randint(1, 9) if value < 10
                      else value * rng.choice([2, 3]) + rng.randint(1, 9))
        else:
            new = digits[:-1] + str((int(digits[-1]) + rng.randint(1, 8)) % 10)
        return Corruption("number", text[:m.start()] + new + text[m.end():], m.start(),
                          m.start() + len(new))
    months = list(MONTH.finditer(text))
    if not months:
        return None
    m = rng.choice(months)
    new = rng.choice([x for x in MONTHS if x != m.group()])
    return Corruption("number", text[:m.start()] + new + text[m.end():], m.start(),
                      m.start() + len(new))


def _negation(text: str, rng: random.Random) -> Corruption | None:
    negated = list(NEGATION.finditer(text))
    if negated:  # drop it: "does not go" -> "does go", the span is the word before
        m = rng.choice(negated)
        return Corruption("negation", text[:m.start(2)] + text[m.end():], m.start(1),
                          m.end(1))
    aux = list(AUX.finditer(text))
    if not aux:
        return None
    m = rng.choice(aux)
    at = m.end()
    return Corruption("negation", text[:at] + " not" + text[at:], at, at + 4)


def _entity(text: str, rng: random.Random) -> Corruption | None:
    found = list(ENTITY.finditer(text))
    if not found:
        return None
    m = rng.choice(found)
    others = sorted({f.group() for f in found} - {m.group()}) or \
        [e for e in ENTITIES if e != m.group()]
    new = rng.choice(others)
    return Corruption("entity", text[:m.start()] + new + text[m.end():], m.start(),
                      m.start() + len(new))


def _omission(text: str, rng: random.Random) -> Corruption | None:
    commas = [m.start() for m in re.finditer(r", ", text)]
    gaps = [(a, b) for a, b in zip(commas, commas[1:]) if len(text[a:b].split()) >= 2]
    if not gaps and commas:  # drop the last clause up to the final punctuation
        tail = text.rstrip()
        end = len(tail) - 1 if tail and tail[-1] in ".!?;" else len(tail)
        if len(text[commas[-1]:end].split()) >= 2:
            gaps = [(commas[-1], end)]
    if not gaps:
        return None
    a, b = rng.choice(gaps)
    corrupted = text[:a] + text[b:]
    before = text.rfind(" ", 0, a) + 1
    after = re.search(r"\w+", corrupted[a:])
    end = a + (after.end() if after and after.start() <= 2 else min(1, len(corrupted) - a))
    return Corruption("omission", corrupted, before, end)


def _doubled_word(text: str, rng: random.Random) -> Corruption | None:
    words = [m for m in WORD.finditer(text) if text[m.end():m.end() + 1] == " "]
    if not words:
        return None
    m = rng.choice(words)  # the span is the doubled pair: "the the"
    at = m.end() + 1
    return Corruption("doubled_word", text[:at] + m.group() + " " + text[at:], m.start(),
                      at + len(m.group()))


CORRUPTERS: dict[str, Callable[[str, random.Random], Corruption | None]] = {
    "number": _number, "negation": _negation, "entity": _entity, "omission": _omission,
    "doubled_word": _doubled_word,
}


def corrupt(text: str, kind: str, rng: random.Random) -> Corruption | None:
    """One corruption of ``kind``, or None when the text offers nothing to corrupt that way."""
    return CORRUPTERS[kind](text, rng)


def any_corruption(text: str, rng: random.Random) -> Corruption | None:
    """A corruption of a kind drawn at random among those the text allows."""
    kinds = list(CORRUPTION_KINDS)
    rng.shuffle(kinds)
    for kind in kinds:
        found = corrupt(text, kind, rng)
        if found is not None and found.text != text:
            return found
    return None


def overlaps(start: int | None, end: int | None, span: tuple[int, int]) -> bool:
    """A flag ``[start, end)`` shares a character with the span (a point counts as one)."""
    if start is None or end is None:
        return False
    lo, hi = span
    return start < hi and lo < max(end, start + 1)


def catches(start: int | None, end: int | None, span: tuple[int, int], *,
            omission_mark: bool = False) -> bool:
    """Whether a flag ``[start, end)`` catches the error at ``span``: more than half of the
    flag must lie inside the error, so flagging the whole sentence (or any wide stretch
    around it) catches nothing. An omission is caught by an omission mark (an empty span)
    at the gap, that is anywhere from the word before it to the word after it. A flag
    without a place catches nothing, since it does not say where the error is."""
    if start is None or end is None:
        return False
    lo, hi = span
    if end <= start:
        return omission_mark and lo <= start <= hi
    inside = max(0, min(end, hi) - max(start, lo))
    return 2 * inside > end - start


def occurrences(text: str, start: int | None, end: int | None
                ) -> list[tuple[int | None, int | None]]:
    """The flagged span and every other place its words occur: a reviewer who marks words
    by typing them cannot say which occurrence they meant, so any one may catch a check
    (a single character only where it stands alone, like a changed digit: inside words it
    would occur everywhere)."""
    if start is None or end is None or end <= start:
        return [(start, end)]
    needle = text[start:end]
    if not needle.strip():
        return [(start, end)]
    found: list[tuple[int | None, int | None]] = [(start, end)]
    at = text.find(needle)
    while at >= 0:
        if at != start and (len(needle.strip()) > 1 or _alone(text, at, at + len(needle))):
            found.append((at, at + len(needle)))
        at = text.find(needle, at + 1)
    return found


def _alone(text: str, start: int, end: int) -> bool:
    return ((start == 0 or not text[start - 1].isalnum())
            and (end >= len(text) or not text[end].isalnum()))


def queue_numbers(total: int, real: int) -> list[int]:
    """The "item n of ``real``" number of each of ``total`` queue positions: spread evenly
    over the real count, so the count never exceeds the real items and where a number
    repeats depends only on the totals, never on where the checks are."""
    if total <= 0:
        return []
    real = max(1, min(real, total))
    return [i * real // total + 1 for i in range(total)]


def differs_only_inside(original: str, corrupted: str, start: int, end: int) -> bool:
    """The property every corruption keeps: equal before ``start`` and after ``end``."""
    tail = len(corrupted) - end
    return (corrupted[:start] == original[:start] and tail <= len(original) - start
            and corrupted[end:] == original[len(original) - tail:])
