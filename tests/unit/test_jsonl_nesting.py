"""JSONL nested past any sensible depth: a message naming the line, nothing imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.cli.main import main
from review.formats import jsonsafe


@pytest.mark.parametrize("nesting", [
    "[" * 100_000 + "]" * 100_000,                       # past the recursion limit
    '{"a":' * 50_000 + "1" + "}" * 50_000,
    '{"mt": "x", "extra": ' + "[" * 40 + "]" * 40 + "}",  # under the limit, over MAX_DEPTH
])
def test_deep_nesting_is_refused_with_the_line(tmp_path: Path, capsys: pytest.CaptureFixture,
                                               nesting: str) -> None:
    """JSONL nested deeper than the recursion limit gave a traceback."""
    src = tmp_path / "deep.jsonl"
    src.write_text('{"mt": "Fine."}\n' + nesting + "\n", encoding="utf-8")
    db = tmp_path / "x.db"
    assert main(["import", str(src), "--db", f"sqlite:///{db}"]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "levels deep" in err and err.count("\n") == 1
    assert main(["list", "--db", f"sqlite:///{db}", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"


def test_depth_counts_without_recursing() -> None:
    value: list = []
    for _ in range(10_000):
        value = [value]
    assert jsonsafe.depth(value) > jsonsafe.MAX_DEPTH
    assert jsonsafe.depth({"a": [1, {"b": 2}]}) == 3
    assert jsonsafe.depth("text") == 0
