"""Spacing around punctuation and unbalanced brackets and quotation marks."""

from __future__ import annotations

import re

from review.checks.context import CheckContext, Suggestion
from review.checks.text import _latin_target, _text, _token_at
from review.core.vocab import base_lang

_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")
_NO_SPACE_AFTER = re.compile(r"(?<=[a-z])([,;:])(?=[A-Za-z])")
_SPACE_BEFORE = re.compile(r"(?<=\w)( +)(?=[,.;:!?](?:\s|$))")


def check_spacing(ctx: CheckContext) -> list[Suggestion]:
    if not _latin_target(ctx):
        return []
    mt = _text(ctx.mt)
    out = []
    for m in _DOUBLE_SPACE.finditer(mt):
        out.append(Suggestion("spacing", "Fluency/Punctuation", "Minor", m.start(), m.end(),
                              "Double space."))
    for m in _NO_SPACE_AFTER.finditer(mt):
        token = _token_at(mt, m.start())
        if "://" in token or token.lower().startswith(("http", "www.", "mailto:")):
            continue
        out.append(Suggestion("spacing", "Fluency/Punctuation", "Minor", m.start(), m.end(),
                              f"No space after {m.group(1)!r}."))
    if base_lang(ctx.target_lang) != "fr":
        for m in _SPACE_BEFORE.finditer(mt):
            out.append(Suggestion("spacing", "Fluency/Punctuation", "Minor", m.start(), m.end(),
                                  f"Space before {mt[m.end()]!r}."))
    return sorted(out, key=lambda s: s.start or 0)


_PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "「": "」", "『": "』", "（": "）",
          "【": "】", "《": "》", "〈": "〉", "«": "»"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def _brackets(text: str) -> list[tuple[int, str]]:
    """Unbalanced brackets/quotes, allowing a quotation that runs on into the next segment
    (an opener with no closer after it) or began in the previous one (a closer with no
    opener before it)."""
    stack: list[tuple[int, str]] = []
    unmatched: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        if ch == '"':
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < len(text) else " "
            opening = (prev.isspace() or prev in "([{—–-/") and not nxt.isspace()
            if not opening and stack and stack[-1][1] == '"':
                stack.pop()
            elif opening:
                stack.append((i, '"'))
            else:
                unmatched.append((i, '"'))
        elif ch in _PAIRS:
            stack.append((i, ch))
        elif ch in _CLOSERS:
            if stack and stack[-1][1] == _CLOSERS[ch]:
                stack.pop()
            elif any(o == _CLOSERS[ch] for _, o in stack):
                while stack and stack[-1][1] != _CLOSERS[ch]:
                    unmatched.append(stack.pop())
                stack.pop()
            else:
                unmatched.append((i, ch))
    leftovers = sorted(unmatched + stack)
    openers = [p for p, ch in leftovers if ch in _PAIRS or (ch == '"' and (p, ch) in stack)]
    closers = [p for p, _ in leftovers if p not in openers]
    if openers and closers and max(closers) > min(openers):
        return leftovers  # '(2023]': an opener closed by the wrong partner
    result = []
    for pos, ch in leftovers:
        if ch in _PAIRS or (ch == '"' and (pos, ch) in stack):  # an opener
            closer = _PAIRS.get(ch, '"')
            if closer not in text[pos + 1:]:
                continue
        else:  # a closer
            opener = _CLOSERS.get(ch, '"')
            if opener not in text[:pos]:
                continue
        result.append((pos, ch))
    return sorted(result)


def check_brackets(ctx: CheckContext) -> list[Suggestion]:
    mt = _text(ctx.mt)
    return [Suggestion("brackets", "Fluency/Punctuation", "Minor", pos, pos + 1,
                       f"Unbalanced {ch!r}: its partner is missing or misplaced.")
            for pos, ch in _brackets(mt)]
