"""The command-line contract: output, JSON shape and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from review.accounts.permissions import SYSTEM_ACTOR
from review.cli.main import main
from review.db.store import open_store
from review.services import Workbench

REPO = Path(__file__).resolve().parents[2]
WUZHEN = REPO / "tests" / "data" / "wuzhen.en.txt"


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "review", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.system
def test_import_json_reports_language_and_residue(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = run_cli("import", str(WUZHEN), "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    article = report["articles"][0]
    assert article["source_lang"] == "zh"
    assert article["residue_segments"] >= 7
    residue = {r["text"]: r["kind"] for r in article["residue"]}
    assert residue["Share so more people can see it"] == "boilerplate"
    assert residue["The article is in Chinese"] == "metadata"
    assert residue["(Editors: Ye Binde, Wang Liwei)"] == "metadata"
    assert residue["Photo by reporter Ye Binde"] == "caption"
    assert any(text.startswith("Tags:") and kind == "boilerplate"
               for text, kind in residue.items())
    assert any(text.startswith("NEXT ") and kind == "boilerplate"
               for text, kind in residue.items())
    assert article["body_segments"] > 20


def test_export_text_of_unedited_article_is_the_body(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert main(["import", str(WUZHEN), "--db", db]) == 0
    capsys.readouterr()
    out = tmp_path / "out.txt"
    assert main(["export", "1", "--format", "text", "-o", str(out), "--db", db]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Yesterday, the Yangtze River Delta Integrated Digital Civilization" in text
    for residue in ("Share so more people", "Tags:", "NEXT ", "(Editors:",
                    "The article is in Chinese", "Photo by reporter"):
        assert residue not in text
    bench = Workbench(open_store(db))
    row = next(r for r in bench.reading.article(SYSTEM_ACTOR, 1).rows if r.kind == "body")
    bench.editing.save_segment(SYSTEM_ACTOR, row.id, "An edited sentence.", row.version)
    assert main(["export", "1", "--format", "text", "-o", str(out), "--db", db,
                 "--force"]) == 0
    assert "An edited sentence." in out.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.part"))


def test_list_and_score_json(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert main(["import", str(WUZHEN), "--db", db]) == 0
    capsys.readouterr()
    assert main(["list", "--json", "--db", db]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [a["id"] for a in listed] == [1]
    assert main(["score", "1", "--json", "--db", db]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert set(scores["corpus"]) == {"chrf", "bleu", "ter"}
    assert all(s["signature"] for s in scores["corpus"].values())
    assert scores["segments"] and "chrf" in scores["segments"][0]


@pytest.mark.system
@pytest.mark.parametrize("args, message", [
    (["import", "missing-file.txt"], "no such file"),
    (["export", "42", "--format", "text"], "no article with id 42"),
    (["score", "7"], "no article with id 7"),
])
def test_errors_exit_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli(*args, "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.system
def test_bad_file_leaves_database_unchanged(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = run_cli("import", str(binary), "--db", db)
    assert result.returncode == 2
    assert "binary" in result.stderr
    listed = run_cli("list", "--json", "--db", db)
    assert json.loads(listed.stdout) == []


@pytest.mark.system
def test_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("list", "--db", f"sqlite:///{tmp_path / 'no' / 'such' / 'x.db'}")
    assert result.returncode == 2
    assert "does not exist" in result.stderr
