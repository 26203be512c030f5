"""Rows that must exist: those a foreign key or an earlier read in the same transaction
guarantees."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


def existing(session: Session, model: type[T], key: Any) -> T:
    """The row ``key`` of ``model``, which the caller knows is there; a missing one is a
    broken invariant, not a user's mistake."""
    row = session.get(model, key)
    if row is None:
        raise LookupError(f"{model.__name__} {key!r} is missing")
    return row
