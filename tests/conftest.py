"""Shared fixtures: fresh databases on SQLite and, when configured, PostgreSQL; test tiers.

Every test belongs to one tier, given by where it lives or by an explicit marker:

- ``fast``: unit and property tests in one process (the default for ``tests/unit`` and
  ``tests/property``); ``make test-fast`` runs only these, and they may not start processes;
- ``system``: tests that start processes or servers, write big files, measure memory or run a
  model many times (``@pytest.mark.system``, or ``pytestmark = pytest.mark.system``);
- ``ui``: the Streamlit AppTest pages (``tests/ui``);
- ``e2e``: the real app in a real browser (``tests/e2e``).
"""

from __future__ import annotations

import atexit
import multiprocessing.process
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import MetaData, text

from review.db.store import Store
from review.services import Workbench
from tests import hypothesis_home  # noqa: F401 - its settings apply on import

pytest_plugins = ["pytester"]  # tests/unit/test_test_isolation.py runs the tier rules

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# One OpenMP thread per process (set before torch loads): on a shared 2-core machine torch's
# spinning worker threads tripled the time of the tiny-model tests.
os.environ.setdefault("OMP_NUM_THREADS", "1")

TESTS_DIR = Path(__file__).resolve().parent
DATA_DIR = TESTS_DIR / "data"
REPO_DIR = TESTS_DIR.parent
WUZHEN = DATA_DIR / "wuzhen.en.txt"
PG_ENV = "REVIEW_TEST_DATABASE_URL"

# ------------------------------------------------------------------------------ tiers
TIER_DIRS = {"ui": TESTS_DIR / "ui", "e2e": TESTS_DIR / "e2e"}
SYSTEM_ALIASES = ("system", "slow")  # "slow" is the older name of the system tier


def tier_of(path: Path, markers: set[str]) -> str:
    """The tier of a test at ``path`` carrying ``markers``: its folder first, then its markers.

    Everything outside ``tests/ui`` and ``tests/e2e`` is fast unless it says otherwise, so a
    new unit test lands in the fast tier, where the process guard below keeps it honest.
    """
    resolved = path.resolve()
    for tier, folder in TIER_DIRS.items():
        if folder in resolved.parents or tier in markers:
            return tier
    if any(name in markers for name in SYSTEM_ALIASES):
        return "system"
    return "fast"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        markers = {mark.name for mark in item.iter_markers()}
        tier = tier_of(item.path, markers)
        if tier not in markers:
            item.add_marker(getattr(pytest.mark, tier))


class ProcessGuard:
    """Refuses new processes in a fast test and remembers each attempt, so that the test fails
    at teardown even where the code under test swallowed the error."""

    MESSAGE = ("a test in the fast tier started a process ({what}); mark it "
               "@pytest.mark.system (or put pytestmark = pytest.mark.system in its module) "
               "so that `make test-fast` leaves it out")

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def refusal(self, what: str) -> Callable[..., object]:
        def refuse(*_args: object, **_kwargs: object) -> object:
            self.attempts.append(what)
            raise ProcessInFastTier(self.MESSAGE.format(what=what))
        return refuse


class ProcessInFastTier(RuntimeError):
    """Not an OSError, so that code falling back on a missing program does not hide it."""


@pytest.fixture(autouse=True)
def process_guard(request: pytest.FixtureRequest,
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[ProcessGuard]:
    """In the fast tier, every way of starting a process raises and fails the test."""
    guard = ProcessGuard()
    if request.node.get_closest_marker("fast") is None:
        yield guard
        return
    monkeypatch.setattr(subprocess.Popen, "_execute_child", guard.refusal("subprocess"))
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start",
                        guard.refusal("multiprocessing"))
    for name in ("fork", "forkpty", "posix_spawn", "posix_spawnp", "system"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, guard.refusal(f"os.{name}"))
    yield guard
    if guard.attempts:
        pytest.fail(ProcessGuard.MESSAGE.format(what=", ".join(guard.attempts)),
                    pytrace=False)


def postgres_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {PG_ENV} is not set: the PostgreSQL runs are required")
        pytest.skip(f"PostgreSQL runs need {PG_ENV} (e.g. postgresql://127.0.0.1:5432/test)")
    return url


def empty_postgres_schema(store: Store) -> None:
    """Drop every table of the test database's schema, ours or not (CASCADE: a table left by
    another version of the schema may point at ours), so each run starts from nothing."""
    with store.write_engine.begin() as conn:
        names = conn.execute(text("SELECT tablename FROM pg_tables "
                                  "WHERE schemaname = current_schema()")).scalars().all()
        for name in names:
            conn.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))


# ------------------------------------------------------- one migration per run, per backend
# Running Alembic costs about a third of a second; a database test copies (SQLite) or empties
# (PostgreSQL) a schema migrated once per run instead. tests/unit/test_migrations.py still
# runs the real migrations on empty databases.
_SQLITE_TEMPLATE: list[Path] = []
_POSTGRES_CLEAN: dict[str, tuple[tuple[str, ...], str]] = {}


def _sqlite_template() -> Path:
    """A SQLite file at the newest schema, made on first use and removed at exit."""
    if not _SQLITE_TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="review-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "template.db"
        store = Store(f"sqlite:///{path}")
        store.migrate()
        store.dispose()
        with closing(sqlite3.connect(path)) as conn:  # everything into the main file
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _SQLITE_TEMPLATE.append(path)
    return _SQLITE_TEMPLATE[0]


def migrated_sqlite_store(path: Path) -> Store:
    """A new SQLite database at ``path`` holding the migrated schema and no rows."""
    shutil.copyfile(_sqlite_template(), path)
    return Store(f"sqlite:///{path}")


def _postgres_signature(store: Store) -> tuple[str, ...]:
    """The schema's tables and Alembic revision: what a test that migrates by hand changes."""
    with store.read_engine.connect() as conn:
        names = sorted(conn.execute(text("SELECT tablename FROM pg_tables "
                                         "WHERE schemaname = current_schema()")).scalars())
        version: list[str] = []
        if "alembic_version" in names:
            version = list(conn.execute(text("SELECT version_num FROM alembic_version"))
                           .scalars())
    return (*names, "@", *version)


def _postgres_cleanup(store: Store) -> str:
    """One round trip that deletes every row (children first) and restarts every sequence,
    so ids begin at 1 as in a new database; far cheaper than TRUNCATE on small tables."""
    meta = MetaData()
    meta.reflect(bind=store.read_engine)
    tables = [t.name for t in reversed(meta.sorted_tables) if t.name != "alembic_version"]
    with store.read_engine.connect() as conn:
        sequences = conn.execute(text("SELECT sequencename FROM pg_sequences "
                                      "WHERE schemaname = current_schema()")).scalars().all()
    statements = ["SET LOCAL lock_timeout = '20s'"]
    statements += [f'DELETE FROM "{name}"' for name in tables]
    statements += [f"SELECT setval('\"{name}\"', 1, false)" for name in sequences]
    return "; ".join(statements)


def fresh_postgres_store() -> Store:
    """PostgreSQL at the newest schema and without rows: migrated on first use in the run (or
    whenever a test changed the schema), emptied on every later use."""
    store = Store(postgres_url())
    signature = _postgres_signature(store)
    known = _POSTGRES_CLEAN.get(store.url)
    if known is not None and known[0] == signature:
        with store.write_engine.begin() as conn:
            conn.exec_driver_sql(known[1])
        return store
    empty_postgres_schema(store)
    store.migrate()
    _POSTGRES_CLEAN[store.url] = (_postgres_signature(store), _postgres_cleanup(store))
    return store


@pytest.fixture(scope="session", autouse=True)
def default_database_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Point the default database at a temporary folder for the whole run.

    Without it a test that opens the default store (the CLI without ``--db``, the app)
    writes ``review.db`` into the working directory, and ``make run`` then shows its
    samples next to the real ones. The teardown fails the run if one appeared anyway.
    """
    before = {folder: (folder / "review.db").exists() for folder in (REPO_DIR, Path.cwd())}
    url = f"sqlite:///{tmp_path_factory.mktemp('default-db') / 'review.db'}"
    old = os.environ.get("REVIEW_DATABASE_URL")
    os.environ["REVIEW_DATABASE_URL"] = url
    yield url
    if old is None:
        os.environ.pop("REVIEW_DATABASE_URL", None)
    else:
        os.environ["REVIEW_DATABASE_URL"] = old
    appeared = [str(f / "review.db") for f, existed in before.items()
                if not existed and (f / "review.db").exists()]
    assert not appeared, f"a test wrote the default database into {appeared}"


@pytest.fixture(scope="session", autouse=True)
def session_key_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Point the session signing key at a temporary folder for the whole run (app servers
    started by the tests inherit it); the teardown fails the run if a key file appeared in
    the checkout or the working directory anyway."""
    from review.accounts.secret import DEFAULT_FILE, FILE_ENV, SECRET_ENV

    folders = {REPO_DIR, Path.cwd()}
    before = {folder: (folder / DEFAULT_FILE).exists() for folder in folders}
    path = tmp_path_factory.mktemp("session-key") / DEFAULT_FILE
    saved = {name: os.environ.get(name) for name in (FILE_ENV, SECRET_ENV)}
    os.environ[FILE_ENV] = str(path)
    os.environ.pop(SECRET_ENV, None)
    yield path
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    appeared = [str(f / DEFAULT_FILE) for f, existed in before.items()
                if not existed and (f / DEFAULT_FILE).exists()]
    assert not appeared, f"a test wrote the session key into {appeared}"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'review.db'}"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = migrated_sqlite_store(tmp_path / "review.db")
    yield store
    store.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same test on the embedded SQLite and on PostgreSQL (when configured)."""
    if request.param == "sqlite":
        store = migrated_sqlite_store(tmp_path / "review.db")
    else:
        store = fresh_postgres_store()
    yield store
    store.dispose()


@pytest.fixture
def bench(store: Store) -> Workbench:
    return Workbench(store)


@pytest.fixture
def any_bench(any_store: Store) -> Workbench:
    return Workbench(any_store)


@pytest.fixture
def url_and_bench(any_store: Store) -> tuple[str, Workbench]:
    """A database URL other processes can open, and the Workbench on it (both backends)."""
    return any_store.url, Workbench(any_store)


@pytest.fixture
def wuzhen_bytes() -> bytes:
    return WUZHEN.read_bytes()


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters for tests that create many accounts."""
    from argon2 import PasswordHasher

    from review.accounts import auth

    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024,
                                                       parallelism=1))
