"""Flag offsets through edits, splits and merges; word snapping of mouse selections."""

from __future__ import annotations

import pytest

from review.core.errors import InputError
from review.text.spans import Span, merge_offset, remap_edit, snap_to_words, split_at, split_spans

TEXT = "In 2022 it will account for 1%, and it will account for more."


IT = TEXT.index("it")
WILL = TEXT.index("will")
SECOND = TEXT.index("will account", WILL + 1)


@pytest.mark.parametrize(("start", "end", "expected"), [
    (IT, IT + 2, "it"),                     # already a word
    (IT + 1, IT + 1, "it"),                 # a click inside a word
    (WILL + 2, WILL + 8, "will account"),   # a drag from inside "will" to inside "account"
    (SECOND, SECOND + 12, "will account"),  # the second occurrence
    (IT - 1, IT + 3, "it"),                 # surrounding spaces dropped
])
def test_snap_to_words(start: int, end: int, expected: str) -> None:
    span = snap_to_words(TEXT, start, end)
    assert TEXT[span.start:span.end] == expected


def test_snap_second_occurrence_offsets() -> None:
    second = TEXT.index("will account", 20)
    assert snap_to_words(TEXT, second + 2, second + 8) == Span(second, second + 12)


def test_snap_outside_text_is_refused() -> None:
    with pytest.raises(InputError):
        snap_to_words("abc", 2, 9)


@pytest.mark.parametrize(("old", "new", "span", "expected"), [
    ("The cat sat.", "The cat sat down.", (4, 7), "cat"),             # untouched
    ("The cat sat.", "A big cat sat.", (4, 7), "cat"),                # shifted right
    ("The cat sat.", "The dog sat.", (4, 7), "dog"),                  # replaced in place
    ("It will account for 1%.", "It accounts for 1%.", (3, 15), "accounts"),
    ("The cat sat.", "The cat sat.", (0, 0), ""),                     # a position
])
def test_remap_edit(old: str, new: str, span: tuple[int, int], expected: str) -> None:
    (moved,) = remap_edit(old, new, [Span(*span)])
    assert moved is not None
    assert new[moved.start:moved.end] == expected


def test_remap_edit_deleted_span_is_none() -> None:
    assert remap_edit("Tags: a b. The text.", "The text.", [Span(0, 10)]) == [None]


def test_split_at_keeps_separator() -> None:
    assert split_at("One two. Three four.", 8) == ("One two.", " ", "Three four.")
    assert split_at("One two. Three four.", 9) == ("One two.", " ", "Three four.")


@pytest.mark.parametrize("at", [0, 1, 20, 99, -3])
def test_split_at_invalid_offset(at: int) -> None:
    with pytest.raises(InputError):
        split_at("One two. Three four.", at if at != 1 else 0)


def test_split_blank_side_refused() -> None:
    with pytest.raises(InputError):
        split_at("   One", 2)


def test_split_spans_go_to_their_half() -> None:
    text = "One two. Three four."
    left, sep, right = split_at(text, 8)
    right_start = len(left) + len(sep)
    moved = split_spans([Span(4, 7), Span(9, 14), Span(4, 14), Span(6, 11)], len(left),
                        right_start)
    assert moved[0] == (0, Span(4, 7)) and left[4:7] == "two"
    assert moved[1] == (1, Span(0, 5)) and right[0:5] == "Three"
    side, span = moved[2]  # across the cut: the bigger part wins, clipped
    assert side == 1 and right[span.start:span.end] == "Three"
    side, span = moved[3]
    assert side == 0 and left[span.start:span.end] == "o."


def test_merge_offset() -> None:
    left, sep, right = "total.", " ", "The ratios"
    by = merge_offset(left, sep)
    assert (left + sep + right)[by:by + 3] == "The"
