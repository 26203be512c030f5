"""Which language a text is in, told from its script where the script says it.

A bilingual file without ``--source-lang`` left the source language unknown ("?", ``und``
in XLIFF), although Chinese, Japanese or Korean sources announce themselves by their
characters. Scripts used by essentially one language of the workbench's audience name it;
Latin, Cyrillic and Arabic text are shared by many languages and are left to the user.
The guess comes with the evidence, so the import can say what it assumed.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

SAMPLE_CHARS = 20_000
"""Letters looked at: enough to be sure, bounded however long the file is."""

MIN_SHARE = 0.6
"""Share of letters a script needs before it names the language."""

_SCRIPT_PREFIXES = (
    ("CJK UNIFIED IDEOGRAPH", "Han"), ("CJK COMPATIBILITY IDEOGRAPH", "Han"),
    ("HIRAGANA", "Kana"), ("KATAKANA", "Kana"), ("HANGUL", "Hangul"),
    ("THAI", "Thai"), ("GREEK", "Greek"), ("HEBREW", "Hebrew"), ("GEORGIAN", "Georgian"),
    ("ARMENIAN", "Armenian"), ("DEVANAGARI", "Devanagari"), ("LATIN", "Latin"),
    ("CYRILLIC", "Cyrillic"), ("ARABIC", "Arabic"),
)
_LANGUAGE = {"Han": "zh", "Kana": "ja", "Hangul": "ko", "Thai": "th", "Greek": "el",
             "Hebrew": "he", "Georgian": "ka", "Armenian": "hy", "Devanagari": "hi"}


@dataclass(frozen=True)
class LanguageGuess:
    code: str
    script: str
    share: float

    def explain(self) -> str:
        return (f"{self.code} (assumed from the script: {self.script} in "
                f"{self.share:.0%} of the letters)")


def _script(ch: str) -> str | None:
    name = unicodedata.name(ch, "")
    return next((script for prefix, script in _SCRIPT_PREFIXES if name.startswith(prefix)),
                None)


def guess_language(texts: Iterable[str]) -> LanguageGuess | None:
    """The language the texts' script names, or ``None`` when it names none."""
    counts: Counter[str] = Counter()
    seen = 0
    for text in texts:
        for ch in text or "":
            if not ch.isalpha():
                continue
            script = _script(ch)
            if script:
                counts[script] += 1
            seen += 1
            if seen >= SAMPLE_CHARS:
                break
        if seen >= SAMPLE_CHARS:
            break
    if not seen:
        return None
    if counts["Kana"] >= 0.05 * seen and counts["Kana"] + counts["Han"] >= MIN_SHARE * seen:
        return LanguageGuess("ja", "Kana and Han", (counts["Kana"] + counts["Han"]) / seen)
    script, count = counts.most_common(1)[0] if counts else ("", 0)
    if script in _LANGUAGE and count >= MIN_SHARE * seen:
        return LanguageGuess(_LANGUAGE[script], script, count / seen)
    return None
