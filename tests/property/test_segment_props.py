"""Segmentation is lossless and never fails with anything but a message for the user."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from review.core.errors import InputError
from review.formats.base import ReadOptions, WriteOptions
from review.formats.rebuild import paragraphs_of
from review.formats.scraped import segment_article
from review.formats.text import FORMAT
from review.segment import split_sentences

LATIN_WORDS = st.sampled_from([
    "the", "Conference", "was", "held", "in", "Wuzhen", "Mr.", "Dr.", "U.S.", "3.5", "2022",
    "30%", "“digital”", "(2023)", "e.g.", "Photo", "by", "reporter", "Tags:", "NEXT",
    "Share", "Xinhua", "photo", "...", "—", "a", "i.e.", "No.", "St.",
])
PUNCT = st.sampled_from([".", "!", "?", ".", ",", ";", ":", "", "", "", "", ".”", ".)"])
SPACE = st.sampled_from([" ", " ", " ", "  ", "", "\t", "\u3000"])


@st.composite
def latin_paragraphs(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(LATIN_WORDS, PUNCT, SPACE), max_size=30))
    return "".join(word + punct + space for word, punct, space in parts)


CJK_CHUNKS = st.sampled_from([
    "乌镇", "举行", "数字", "长三角", "大会", "2022年", "30%", "记者", "摄", "图为", "“", "”",
    "（", "）", "Wuzhen", " ",
])
CJK_PUNCT = st.sampled_from(["。", "！", "？", "！？", "。”", "，", "、", "", "", "", ".", "…"])


@st.composite
def cjk_paragraphs(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(CJK_CHUNKS, CJK_PUNCT), max_size=30))
    return "".join(chunk + punct for chunk, punct in parts)


def _check_join(paragraph: str, lang: str) -> None:
    pairs = split_sentences(paragraph, lang)
    assert "".join(sep + sentence for sep, sentence in pairs) == paragraph
    for i, (sep, sentence) in enumerate(pairs):
        assert sep.strip() == ""
        if paragraph.strip():
            assert sentence.strip() != ""
            assert sentence == sentence.lstrip()
        if i + 1 < len(pairs):
            assert sentence == sentence.rstrip()


@settings(max_examples=150, deadline=None)
@given(latin_paragraphs() | st.text(max_size=200))
def test_english_split_joins_back(paragraph: str) -> None:
    _check_join(paragraph, "en")


@settings(max_examples=150, deadline=None)
@given(cjk_paragraphs() | st.text(max_size=200))
def test_chinese_split_joins_back(paragraph: str) -> None:
    _check_join(paragraph, "zh")


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=80), st.sampled_from(["de", "fr", "ja", "", "pt-BR", "xx"]))
def test_other_languages_split_joins_back(paragraph: str, lang: str) -> None:
    _check_join(paragraph, lang)


ARTICLE_LINES = st.lists(
    latin_paragraphs() | cjk_paragraphs() | st.text(max_size=60)
    | st.sampled_from(["", "Breaking news", "Share so more people can see it",
                       "The article is in Chinese", "Photo by reporter Ye Binde"]),
    max_size=8,
)


@settings(max_examples=100, deadline=None)
@given(ARTICLE_LINES, st.sampled_from(["en", "zh"]), st.none() | st.text(max_size=20))
def test_segment_article_raises_only_input_errors(lines: list[str], lang: str,
                                                  title: str | None) -> None:
    text = "\n".join(lines)
    try:
        article = segment_article(text, target_lang=lang, title=title)
    except InputError:
        return
    assert article.segments
    lines_kept = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
    rebuilt = ["".join(seg.meta["sep"] + seg.mt for seg in group)
               for group in paragraphs_of(article.segments)]
    assert rebuilt == lines_kept


@settings(max_examples=60, deadline=None)
@given(st.lists(latin_paragraphs().filter(str.strip), min_size=1, max_size=5))
def test_text_write_then_read_keeps_body_sentences(paragraphs: list[str]) -> None:
    text = "Headline of the day\n\n" + "\n\n".join(paragraphs) + "\n"
    try:
        first = next(FORMAT.read(io.BytesIO(text.encode("utf-8")), ReadOptions()))
    except InputError:
        return
    out = io.BytesIO()
    FORMAT.write([first], out, WriteOptions())
    second = next(FORMAT.read(io.BytesIO(out.getvalue()), ReadOptions()))
    body_first = [s.mt for s in first.segments if s.kind in ("title", "body")]
    body_second = [s.mt for s in second.segments if s.kind in ("title", "body")]
    # Dropping residue from inside a paragraph may move sentence boundaries, never the text.
    assert "".join("".join(body_second).split()) == "".join("".join(body_first).split())
    if len(body_first) == len(first.segments):
        assert body_second == body_first
