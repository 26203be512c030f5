"""Alembic migrations build the same schema as the models on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from review.db.models import Base
from review.db.store import MIGRATIONS_DIR, Store
from tests.conftest import empty_postgres_schema, postgres_url

REPO = Path(__file__).resolve().parents[2]


def _empty_store(kind: str, tmp_path: Path) -> Store:
    if kind == "sqlite":
        return Store(f"sqlite:///{tmp_path / 'fresh.db'}")
    store = Store(postgres_url())
    empty_postgres_schema(store)
    return store


def _head() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


def _schema(store: Store) -> dict:
    inspector = inspect(store.write_engine)
    return {table: (sorted(c["name"] for c in inspector.get_columns(table)),
                    sorted(str(i["name"]) for i in inspector.get_indexes(table)))
            for table in sorted(inspector.get_table_names())}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    store = _empty_store(request.param, tmp_path)
    yield store
    store.dispose()


def test_migrate_creates_every_table_and_reaches_head(empty_store: Store) -> None:
    assert not empty_store.is_migrated()
    empty_store.migrate()
    assert empty_store.is_migrated()
    tables = set(inspect(empty_store.write_engine).get_table_names())
    assert set(Base.metadata.tables) | {"alembic_version"} == tables
    with empty_store.read() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalars().all() \
            == [_head()]


def test_second_migrate_is_a_no_op(empty_store: Store) -> None:
    empty_store.migrate()
    before = _schema(empty_store)
    with empty_store.write() as session:
        session.execute(text("INSERT INTO settings (key, value) VALUES ('probe', '{}')"))
    empty_store.migrate()
    assert _schema(empty_store) == before
    with empty_store.read() as session:
        assert session.execute(text("SELECT key FROM settings")).scalars().all() == ["probe"]
        assert len(session.execute(text("SELECT * FROM alembic_version")).all()) == 1


def test_models_and_migrations_agree(empty_store: Store) -> None:
    """A model change without a migration shows up here as a difference."""
    empty_store.migrate()
    with empty_store.write_engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


@pytest.mark.system
def test_migrate_command_on_a_migrated_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    Store(url).migrate()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "review", "migrate", "--db", url],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "newest schema" in done.stdout
    assert Store(url).is_migrated()
