"""Suspect spans: MT words that the retranslation does not support.

When an independent translation of the same source says something else, the words of the MT
it lacks are where a reviewer should look first. This is lighter than a flag: a highlight
the reviewer can confirm into a flag or ignore.

Words are compared after lower-casing, and a word also counts as supported when the
retranslation has a word sharing its first ``STEM`` letters (inflection: "accounted" and
"accounts"; German compounds and case endings). Function words and punctuation are never
suspect on their own: they move with every rephrasing. In CJK targets each character is a
word. Neighbouring suspect words (only spaces or punctuation between) merge into one span.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

STEM = 5
_CJK_RANGES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_WORD = re.compile(f"[{_CJK_RANGES}]|[^\\W_{_CJK_RANGES}]+(?:['’.-][^\\W_{_CJK_RANGES}]+)*")

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "a an the of in on at to for from by with as and or but nor so if than that this these "
        "those it its is are was were be been being has have had do does did will would shall "
        "should can could may might must not no he she they we you i his her their our your my "
        "him them us me which who whom whose what when where while there here also very more "
        "most such into about over after before up out".split()),
    "de": frozenset(
        "der die das den dem des ein eine einen einem einer eines und oder aber in im ins an am "
        "auf zu zum zur von vom mit für aus bei nach über unter um als wie dass daß ist sind war "
        "waren sein hat haben hatte wird werden wurde es er sie wir ihr ich du man sich nicht "
        "auch so noch nur schon sehr mehr da hier dort wenn was wer wo dieser diese "
        "dieses".split()),
}


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str


def lang_key(lang: str | None) -> str:
    return (lang or "").strip().lower().replace("_", "-").split("-")[0]


def words(text: str) -> list[Word]:
    """Word tokens with character offsets (each CJK character is a word of its own)."""
    return [Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(text or "")]


def _norm(token: str) -> str:
    return token.lower().replace("’", "'")


def unsupported(mt: str, retranslation: str, lang: str = "en") -> list[Word]:
    """MT content words with no counterpart left in the retranslation (each retranslation
    word supports one MT word; exact matches are paired first, then shared stems)."""
    mine = words(mt)
    theirs = [_norm(w.text) for w in words(retranslation)]
    exact = Counter(theirs)
    stems = Counter(t[:STEM] for t in theirs if len(t) >= STEM)
    stop = FUNCTION_WORDS.get(lang_key(lang), frozenset())
    pending = []
    for w in mine:
        key = _norm(w.text)
        if exact[key] > 0:
            exact[key] -= 1
            if len(key) >= STEM:
                stems[key[:STEM]] -= 1
        else:
            pending.append(w)
    out = []
    for w in pending:
        key = _norm(w.text)
        if key in stop or not any(ch.isalnum() for ch in key):
            continue
        if len(key) >= STEM and stems[key[:STEM]] > 0:
            stems[key[:STEM]] -= 1
            continue
        out.append(w)
    return out


def suspect_spans(mt: str, retranslation: str, lang: str = "en") -> list[tuple[int, int]]:
    """Character spans of the MT that the retranslation does not support, neighbours merged;
    none when there is no retranslation to compare with."""
    if not (retranslation or "").strip() or not (mt or "").strip():
        return []
    spans: list[tuple[int, int]] = []
    for w in unsupported(mt, retranslation, lang):
        if spans and not mt[spans[-1][1]:w.start].strip(" ,;:-–—\"'“”‘’()"):
            spans[-1] = (spans[-1][0], w.end)
        else:
            spans.append((w.start, w.end))
    return spans


def unsupported_share(mt: str, retranslation: str, lang: str = "en") -> float | None:
    """Share of the MT's words the retranslation does not support (None without one)."""
    if not (retranslation or "").strip():
        return None
    n = len(words(mt))
    return len(unsupported(mt, retranslation, lang)) / n if n else 0.0
