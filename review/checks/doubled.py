"""The same word twice in a row ("the the"), with the doublings English allows."""

from __future__ import annotations

import re

from review.checks.context import CheckContext, Suggestion
from review.checks.text import _latin_target, _text

_DOUBLED = re.compile(r"\b([^\W\d_]+)\s+(\1)\b", re.IGNORECASE)
_DOUBLE_OK = {"had", "that", "bye", "no", "yes", "ha", "so", "knock", "tut", "hush"}


def check_doubled_words(ctx: CheckContext) -> list[Suggestion]:
    if not _latin_target(ctx):
        return []
    return [Suggestion("doubled_words", "Fluency/Grammar", "Minor", m.start(2), m.end(2),
                       f"Doubled word: {m.group()!r}.")
            for m in _DOUBLED.finditer(_text(ctx.mt)) if m.group(1).lower() not in _DOUBLE_OK]
