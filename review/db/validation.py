"""One rule for text on both databases: no NUL characters.

PostgreSQL refuses U+0000 in text with a raw driver error while SQLite stores it, so the
same import behaved differently per backend. Every statement's parameters pass through
``refuse_nul`` (hooked on the engines by ``review.db.store``): titles, texts, system names,
settings and JSON metadata alike, whichever service or page wrote them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from review.core.errors import InputError

NUL = "\x00"
_PLAIN = frozenset({int, float, bool, bytes})
_MAX_DEPTH = 64


def nul_path(value: Any, depth: int = 0) -> str | None:
    """Where a NUL hides in ``value`` ("" for the value itself, ``.key`` inside JSON)."""
    if isinstance(value, str):
        return "" if NUL in value else None
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and NUL in key:
                return f".{key!r}"
            inner = nul_path(item, depth + 1)
            if inner is not None:
                return f".{key}{inner}"
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            inner = nul_path(item, depth + 1)
            if inner is not None:
                return f"[{index}]{inner}"
    return None


def check_text_fields(fields: Mapping[str, Any]) -> None:
    """Raise an ``InputError`` naming the first field that holds a NUL character."""
    for name, value in fields.items():
        if value is None or type(value) in _PLAIN:
            continue
        if type(value) is str:  # most fields: no call, no recursion
            if NUL not in value:
                continue
        where = nul_path(value)
        if where is not None:
            raise InputError(f"the {_label(name)}{where} holds a NUL character (U+0000), "
                             "which cannot be stored; remove it and try again")


def _label(name: str) -> str:
    return str(name).rstrip("_0123456789").replace("_", " ") or "text"


def _parameter_sets(multiparams: Iterable[Any], params: Mapping[str, Any]
                    ) -> Iterable[Mapping[str, Any]]:
    if params:
        yield params
    for item in multiparams or ():
        if isinstance(item, Mapping):
            yield item
        elif isinstance(item, (list, tuple)):
            yield from (p for p in item if isinstance(p, Mapping))


def install(engine: Engine) -> None:
    """Check every statement run on ``engine`` before it reaches the driver."""

    @event.listens_for(engine, "before_execute")
    def _refuse_nul(_conn, _clause, multiparams, params, _options) -> None:  # noqa: ANN001
        for fields in _parameter_sets(multiparams, params):
            check_text_fields(fields)
