"""Long ``IN`` lists in slices, so no statement carries more than a few thousand bound
parameters on either database.

PostgreSQL (psycopg 3) refuses a statement with more than 65,535 parameters and SQLite
raises "too many SQL variables" at about 250,000, so reading or exporting an article of
262,000 segments by a list of its segment ids failed on both. Every query over the ids of a
whole article or import goes through ``in_batches`` (reads) or ``chunks`` (writes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy.orm import Session

IN_BATCH = 1_000
"""Values one ``IN`` list may hold; the statement's other parameters come on top."""

T = TypeVar("T")


def chunks(values: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    """``values`` in lists of at most ``size`` (``IN_BATCH``; nothing for no values)."""
    size = size or IN_BATCH
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def in_batches(session: Session, query: Callable[[list[T]], Any], values: Sequence[T] | Iterable[T],
               *, scalars: bool = False, size: int | None = None) -> Iterator[Any]:
    """The rows of ``query(batch)`` for each batch of ``values`` in turn.

    ``query`` builds the statement for one batch (``lambda ids: select(...).where(
    X.id.in_(ids))``); rows come batch after batch, each batch in the statement's own
    order, so a caller that groups rows by id gets the same groups as one big query.
    ``scalars`` yields ``session.scalars`` results (ORM objects) instead of rows.
    """
    run = session.scalars if scalars else session.execute
    for batch in chunks(values, size):
        yield from run(query(batch))
