"""Formula neutralisation: inert in a spreadsheet, lossless on import."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review.formats.formulas import neutralise, restore


@pytest.mark.parametrize(("cell", "written"), [
    ('=HYPERLINK("http://evil.test","click")', '\'=HYPERLINK("http://evil.test","click")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1", "'\t=1"),
    ("\uff1d1+1", "'\uff1d1+1"),
    ("'=already guarded", "''=already guarded"),
    ("-3", "-3"),
    ("+1.5", "+1.5"),
    ("plain text", "plain text"),
    ("it's fine", "it's fine"),
    ("", ""),
])
def test_neutralise(cell: str, written: str) -> None:
    assert neutralise(cell) == written
    assert restore(written) == cell


@given(st.text(st.sampled_from("'=+-@a1 \t")))
def test_restore_undoes_neutralise(cell: str) -> None:
    assert restore(neutralise(cell)) == cell
