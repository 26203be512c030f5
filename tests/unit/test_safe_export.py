"""Exports never follow planted links, never overwrite silently, never half-write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from review.cli.main import main
from review.db.models import AuditEvent
from review.db.store import open_store


def _db_with(tmp_path: Path, *titles: str) -> str:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    for number, title in enumerate(titles):
        src = tmp_path / f"in{number}.txt"
        src.write_text(f"{title}\n\nA sentence of article {number}.\n", encoding="utf-8")
        assert main(["import", str(src), "--db", db, "--title", title]) == 0
    return db


def _exports(db: str) -> int:
    with open_store(db).read() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "export"))


def test_a_link_planted_at_the_old_temporary_name_is_not_followed(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """``.NAME.part`` was predictable and followed."""
    db = _db_with(tmp_path, "Report")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    os.symlink(outside, folder / ".report.txt.part")
    assert main(["export", "1", "--format", "text", "-o", str(folder / "report.txt"),
                 "--db", db]) == 0
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert "A sentence of article 0." in (folder / "report.txt").read_text(encoding="utf-8")


def test_a_link_at_the_destination_is_refused(tmp_path: Path,
                                              capsys: pytest.CaptureFixture) -> None:
    db = _db_with(tmp_path, "Report")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    link = tmp_path / "report.txt"
    os.symlink(outside, link)
    assert main(["export", "1", "--format", "text", "-o", str(link), "--db", db,
                 "--force"]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert outside.read_text(encoding="utf-8") == "keep me"


def test_colliding_names_are_not_overwritten_silently(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture) -> None:
    """Two titles with the same safe name overwrote each other."""
    db = _db_with(tmp_path, "Report: 2024", "Report/2024")
    folder = tmp_path / "out"
    folder.mkdir()
    assert main(["export", "1", "--format", "text", "-o", str(folder), "--db", db]) == 0
    first = sorted(folder.iterdir())
    assert len(first) == 1
    capsys.readouterr()
    assert main(["export", "2", "--format", "text", "-o", str(folder), "--db", db]) == 2
    err = capsys.readouterr().err
    assert "exists already" in err and "--force" in err and err.count("\n") == 1
    assert "article 0." in first[0].read_text(encoding="utf-8")
    assert main(["export", "2", "--format", "text", "-o", str(folder), "--db", db,
                 "--force"]) == 0
    assert "article 1." in first[0].read_text(encoding="utf-8")
    assert [p.name for p in folder.iterdir()] == [first[0].name]  # no temporary file left


def test_export_into_a_missing_folder_writes_and_audits_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A traceback, and an export audit event for nothing written."""
    db = _db_with(tmp_path, "Report")
    capsys.readouterr()
    target = tmp_path / "missing" / "report.txt"
    assert main(["export", "1", "--format", "text", "-o", str(target), "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "does not exist" in err and err.count("\n") == 1
    assert _exports(db) == 0
    assert not target.parent.exists()
