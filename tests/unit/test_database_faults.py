"""Faults of the database in use give one line and exit status 2 on the command line, not
a traceback: a damaged file, a database from a newer schema, a read-only or immutable
file, a full disk; and a full disk in the middle of an import leaves nothing staged."""

from __future__ import annotations

import csv
import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from review.cli.main import main
from review.db import store as store_module
from review.db.models import Article, Segment
from review.db.store import Store, open_store
from tests.conftest import WUZHEN


def _one_error_line(capsys: pytest.CaptureFixture) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err, err
    return err


@pytest.fixture
def imported_db(tmp_path: Path, capsys: pytest.CaptureFixture) -> tuple[Path, str]:
    path = tmp_path / "review.db"
    url = f"sqlite:///{path}"
    assert main(["import", str(WUZHEN), "--db", url]) == 0
    capsys.readouterr()
    _forget(url)
    return path, url


def _forget(url: str) -> None:
    """Close the process's pooled store for ``url``: the WAL is folded into the file, and the
    next command opens the file afresh."""
    store = store_module._STORES.pop(store_module._normalise(url), None)
    if store is not None:
        store.dispose()


def test_a_damaged_database_file_is_one_line(imported_db: tuple[Path, str],
                                             capsys: pytest.CaptureFixture) -> None:
    """"database disk image is malformed" came as a traceback."""
    path, url = imported_db
    page = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    for offset in range(2 * page, len(data), page):  # every page but the schema's
        data[offset:offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))
    code = main(["export", "1", "--format", "csv", "--db", url])
    assert code == 2
    assert "damaged" in _one_error_line(capsys)
    _forget(url)


def test_a_database_from_a_newer_schema_is_one_line(imported_db: tuple[Path, str],
                                                    capsys: pytest.CaptureFixture) -> None:
    path, url = imported_db
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeedbeef'")
    assert main(["list", "--db", url]) == 2
    err = _one_error_line(capsys)
    assert "newer version of the workbench" in err and "f00dfeedbeef" in err, err


def _make_read_only(path: Path) -> bool:
    """Make ``path`` immutable (root) or read-only with its folder (others); False when
    neither stops this process from writing it."""
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0 \
        if os.geteuid() == 0 else False
    if not made:
        path.chmod(stat.S_IRUSR)
        path.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
    return not os.access(path, os.W_OK) or made


def _undo_read_only(path: Path) -> None:
    subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    path.parent.chmod(stat.S_IRWXU)
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)


@pytest.mark.system  # starts processes
def test_a_read_only_or_immutable_database_is_one_line(
        imported_db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path, url = imported_db
    other = tmp_path / "other.csv"
    other.write_text("mt\nA new text.\n", encoding="utf-8")
    if not _make_read_only(path):
        pytest.skip("this process can write any file (root without chattr)")
    try:
        assert main(["import", str(other), "--db", url]) == 2
        err = _one_error_line(capsys)
        assert "cannot be written" in err or "cannot open" in err, err
    finally:
        _forget(url)
        _undo_read_only(path)


def test_a_full_disk_mid_import_is_one_line_and_leaves_nothing_staged(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """The import failed with a traceback and left a staged article behind."""
    url = f"sqlite:///{tmp_path / 'full.db'}"
    store: Store = open_store(url)
    with store.write_engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    room = pages + 400  # a batch or so of segments fits, the file does not

    def limit(dbapi_connection, _record) -> None:  # noqa: ANN001
        dbapi_connection.execute(f"PRAGMA max_page_count = {room}")

    for engine in {store.read_engine, store.write_engine}:
        event.listen(engine, "connect", limit)
        engine.dispose()
    src = tmp_path / "big.csv"
    with open(src, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "source", "mt"])
        for i in range(20_000):
            writer.writerow([f"s{i}", f"这是第{i}个句子，内容足够长。" * 3,
                             f"This is sentence number {i}, long enough to fill pages."])
    try:
        assert main(["import", str(src), "--db", url, "--source-lang", "zh"]) == 2
        err = _one_error_line(capsys)
        assert "is full" in err and "nothing was saved" in err, err
        with store.read() as session:
            assert session.scalar(select(func.count()).select_from(Article)) == 0
            assert session.scalar(select(func.count()).select_from(Segment)) == 0
    finally:
        _forget(url)
