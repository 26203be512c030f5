"""A selection is stored as the reviewer made it: whole words only where spaces mark them."""

from __future__ import annotations

import pytest

from review.text.spans import Span, snap_to_words

CLAUSE = "据报道，距离土耳其大选还有数日。"


def test_one_chinese_character_stays_one_character() -> None:
    at = CLAUSE.index("耳")
    assert snap_to_words(CLAUSE, at, at + 1) == Span(at, at + 1)


def test_a_chinese_drag_keeps_exactly_its_characters() -> None:
    at = CLAUSE.index("土耳其")
    assert snap_to_words(CLAUSE, at, at + 3) == Span(at, at + 3)


@pytest.mark.parametrize("text, piece", [
    ("東京都に住んでいます", "住"),      # Japanese
    ("ภาษาไทยง่ายมาก", "ไทย"),          # Thai
])
def test_spaceless_scripts_keep_the_selection(text: str, piece: str) -> None:
    at = text.index(piece)
    assert snap_to_words(text, at, at + len(piece)) == Span(at, at + len(piece))


def test_a_click_on_a_chinese_character_takes_that_character() -> None:
    at = CLAUSE.index("其")
    assert snap_to_words(CLAUSE, at, at) == Span(at, at + 1)


def test_latin_words_inside_chinese_text_still_snap_whole() -> None:
    text = "他们使用了ChatGPT工具。"
    at = text.index("GPT")
    span = snap_to_words(text, at, at + 1)
    assert text[span.start:span.end] == "ChatGPT"


@pytest.mark.parametrize("text, start, end, expected", [
    ("Der Präsident sprach", 5, 8, "Präsident"),
    ("It's well-known now", 6, 8, "well-known"),
    ("Он сказал правду", 4, 6, "сказал"),
])
def test_spaced_scripts_snap_to_whole_words(text: str, start: int, end: int,
                                            expected: str) -> None:
    span = snap_to_words(text, start, end)
    assert text[span.start:span.end] == expected
