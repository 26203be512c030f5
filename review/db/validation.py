"""One rule for text on both databases: no NUL characters, no lone surrogates.

PostgreSQL refuses U+0000 in text with a raw driver error while SQLite stores it, so the
same import behaved differently per backend; a lone surrogate (U+D800-U+DFFF, from a JSON
``\\ud800`` escape or a typed text) is not a character, and both drivers fail on it with an
encoding traceback. Every statement's parameters pass through ``check_text_fields``
(hooked on the engines by ``review.db.store``): titles, texts, system names, settings and JSON
metadata alike, whichever service or page wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from review.core.errors import InputError

NUL = "\x00"
_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN = frozenset({int, float, bool, bytes})
_EMPTY_OK = frozenset({dict, list, tuple})
_MAX_DEPTH = 64
_LABELS = {"current": "text", "mt": "MT text"}


def has_nul(text: str) -> bool:
    return NUL in text


def has_surrogate(text: str) -> bool:
    """Whether ``text`` holds a lone surrogate (ASCII text, most of it, costs nothing)."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def nul_path(value: Any, depth: int = 0, test: Callable[[str], bool] = has_nul) -> str | None:
    """Where a NUL (or what ``test`` finds) hides in ``value`` ("" for the value itself,
    ``.key`` inside JSON)."""
    if isinstance(value, str):
        return "" if test(value) else None
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and test(key):
                return f".{key!r}".encode("ascii", "backslashreplace").decode()
            inner = nul_path(item, depth + 1, test)
            if inner is not None:
                return f".{key}{inner}"
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            inner = nul_path(item, depth + 1, test)
            if inner is not None:
                return f"[{index}]{inner}"
    return None


def check_text_fields(fields: Mapping[str, Any]) -> None:
    """Raise an ``InputError`` naming the first field that holds a NUL character or a
    lone surrogate."""
    for name, value in fields.items():
        if value is None or type(value) in _PLAIN or (type(value) in _EMPTY_OK and not value):
            continue
        if type(value) is str:  # most fields: no call, no recursion
            if NUL not in value and (value.isascii() or not _SURROGATE.search(value)):
                continue
        where = nul_path(value)
        if where is not None:
            raise InputError(f"the {_label(name)}{where} holds a NUL character (U+0000), "
                             "which cannot be stored; remove it and try again")
        where = nul_path(value, test=has_surrogate)
        if where is not None:
            raise InputError(f"the {_label(name)}{where} holds a lone surrogate (a code point "
                             "between U+D800 and U+DFFF, half of a pair), which is not a "
                             "character and cannot be stored; remove it and try again")


def _label(name: str) -> str:
    base = str(name).rstrip("_0123456789")
    return _LABELS.get(base, base.replace("_", " ") or "text")


def _cursor_parameter_sets(parameters: Any, context: Any) -> Iterable[Mapping[Any, Any]]:
    """The statement's parameters by name where SQLAlchemy compiled it (values written
    into ``update().values(...)`` included), else as the driver gets them."""
    compiled = getattr(context, "compiled_parameters", None) if context is not None else None
    if compiled:
        yield from compiled
        return
    if isinstance(parameters, Mapping):
        yield parameters
    elif isinstance(parameters, (list, tuple)):
        if parameters and all(isinstance(p, (Mapping, list, tuple)) for p in parameters):
            for item in parameters:
                yield item if isinstance(item, Mapping) else dict(enumerate(item))
        else:
            yield dict(enumerate(parameters))


def install(engine: Engine) -> None:
    """Check every statement run on ``engine`` before it reaches the driver."""

    @event.listens_for(engine, "before_cursor_execute")
    def _refuse_bad_text(_conn, _cursor, _statement, parameters, context,  # noqa: ANN001
                         _executemany) -> None:
        for fields in _cursor_parameter_sets(parameters, context):
            check_text_fields(fields)
