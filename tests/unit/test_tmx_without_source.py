"""TMX of an article without source text: refused with the reason, no empty file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from review.cli.main import main
from review.formats.base import DocArticle, DocSegment, WriteOptions
from review.formats.tmx import FORMAT as TMX
from review.formats.tmx import NoPairs


def test_the_writer_refuses_an_article_without_pairs() -> None:
    article = DocArticle(title="Chess", segments=[DocSegment(mt="Playing chess.")])
    with pytest.raises(NoPairs, match="no source text"):
        TMX.write([article], io.BytesIO(), WriteOptions())


def test_cli_export_of_a_sourceless_article_exits_2_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """An empty TMX file and exit 0."""
    src = tmp_path / "a.txt"
    src.write_text("Playing a game of chess together.\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert main(["import", str(src), "--db", db]) == 0
    capsys.readouterr()
    out = tmp_path / "a.tmx"
    assert main(["export", "1", "--format", "tmx", "-o", str(out), "--db", db]) == 2
    err = capsys.readouterr().err
    assert "no source text" in err and err.count("\n") == 1
    assert not out.exists()
