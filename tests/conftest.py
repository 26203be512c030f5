"""Shared fixtures: fresh databases on SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from review.db.store import Store
from review.services import Workbench
from tests import hypothesis_home  # noqa: F401 - its settings apply on import

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

TESTS_DIR = Path(__file__).resolve().parent
DATA_DIR = TESTS_DIR / "data"
REPO_DIR = TESTS_DIR.parent
WUZHEN = DATA_DIR / "wuzhen.en.txt"
PG_ENV = "REVIEW_TEST_DATABASE_URL"


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


def fresh_postgres_store() -> Store:
    store = Store(postgres_url())
    empty_postgres_schema(store)
    store.migrate()
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
def store(sqlite_url: str) -> Store:
    store = Store(sqlite_url)
    store.migrate()
    yield store
    store.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """The same test on the embedded SQLite and on PostgreSQL (when configured)."""
    if request.param == "sqlite":
        store = Store(f"sqlite:///{tmp_path / 'review.db'}")
        store.migrate()
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
