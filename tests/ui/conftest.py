"""AppTest fixtures: the real app on a fresh database per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from review.accounts import auth
from review.worker.embedded import stop_embedded
from tests.conftest import migrated_sqlite_store

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _stop_job_threads() -> None:
    """The app starts a job thread per database; stop it before the database goes away."""
    yield
    stop_embedded()


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated, empty database for the app (a copy of the run's template: the app's own
    migration then finds nothing to do)."""
    migrated_sqlite_store(tmp_path / "app.db").dispose()
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("REVIEW_DATABASE_URL", url)
    monkeypatch.chdir(REPO)
    return url


@pytest.fixture
def make_app(app_db: str):  # noqa: ANN201
    def make() -> AppTest:
        return AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    return make


@pytest.fixture
def empty_app_db(app_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh database without the samples, and fast password hashing for account tests."""
    monkeypatch.setenv("REVIEW_SEED", "0")
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024,
                                                       parallelism=1))
    return app_db
