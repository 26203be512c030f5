"""Word diffs: correct operations, and untrusted text always escaped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review.text.diff import diff_html, highlight_html, word_diff


@pytest.mark.parametrize("old, new, expected", [
    ("the cat sat", "the dog sat", [("equal", "the "), ("delete", "cat"), ("insert", "dog"),
                                    ("equal", " sat")]),
    ("a b", "a b c", [("equal", "a b"), ("insert", " c")]),
    ("", "new", [("insert", "new")]),
    ("数字经济", "数字社会", [("equal", "数字"), ("delete", "经济"), ("insert", "社会")]),
])
def test_word_diff_operations(old: str, new: str, expected: list[tuple[str, str]]) -> None:
    assert [(op.kind, op.text) for op in word_diff(old, new)] == expected


def test_diff_html_escapes_markup() -> None:
    out = diff_html("<b>safe</b>", "<script>alert(1)</script> & <img src=x onerror=y>")
    assert "<script>" not in out and "<img" not in out and "<b>" not in out
    assert "&lt;img src=x onerror=y&gt;" in out
    assert "&amp;" in out
    assert '<ins class="diff-ins">' in out


def test_highlight_marks_spans_escaped() -> None:
    out = highlight_html("a <x> b", [(2, 5, 'Major "bad"')])
    assert out == 'a <mark title="Major &quot;bad&quot;">&lt;x&gt;</mark> b'


@given(st.text(), st.text())
def test_diff_reconstructs_both_texts(old: str, new: str) -> None:
    ops = word_diff(old, new)
    assert "".join(op.text for op in ops if op.kind != "insert") == old
    assert "".join(op.text for op in ops if op.kind != "delete") == new
