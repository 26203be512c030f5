"""Script checks for a Latin-script MT: Chinese, Japanese or Korean text left
untranslated, and full-width punctuation or digits.
"""

from __future__ import annotations

import re

from review.checks.context import CheckContext, Suggestion
from review.checks.text import _latin_target, _text

_CJK_LETTER = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef"
_CJK_RUN = re.compile(f"[{_CJK_LETTER}](?:[{_CJK_LETTER}{_CJK_PUNCT}\\s\\d]*[{_CJK_LETTER}])?")
_FULLWIDTH = re.compile(r"[\u3000-\u303f\uff01-\uff65]")


def check_untranslated(ctx: CheckContext) -> list[Suggestion]:
    if not _latin_target(ctx):
        return []
    out = []
    for m in _CJK_RUN.finditer(_text(ctx.mt)):
        letters = len(re.findall(f"[{_CJK_LETTER}]", m.group()))
        out.append(Suggestion(
            "untranslated", "Accuracy/Untranslated text", "Major" if letters >= 3 else "Minor",
            m.start(), m.end(), f"Untranslated text left in the MT: {m.group()}"))
    return out


def check_fullwidth(ctx: CheckContext) -> list[Suggestion]:
    if not _latin_target(ctx):
        return []
    mt = _text(ctx.mt)
    inside = [(m.start(), m.end()) for m in _CJK_RUN.finditer(mt)]
    out = []
    for m in _FULLWIDTH.finditer(mt):
        if any(s <= m.start() < e for s, e in inside):
            continue
        ch = m.group()
        what = "full-width digit or letter" if ch.isalnum() else "full-width punctuation"
        out.append(Suggestion("fullwidth", "Fluency/Punctuation", "Minor", m.start(), m.end(),
                              f"{what} {ch!r} in {ctx.target_lang or 'a Latin-script'} text."))
    return out
