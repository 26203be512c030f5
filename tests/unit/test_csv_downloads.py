"""Every CSV the app writes neutralises spreadsheet formulas, the Dashboard's table
downloads and the verdicts file included (system names and categories come from files)."""

from __future__ import annotations

import ast
import csv
import io

import pandas as pd

from review.formats.formulas import frame_csv
from tests.conftest import REPO_DIR

HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3"]


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_dashboard_table_downloads_neutralise_formulas() -> None:
    """System names like =HYPERLINK(...) were written into the Dashboard's CSV as-is."""
    from review.ui.dashboard_tabs.common import csv_bytes

    frame = pd.DataFrame({"system": HOSTILE, "category": pd.Categorical(HOSTILE),
                          "mqm": [-1.5, 2.0, 0.0, -3.0], "n": [-1, 2, 3, 4]})
    frame["=odd column"] = ["x"] * 4
    rows = _cells(csv_bytes(frame))
    assert rows[0] == ["system", "category", "mqm", "n", "'=odd column"]
    for row, hostile in zip(rows[1:], HOSTILE):
        assert row[0] == row[1] == "'" + hostile
    assert [r[2] for r in rows[1:]] == ["-1.5", "2.0", "0.0", "-3.0"]  # numbers stay numbers
    assert [r[3] for r in rows[1:]] == ["-1", "2", "3", "4"]


def test_frame_csv_leaves_plain_text_and_blanks_alone() -> None:
    frame = pd.DataFrame({"system": ["GPT4-5shot", None, "-3"]})
    assert _cells(frame_csv(frame))[1:] == [["GPT4-5shot"], [""], ["-3"]]


def test_every_csv_writer_of_the_app_goes_through_the_formula_guard() -> None:
    """A module that writes CSV (``csv.writer``, ``DataFrame.to_csv``) must use
    review.formats.formulas, so a new download cannot forget the guard."""
    offenders = []
    for path in (REPO_DIR / "review").rglob("*.py"):
        if path.name == "formulas.py":
            continue
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        writes = any(isinstance(node, ast.Attribute) and node.attr in ("writer", "DictWriter",
                                                                       "to_csv")
                     for node in ast.walk(tree))
        if writes and "formulas import" not in source:
            offenders.append(str(path.relative_to(REPO_DIR)))
    assert not offenders, f"CSV written without review.formats.formulas: {offenders}"


def test_the_verdicts_csv_neutralises_every_text_cell(bench) -> None:  # noqa: ANN001
    from review.accounts.permissions import SYSTEM_ACTOR
    from review.formats.base import DocArticle, DocSegment

    bench.imports.import_articles(SYSTEM_ACTOR, [DocArticle(title="@cmd title", source_lang="zh",
                                                    segments=[DocSegment(mt="Hello.")])])
    rows = _cells(bench.verdicts.verdicts_csv(SYSTEM_ACTOR))
    assert all(not cell or cell[0] not in "=+@" for row in rows for cell in row), rows
