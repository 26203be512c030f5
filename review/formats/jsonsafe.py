"""JSON from files, bounded and unambiguous: what a file's JSON may not do gets a message,
not a traceback, and never a silent guess.

Python's decoder recurses once per level, so ``[[[[…`` a few thousand deep raises
``RecursionError``; and anything kept from a file (extra JSONL keys go into segment
metadata) is serialised again later, by code that recurses too. Values are therefore
refused past ``MAX_DEPTH`` levels, measured without recursion.

Two more things the decoder accepts and the store cannot keep honestly are refused:

- a key twice in one object (``{"mt": "a", "mt": "b"}``): the decoder keeps the last one
  silently, so which text the file meant is a guess;
- a lone surrogate escape (``"\\ud800"``): not a character, so no database can store it
  (the driver fails with an encoding error deep in a write).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

MAX_DEPTH = 32
"""Nesting levels a value from a file may have; real files use two or three."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class JsonTooDeep(ValueError):
    """A JSON value nested deeper than ``MAX_DEPTH``."""


class JsonRefused(json.JSONDecodeError):
    """Valid JSON syntax the workbench will not read: a repeated key, a lone surrogate.

    A ``JSONDecodeError`` so that callers treating bad JSON as "not JSON" keep doing so;
    ``reason`` says what to fix, in words."""

    def __init__(self, reason: str, doc: str, pos: int = 0) -> None:
        super().__init__(reason, doc, pos)
        self.reason = reason


def depth(value: Any) -> int:
    """How many container levels ``value`` has (a string or number has 0)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level) for child in children)
    return deepest


def has_surrogate(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate code point (U+D800-U+DFFF)."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Repeated(key)
            seen.add(key)
    return obj


class _Repeated(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _strings(value: Any) -> Any:
    """Every string in ``value``, keys included (without recursion)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from item.keys()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that raises ``JsonTooDeep`` instead of recursing without end, and
    ``JsonRefused`` for a key given twice in one object or a lone surrogate escape."""
    doc = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise JsonTooDeep(f"nested more than {max_depth} levels deep") from None
    except _Repeated as repeated:
        key = repeated.key
        raise JsonRefused(f"the key {key!r} appears twice in one object; keep one, since "
                          "which value is meant cannot be told", doc,
                          max(0, doc.find(json.dumps(key)))) from None
    if depth(value) > max_depth:
        raise JsonTooDeep(f"nested more than {max_depth} levels deep")
    if _SURROGATE_ESCAPE.search(doc) and any(has_surrogate(s) for s in _strings(value)):
        escape, at = _lone_escape(doc)
        raise JsonRefused(f"the escape {escape} is half of a surrogate pair, not a "
                          "character, and cannot be stored; write the character itself or "
                          "the full pair", doc, at)
    return value


def _lone_escape(doc: str) -> tuple[str, int]:
    """The first surrogate escape in ``doc`` that is not half of a pair, and where."""
    matches = list(_SURROGATE_ESCAPE.finditer(doc))
    for i, match in enumerate(matches):
        high = match.group()[3].lower() in "89ab"
        follows = matches[i + 1] if i + 1 < len(matches) else None
        paired = (high and follows is not None and follows.start() == match.end()
                  and follows.group()[3].lower() in "cdef")
        after_high = (i > 0 and matches[i - 1].end() == match.start()
                      and matches[i - 1].group()[3].lower() in "89ab" and not high)
        if not paired and not after_high:
            return match.group(), match.start()
    return matches[0].group(), matches[0].start()
