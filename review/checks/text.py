"""Text functions several check families share: reading a text safely, rough sentence spans,
the token at a position and whether the target is written in Latin script."""

from __future__ import annotations

import re

from review.checks.context import CheckContext
from review.core.vocab import CJK_LANGS, base_lang


def _latin_target(ctx: CheckContext) -> bool:
    return base_lang(ctx.target_lang) not in CJK_LANGS


def _text(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _sentences(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans (split after . ! ? followed by space and a capital or quote)."""
    spans, start = [], 0
    for m in re.finditer(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _token_at(text: str, pos: int) -> str:
    start = pos
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = pos
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]
