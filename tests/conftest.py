"""Shared fixtures: fresh databases on SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from review.models import Base
from review.services import Workbench
from review.store import Store

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


def fresh_postgres_store() -> Store:
    store = Store(postgres_url())
    with store.write_engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    store.migrate()
    return store


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
