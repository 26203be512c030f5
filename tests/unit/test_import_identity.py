"""Imports: titles from the file name, re-imports noticed by content, the source language
told from the script when nothing gives it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review.accounts.permissions import SYSTEM_ACTOR
from review.cli.main import main
from review.core.errors import InputError
from review.formats.base import ReadOptions
from review.services import Workbench


def _listed(db: str, capsys: pytest.CaptureFixture) -> list[dict]:
    capsys.readouterr()
    assert main(["list", "--json", "--db", db]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("name", "body"), [
    ("Wuzhen conference 2024.csv", "mt\nA sentence.\n"),
    ("Wuzhen conference 2024.tsv", "mt\nA sentence.\n"),
    ("Wuzhen conference 2024.jsonl", '{"mt": "A sentence."}\n'),
])
def test_table_imports_are_titled_after_the_file(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture,
                                                 name: str, body: str) -> None:
    """Table imports without --title were called "Untitled"."""
    src = tmp_path / name
    src.write_text(body, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert main(["import", str(src), "--db", db]) == 0
    assert [a["title"] for a in _listed(db, capsys)] == ["Wuzhen conference 2024"]


def test_the_same_file_twice_is_refused_unless_asked(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture) -> None:
    """A second import silently duplicated the articles."""
    src = tmp_path / "a.csv"
    src.write_text("source,mt\n源,A sentence.\n", encoding="utf-8")
    copy = tmp_path / "renamed copy.csv"
    copy.write_bytes(src.read_bytes())
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert main(["import", str(src), "--db", db]) == 0
    capsys.readouterr()
    assert main(["import", str(copy), "--db", db]) == 2
    err = capsys.readouterr().err
    assert "same content as article 1" in err and "--again" in err
    assert len(_listed(db, capsys)) == 1
    assert main(["import", str(copy), "--db", db, "--again"]) == 0
    assert len(_listed(db, capsys)) == 2


def test_other_content_is_not_a_duplicate(bench: Workbench) -> None:
    bench.imports.import_file(SYSTEM_ACTOR, b"mt\nOne.\n", "a.csv", "csv")
    bench.imports.import_file(SYSTEM_ACTOR, b"mt\nTwo.\n", "a.csv", "csv")
    with pytest.raises(InputError, match="same content"):
        bench.imports.import_file(SYSTEM_ACTOR, b"mt\nOne.\n", "b.csv", "csv")


def test_chinese_sources_get_zh_and_the_report_says_so(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture) -> None:
    """The source language was "?" and the XLIFF said "und"."""
    src = tmp_path / "a.csv"
    src.write_text("source,mt\n距离土耳其发生地震已经过去数日。,Several days have passed.\n",
                   encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert main(["import", str(src), "--db", db, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["articles"][0]["source_lang"] == "zh"
    assert any("assumed from the script" in n for n in report["notes"])
    out = tmp_path / "a.xlf"
    assert main(["export", "1", "--format", "xliff", "-o", str(out), "--db", db]) == 0
    xliff = out.read_text(encoding="utf-8")
    assert 'source-language="zh"' in xliff and "und" not in xliff


def test_a_given_source_language_wins(bench: Workbench) -> None:
    report = bench.imports.import_file(SYSTEM_ACTOR, "source,mt\n東京,Tokyo\n".encode(), "a.csv",
                               "csv", ReadOptions(source_lang="ja"))
    assert report.articles[0].source_lang == "ja" and not report.notes
