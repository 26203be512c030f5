"""Over-long segments and lines are refused at import, naming the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.cli.main import main
from review.core.limits import MAX_SEGMENT_CHARS, MAX_SEGMENT_WORDS, long_line, too_long


@pytest.mark.parametrize(("text", "reason"), [
    ("short", None),
    ("x" * (MAX_SEGMENT_CHARS + 1), "characters"),
    (" ".join(["a"] * (MAX_SEGMENT_WORDS + 1)), "words"),
    ("中" * MAX_SEGMENT_CHARS, None),
])
def test_too_long(text: str, reason: str | None) -> None:
    found = too_long(text)
    assert (found is None) if reason is None else (reason in found)


def test_long_line_numbers_from_one() -> None:
    assert long_line("a\nb\n" + "x" * 300_000 + "\nc") == 3
    assert long_line("a\nb") is None


@pytest.mark.parametrize("words", [10_000, 40_000])
def test_a_one_line_file_of_many_words_is_refused_with_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture, words: int) -> None:
    """One 10,000- or 40,000-word line took GBs to score."""
    src = tmp_path / "long.txt"
    src.write_text("A title\n\n" + " ".join(f"w{i}" for i in range(words)) + "\n",
                   encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert main(["import", str(src), "--db", db]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and "longer than" in err and err.count("\n") == 1
