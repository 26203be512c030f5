"""The test run never touches a database in the working directory; tests keep to their tier."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from review.db.store import Store, database_url
from review.services import Workbench
from tests.conftest import (
    REPO_DIR,
    TESTS_DIR,
    ProcessGuard,
    ProcessInFastTier,
    empty_postgres_schema,
    fresh_postgres_store,
    migrated_sqlite_store,
    tier_of,
)
from tests.factories import make_article


def test_the_default_database_lies_in_a_temporary_folder() -> None:
    """The suite used to write review.db into the checkout."""
    url = database_url()
    path = Path(url.removeprefix("sqlite:///")).resolve()
    assert url.startswith("sqlite:///")
    assert path.is_relative_to(Path(tempfile.gettempdir()).resolve())
    assert not path.is_relative_to(REPO_DIR)
    assert not path.is_relative_to(Path(os.getcwd()).resolve())


# ------------------------------------------------------------------------------ tiers
@pytest.mark.parametrize(("where", "markers", "tier"), [
    ("unit/test_new.py", set(), "fast"),
    ("property/test_new.py", set(), "fast"),
    ("unit/test_new.py", {"system"}, "system"),
    ("unit/test_new.py", {"slow"}, "system"),
    ("unit/test_new.py", {"postgres"}, "fast"),
    ("ui/test_new_page.py", set(), "ui"),
    ("e2e/test_new_flow.py", set(), "e2e"),
    ("e2e/test_new_flow.py", {"system"}, "e2e"),
])
def test_a_new_test_gets_its_tier_from_its_folder(where: str, markers: set[str],
                                                  tier: str) -> None:
    assert tier_of(TESTS_DIR / where, markers) == tier


def test_this_test_runs_in_the_fast_tier(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("fast") is not None
    assert request.node.get_closest_marker("system") is None


@pytest.mark.parametrize("start", [
    lambda: subprocess.run([sys.executable, "-c", "pass"], check=True),
    lambda: subprocess.Popen([sys.executable, "-c", "pass"]).wait(),
    lambda: multiprocessing.get_context("spawn").Process(target=print).start(),
    lambda: os.system("true"),
], ids=["run", "popen", "multiprocessing", "os.system"])
def test_a_fast_test_cannot_start_a_process(process_guard: ProcessGuard,
                                            start: Callable[[], object]) -> None:
    with pytest.raises(ProcessInFastTier, match="mark it @pytest.mark.system"):
        start()
    assert process_guard.attempts
    process_guard.attempts.clear()  # expected here; anywhere else it fails the test


def test_a_swallowed_refusal_still_fails_the_test(pytester: pytest.Pytester) -> None:
    """Code that falls back when a program cannot start must not hide the process."""
    pytester.makeconftest("from tests.conftest import process_guard, "
                          "pytest_collection_modifyitems  # noqa: F401\n")
    pytester.makepyfile(test_quiet="""
        import subprocess, sys

        def test_quiet():
            try:
                subprocess.run([sys.executable, "-c", "pass"])
            except Exception:
                pass
    """)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-m", "fast")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*started a process (subprocess)*mark it @pytest.mark.system*"])


@pytest.mark.system
def test_a_system_test_may_start_a_process() -> None:
    done = subprocess.run([sys.executable, "-c", "print('child')"], capture_output=True,
                          text=True, check=True, timeout=60)
    assert done.stdout.strip() == "child"


# ------------------------------------------------------------ one migration per test run
def _no_migrations(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_store: Store) -> None:
        raise AssertionError("a test database ran Alembic again")
    monkeypatch.setattr(Store, "migrate", refuse)


def _article_ids(store: Store) -> list[int]:
    with store.read_engine.connect() as conn:
        return list(conn.execute(text("SELECT id FROM articles")).scalars())


def test_sqlite_test_databases_are_copies_of_one_migrated_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    migrated_sqlite_store(tmp_path / "first.db").dispose()  # the template exists from here
    _no_migrations(monkeypatch)
    used = migrated_sqlite_store(tmp_path / "used.db")
    assert used.is_migrated()
    assert make_article(Workbench(used), ["One."]) == 1
    used.dispose()
    fresh = migrated_sqlite_store(tmp_path / "fresh.db")
    assert _article_ids(fresh) == []
    assert make_article(Workbench(fresh), ["One."]) == 1
    fresh.dispose()


def test_postgres_test_databases_are_emptied_not_migrated_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    used = fresh_postgres_store()
    make_article(Workbench(used), ["One."])
    make_article(Workbench(used), ["Two."])
    used.dispose()
    _no_migrations(monkeypatch)
    fresh = fresh_postgres_store()
    assert _article_ids(fresh) == []
    assert make_article(Workbench(fresh), ["One."]) == 1  # ids start again, as in a new database
    fresh.dispose()


def test_postgres_is_migrated_again_after_a_test_changed_the_schema() -> None:
    store = fresh_postgres_store()
    empty_postgres_schema(store)  # what tests/unit/test_migrations.py does
    assert not store.is_migrated()
    store.dispose()
    again = fresh_postgres_store()
    assert again.is_migrated()
    assert make_article(Workbench(again), ["One."]) == 1
    again.dispose()


def test_models_run_one_thread_per_test_process() -> None:
    """Spinning OpenMP threads on a shared machine cost more than they bring to tiny models."""
    torch = pytest.importorskip("torch")
    assert torch.get_num_threads() == int(os.environ["OMP_NUM_THREADS"])
