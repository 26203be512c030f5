"""JSON from files, bounded in nesting: deep brackets give a message, not a traceback.

Python's decoder recurses once per level, so ``[[[[…`` a few thousand deep raises
``RecursionError``; and anything kept from a file (extra JSONL keys go into segment
metadata) is serialised again later, by code that recurses too. Values are therefore
refused past ``MAX_DEPTH`` levels, measured without recursion.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32
"""Nesting levels a value from a file may have; real files use two or three."""


class JsonTooDeep(ValueError):
    """A JSON value nested deeper than ``MAX_DEPTH``."""


def depth(value: Any) -> int:
    """How many container levels ``value`` has (a string or number has 0)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
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


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that raises ``JsonTooDeep`` instead of recursing without end."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise JsonTooDeep(f"nested more than {max_depth} levels deep") from None
    if depth(value) > max_depth:
        raise JsonTooDeep(f"nested more than {max_depth} levels deep")
    return value
