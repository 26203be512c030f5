"""Database access: engines, sessions and migrations for SQLite (default) and PostgreSQL.

SQLite runs in WAL mode with a busy timeout, and write transactions start with
``BEGIN IMMEDIATE`` so two processes never deadlock upgrading a read lock to a write lock
(the usual source of "database is locked").
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from review.core.errors import InputError
from review.db import data_version, validation
from review.db.faults import (
    BUSY_MESSAGE,
    OPENING_ERRORS,
    DatabaseBusy,
    check_scheme,
    is_busy,
    opening_error,
)

DEFAULT_DATABASE_URL = "sqlite:///review.db"
SQLITE_BUSY_MS = 30_000
"""How long background work (imports, scoring) waits for another writer on SQLite."""
INTERACTIVE_WAIT_S = 5.0
"""How long a reviewer's save waits for another writer before asking to try again."""
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def database_url(explicit: str | None = None) -> str:
    """The URL to use: an explicit one, else ``REVIEW_DATABASE_URL``, else ``review.db``."""
    return explicit or os.environ.get("REVIEW_DATABASE_URL") or DEFAULT_DATABASE_URL


def _normalise(url: str) -> str:
    """Accept ``postgresql://`` URLs and route them to the psycopg 3 driver."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_engine(url: str, begin: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                           hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        conn.exec_driver_sql(begin)

    return engine


class Store:
    """Owns the engines and hands out transactions; one per database URL."""

    def __init__(self, url: str | None = None) -> None:
        self.url = _normalise(database_url(url))
        try:
            parsed = make_url(self.url)
        except Exception as exc:  # sqlalchemy raises ArgumentError with a terse text
            raise InputError(f"not a database URL: {url!r} ({exc})") from None
        check_scheme(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite:
            database = parsed.database or ""
            if database and database != ":memory:":
                folder = Path(database).expanduser().resolve().parent
                if not folder.is_dir():
                    raise InputError(f"the folder for the database {database!r} does not exist")
            self.read_engine = _sqlite_engine(self.url, "BEGIN")
            self.write_engine = _sqlite_engine(self.url, "BEGIN IMMEDIATE")
        else:
            self.read_engine = create_engine(self.url, pool_pre_ping=True, hide_parameters=True)
            self.write_engine = self.read_engine
        validation.install(self.write_engine)
        if self.read_engine is not self.write_engine:
            validation.install(self.read_engine)
        self._read = sessionmaker(self.read_engine, expire_on_commit=False)
        self._write = sessionmaker(self.write_engine, expire_on_commit=False)
        data_version.install(self._write)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work for reading: one consistent snapshot, nothing written."""
        with self._read() as session:
            with session.begin():
                yield session

    @contextmanager
    def write(self, wait_s: float | None = None) -> Iterator[Session]:
        """One transaction: everything inside lands together or not at all.

        ``wait_s`` bounds how long it waits for another writer's lock (interactive saves
        pass ``INTERACTIVE_WAIT_S``; background work waits longer). A wait that runs out
        becomes ``DatabaseBusy`` (a message asking to retry), never the driver's error.
        """
        try:
            if wait_s is None:
                with self._write() as session:
                    with session.begin():
                        yield session
            else:
                with self._write_waiting_at_most(wait_s) as session:
                    yield session
        except OperationalError as err:
            if is_busy(err):
                raise DatabaseBusy(BUSY_MESSAGE) from None
            raise

    @contextmanager
    def _write_waiting_at_most(self, wait_s: float) -> Iterator[Session]:
        millis = max(1, int(wait_s * 1000))
        with self.write_engine.connect() as conn:
            raw = conn.connection.driver_connection
            if raw is None:
                raise RuntimeError("the pooled connection has no driver connection")
            if self.is_sqlite:  # set before BEGIN IMMEDIATE, which is what waits
                raw.execute(f"PRAGMA busy_timeout={millis}")
            try:
                with self._write(bind=conn) as session:
                    with session.begin():
                        if not self.is_sqlite:
                            session.execute(text(f"SET LOCAL lock_timeout = {millis}"))
                        yield session
            finally:
                if self.is_sqlite:
                    raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (creates tables on a new file)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self.write_engine.begin() as connection:
            if not self.is_sqlite:  # several app processes may start at once
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(727274)")
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def is_migrated(self) -> bool:
        return inspect(self.read_engine).has_table("alembic_version")

    def dispose(self) -> None:
        self.read_engine.dispose()
        if self.write_engine is not self.read_engine:
            self.write_engine.dispose()


_STORES: dict[str, Store] = {}


def open_store(url: str | None = None, *, migrate: bool = True) -> Store:
    """A migrated store for ``url`` (shared per process, so engines are pooled)."""
    key = _normalise(database_url(url))
    store = _STORES.get(key)
    if store is None:
        store = Store(key)
        try:
            if migrate:
                store.migrate()
            else:
                with store.read_engine.connect():
                    pass
        except OPENING_ERRORS as err:
            store.dispose()
            raise opening_error(err, key) from None
        _STORES[key] = store
    return store
