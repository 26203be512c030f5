"""Rows a deletion will take with it, written down as plain JSON and put back with the same
ids: a merge keeps the second segment this way, so that undoing the merge gives back the
segment everything else points at (links, flags, history, scores), not a look-alike.

The rows are found by following every foreign key down from the deleted row, so a table
added later that hangs on a segment is kept without changes here.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, Table, insert, select
from sqlalchemy.orm import Session

from review.db.models import Base


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def _typed(table: Table, row: dict) -> dict:
    out = {}
    for name, value in row.items():
        column_type = table.columns[name].type
        if value is not None and isinstance(column_type, DateTime):
            value = datetime.fromisoformat(str(value))
        elif value is not None and isinstance(column_type, LargeBinary):
            value = bytes.fromhex(str(value))
        out[name] = value
    return out


def _children(parent: Table) -> list[tuple[Table, str, str]]:
    """(table, its column, the parent's column) for every foreign key onto ``parent``."""
    return [(table, fk.parent.name, fk.column.name)
            for table in Base.metadata.sorted_tables
            for fk in table.foreign_keys if fk.column.table is parent]


def keep(session: Session, table_name: str, ids: Collection[object],
         spared: dict[str, set] | None = None) -> dict[str, list[dict]]:
    """Every row of the table with one of ``ids`` and every row hanging on them, by table.

    ``spared`` names rows (table to ids) that stay in the database, so neither they nor
    what hangs on them are kept.
    """
    spared = spared or {}
    kept: dict[str, list[dict]] = {}
    todo: list[tuple[Table, str, set]] = [(Base.metadata.tables[table_name], "id", set(ids))]
    while todo:
        current, column, values = todo.pop()
        if not values:
            continue
        rows = [dict(r) for r in session.execute(
            select(current).where(current.columns[column].in_(values))).mappings()]
        rows = [r for r in rows if r.get("id") not in spared.get(current.name, set())]
        known = {r.get("id") for r in kept.get(current.name, [])}
        rows = [r for r in rows if r.get("id") not in known]
        if not rows:
            continue
        kept.setdefault(current.name, []).extend(
            {k: _plain(v) for k, v in r.items()} for r in rows)
        for child, child_column, parent_column in _children(current):
            todo.append((child, child_column, {r[parent_column] for r in rows}))
    return kept


def put_back(session: Session, kept: dict[str, list[dict]]) -> dict[tuple[str, int], int]:
    """Insert the kept rows again, parents before children, each with its own id.

    A database that hands out a freed id again (SQLite does, for the highest one) may have
    given it to a new row meanwhile: such a row comes back with a new id, and the kept rows
    that point at it follow. Returns (table, old id) to new id for those.
    """
    moved: dict[tuple[str, int], int] = {}
    for table in Base.metadata.sorted_tables:
        rows = _with_parents(session, table, [_typed(table, _follow(table, r, moved))
                                              for r in kept.get(table.name, [])])
        if not rows:
            continue
        taken = set(session.scalars(select(table.c.id).where(
            table.c.id.in_([r["id"] for r in rows]))))
        free = [r for r in rows if r["id"] not in taken]
        if free:
            session.execute(insert(table), free)
        for row in rows:
            if row["id"] in taken:
                old = row.pop("id")
                new = session.scalar(insert(table).values(**row).returning(table.c.id))
                moved[(table.name, old)] = int(new)
    return moved


def _with_parents(session: Session, table: Table, rows: list[dict]) -> list[dict]:
    """The rows whose parents are all still there: one whose parent was deleted meanwhile
    (an assignment ended, say) stays deleted, as the cascade would have done."""
    for fk in table.foreign_keys:
        column = fk.parent.name
        wanted = {r[column] for r in rows if r.get(column) is not None}
        if not wanted:
            continue
        there = set(session.scalars(select(fk.column).where(fk.column.in_(wanted))))
        rows = [r for r in rows if r.get(column) is None or r[column] in there]
    return rows


def _follow(table: Table, row: dict, moved: dict[tuple[str, int], int]) -> dict:
    """The row with its foreign keys pointing at the new ids of rows that got one."""
    out = dict(row)
    for fk in table.foreign_keys:
        key = (fk.column.table.name, out.get(fk.parent.name))
        if key in moved:
            out[fk.parent.name] = moved[key]
    return out
