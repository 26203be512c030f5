"""Source language from the script, with the evidence."""

from __future__ import annotations

import pytest

from review.lang.detect import guess_language


@pytest.mark.parametrize(("texts", "code"), [
    (["距离土耳其和叙利亚部分地区发生地震已经过去数日。", "找到幸存者的希望日渐渺茫"], "zh"),
    (["東京で会議が開かれました。", "ありがとうございます"], "ja"),
    (["서울에서 회의가 열렸습니다."], "ko"),
    (["Η συνάντηση έγινε στην Αθήνα."], "el"),
    (["The meeting took place in Berlin."], None),
    (["Встреча прошла в Москве."], None),
    (["", "123 456"], None),
    (["中文 with some English words mixed in here and there"], None),
])
def test_guess_language(texts: list[str], code: str | None) -> None:
    guess = guess_language(texts)
    assert (guess.code if guess else None) == code


def test_the_guess_says_why() -> None:
    guess = guess_language(["中文的文章。"])
    assert guess is not None and "Han" in guess.explain() and guess.explain().startswith("zh")
