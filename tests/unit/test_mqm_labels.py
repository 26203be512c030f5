"""MQM TSV rows with an unknown severity are refused, unfamiliar categories reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review.cli.main import main

HEADER = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\n"


def _row(seg: int, category: str, severity: str, rater: str = "r1") -> str:
    cells = ["sysA", "doc1", str(seg), str(seg), rater, f"源{seg}", f"<v>Text</v> {seg}",
             category, severity]
    return "\t".join(cells) + "\n"


def test_an_unknown_severity_is_refused_with_counts_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Such rows were silently weighted 0."""
    src = tmp_path / "a.tsv"
    src.write_text(HEADER + _row(1, "Accuracy/Mistranslation", "Major")
                   + _row(2, "Accuracy/Mistranslation", "Majr")
                   + _row(3, "Fluency/Grammar", "Majr"), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert main(["import", str(src), "--format", "mqm-tsv", "--db", db]) == 2
    err = capsys.readouterr().err
    assert "'Majr' ×2 (first on line 3)" in err and "weigh 0" in err
    assert main(["list", "--json", "--db", db]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_an_unfamiliar_category_is_imported_with_a_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = tmp_path / "a.tsv"
    src.write_text(HEADER + _row(1, "Accuracy/Mistranslation", "Major")
                   + _row(2, "Acuracy/Typo", "Minor") + _row(3, "Acuracy/Typo", "Major"),
                   encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert main(["import", str(src), "--format", "mqm-tsv", "--db", db, "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert any("'Acuracy/Typo' ×2 (first on line 3)" in n for n in report["notes"])
    assert main(["import", str(src), "--format", "mqm-tsv", "--db", db, "--again"]) == 0
    assert "warning:" in capsys.readouterr().err
