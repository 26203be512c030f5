"""CSV/TSV/MQM TSV exports neutralise spreadsheet formulas; --raw-cells opts out; import
reads both forms back to the same text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review.cli.main import main

EVIL = '=HYPERLINK("http://evil.test","click")'


def _db(tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "@SUM(A1)", "mt": "+cmd|' /C calc'!A0",
                               "source": "源", "corrected": "-2+3",
                               "candidates": {EVIL: "=1+1"}}) + "\n", encoding="utf-8")
    assert main(["import", str(src), "--db", db, "--source-lang", "zh"]) == 0
    return db


def _export(db: str, fmt: str, out: Path, *extra: str) -> str:
    assert main(["export", "1", "--format", fmt, "-o", str(out), "--db", db, *extra]) == 0
    return out.read_text(encoding="utf-8")


def _cells(text: str, sep: str) -> list[str]:
    return [cell for line in text.splitlines() for cell in line.split(sep)]


@pytest.mark.parametrize(("fmt", "sep"), [("csv", ","), ("tsv", "\t")])
def test_exports_neutralise_formulas_and_import_reads_them_back(
        tmp_path: Path, capsys: pytest.CaptureFixture, fmt: str, sep: str) -> None:
    """=HYPERLINK(...) in system names and ids ran in a spreadsheet."""
    db = _db(tmp_path)
    text = _export(db, fmt, tmp_path / f"out.{fmt}")
    for cell in _cells(text, sep):
        bare = cell.strip('"')
        assert not bare or bare[0] not in "=+-@" or bare.lstrip("-").isdigit(), cell
    assert "'=1+1" in text and "'@SUM(A1)" in text and "'+cmd" in text and "'-2+3" in text
    capsys.readouterr()
    db2 = f"sqlite:///{tmp_path / 'back.db'}"
    assert main(["import", str(tmp_path / f"out.{fmt}"), "--db", db2]) == 0
    capsys.readouterr()
    assert main(["export", "1", "--format", "jsonl", "--db", db2]) == 0
    back = json.loads(capsys.readouterr().out.splitlines()[0])
    assert back["mt"] == "+cmd|' /C calc'!A0"
    assert back["id"] == "@SUM(A1)"
    assert back["candidates"] == {EVIL: "=1+1"}


def test_raw_cells_writes_verbatim_and_still_reads_back(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    db = _db(tmp_path)
    text = _export(db, "csv", tmp_path / "raw.csv", "--raw-cells")
    assert "'=1+1" not in text and ",=1+1" in text
    db2 = f"sqlite:///{tmp_path / 'back.db'}"
    assert main(["import", str(tmp_path / "raw.csv"), "--db", db2]) == 0
    capsys.readouterr()
    assert main(["export", "1", "--format", "jsonl", "--db", db2]) == 0
    back = json.loads(capsys.readouterr().out.splitlines()[0])
    assert back["candidates"] == {EVIL: "=1+1"}


def test_mqm_tsv_export_neutralises_system_names(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    src = tmp_path / "in.tsv"
    src.write_text("system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\n"
                   f"{EVIL}\tdoc1\t1\t1\trater1\t源\t<v>Text</v>\tStyle/Awkward\tMinor\n",
                   encoding="utf-8")
    assert main(["import", str(src), "--format", "mqm-tsv", "--db", db]) == 0
    text = _export(db, "mqm-tsv", tmp_path / "out.tsv")
    assert "'=HYPERLINK" in text
    assert not any(cell.startswith("=") for cell in _cells(text, "\t"))
