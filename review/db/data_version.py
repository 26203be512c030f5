"""The library's data version: one counter, bumped by every write that changes what a view
shows, read in one indexed lookup.

Views cache what they computed under the version they read; before, the version was an
aggregate over six whole tables (nearly a second per page view at millions of rows). Now
the write transaction itself says that it changed something: the unit of work's objects
and the statements it ran are watched, and at commit one ``UPDATE`` bumps the counter in
the same transaction, so the new version is visible exactly when the data is.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from review.db.operations import DataVersion

LIBRARY = "library"
"""The counter's name for everything the dashboards, reports and verdicts read."""

UNWATCHED = frozenset({
    "data_versions", "score_cache", "translation_cache", "login_attempts",
    "one_time_tokens", "presence", "jobs", "original_files", "check_norms",
})
"""Tables whose writes change no figure a view shows: caches (the checks' article norms
too), logins, heartbeats, the job records and the kept original files. Every other table
is watched, so a table added later is counted unless it is named here."""

_CHANGED = "review.data_changed"


def current(session: Session) -> int:
    """The counter as this transaction sees it (0 before the first counted write)."""
    value = session.scalar(select(DataVersion.counter).where(DataVersion.name == LIBRARY))
    return int(value or 0)


def install(factory: sessionmaker) -> None:
    """Make every write session from ``factory`` bump the counter when it changes data."""
    event.listen(factory, "before_flush", _note_unit_of_work)
    event.listen(factory, "do_orm_execute", _note_statement)
    event.listen(factory, "before_commit", _bump)


def _watched(table_name: str | None) -> bool:
    return bool(table_name) and table_name not in UNWATCHED


def _note_unit_of_work(session: Session, _context: object, _instances: object) -> None:
    if session.info.get(_CHANGED):
        return
    for obj in chain(session.new, session.dirty, session.deleted):
        table = getattr(obj, "__tablename__", None)
        if _watched(table):
            session.info[_CHANGED] = True
            return


def _note_statement(state: ORMExecuteState) -> None:
    if session_changed(state.session) or not (state.is_insert or state.is_update
                                              or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if _watched(getattr(table, "name", None)):
        state.session.info[_CHANGED] = True


def session_changed(session: Session) -> bool:
    return bool(session.info.get(_CHANGED))


def _bump(session: Session) -> None:
    session.flush()  # the last objects, so their tables are noted before deciding
    if not session.info.pop(_CHANGED, False):
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    # One statement that also creates the row where a schema lacks it: writers that meet
    # an empty table at once never collide on its key.
    session.execute(insert(DataVersion).values(name=LIBRARY, counter=1).on_conflict_do_update(
        index_elements=[DataVersion.name], set_={"counter": DataVersion.counter + 1}))
