"""Segmentation, residue kinds and the language marker on literal cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.core.errors import InputError
from review.core.vocab import SEGMENT_KINDS
from review.formats.base import DocArticle, DocSegment
from review.formats.rebuild import join_paragraph, paragraphs_of, rebuild_text
from review.formats.scraped import segment_article
from review.segment import (
    RESIDUE_RULES,
    classify_line,
    detect_language_marker,
    residue_rule,
    split_sentences,
)

DATA = Path(__file__).parents[1] / "data"
WUZHEN = (DATA / "wuzhen.en.txt").read_text(encoding="utf-8")
TITLE = (
    "Playing a game of chess together, the Digital Yangtze River Delta Development Conference "
    "was held in Wuzhen, Zhejiang"
)


@pytest.fixture(scope="module")
def wuzhen() -> DocArticle:
    return segment_article(WUZHEN)


# --------------------------------------------------------------------------- the sample article

WUZHEN_KINDS = [
    # (start of the segment text, kind, paragraph)
    ("Breaking news", "boilerplate", 0),
    (TITLE, "title", 1),
    ("People’s Daily Online, Jiaxing, November 10 (Reporter Ye Binde) Yesterday", "body", 2),
    ("The scene of the Digital Yangtze River Delta Development Conference.", "body", 3),
    ("Photo by reporter Ye Binde", "caption", 3),
    ("In 2022, the scale of the digital economy will account for nearly 30%", "body", 4),
    ("The ratios are about 3/5 and 1/3 respectively.", "body", 4),
    ("The “Digital Yangtze River Delta Development Report (2023)” was released.", "body", 7),
    ("(Editors: Ye Binde, Wang Liwei)", "metadata", 12),
    ("Share so more people can see it", "boilerplate", 13),
    ("The article is in Chinese", "metadata", 14),
    ("Tags: Playing game chess Digital Yangtze River Delta", "boilerplate", 15),
    ("NEXT A food company in Chongqing was fined", "boilerplate", 16),
]


@pytest.mark.parametrize(("start", "kind", "paragraph"), WUZHEN_KINDS)
def test_wuzhen_segment_kinds(wuzhen: DocArticle, start: str, kind: str, paragraph: int) -> None:
    matches = [seg for seg in wuzhen.segments if seg.mt.startswith(start)]
    assert [(seg.kind, seg.paragraph) for seg in matches][:1] == [(kind, paragraph)]


def test_wuzhen_glued_caption_is_cut_without_separator(wuzhen: DocArticle) -> None:
    para = [seg for seg in wuzhen.segments if seg.paragraph == 3]
    assert [(seg.meta["sep"], seg.mt, seg.kind) for seg in para] == [
        ("", "The scene of the Digital Yangtze River Delta Development Conference.", "body"),
        ("", "Photo by reporter Ye Binde", "caption"),
    ]


def test_wuzhen_article_fields(wuzhen: DocArticle) -> None:
    assert wuzhen.title == TITLE
    assert wuzhen.source_lang == "zh"
    assert wuzhen.target_lang == "en"
    assert [seg.kind for seg in wuzhen.segments].count("title") == 1
    assert [seg.kind for seg in wuzhen.segments].count("caption") == 2
    assert all(seg.source == "" for seg in wuzhen.segments)
    assert [seg.position for seg in wuzhen.segments] == list(range(len(wuzhen.segments)))
    assert {seg.kind for seg in wuzhen.segments} <= set(SEGMENT_KINDS)


def test_wuzhen_body_sentences(wuzhen: DocArticle) -> None:
    body = [seg.mt for seg in wuzhen.segments if seg.kind == "body"]
    assert len(body) == 25
    assert body[-1].startswith("The conference also held a keynote speech")
    # the run-on with no punctuation stays one sentence (no splitter handles it)
    assert any("Beijing Institute of Technology A large number" in s for s in body)


def test_wuzhen_paragraphs_rebuild_exactly(wuzhen: DocArticle) -> None:
    lines = [line.strip() for line in WUZHEN.splitlines() if line.strip()]
    rebuilt = [join_paragraph(group) for group in paragraphs_of(wuzhen.segments)]
    assert rebuilt == lines


def test_source_lang_argument_overrides_the_marker() -> None:
    assert segment_article(WUZHEN, source_lang="ja").source_lang == "ja"


def test_no_marker_means_unknown_source_language() -> None:
    assert segment_article("Title\n\nOne sentence. Two.").source_lang == ""


# --------------------------------------------------------------------------- classify_line

CLASSIFY_CASES = [
    ("Share so more people can see it", "boilerplate"),
    ("Share to WeChat", "boilerplate"),
    ("Breaking news", "boilerplate"),
    ("NEXT A food company in Chongqing was fined | Chongqing Municipality", "boilerplate"),
    ("Next article: Shanghai opens a new metro line", "boilerplate"),
    ("Tags: Wuzhen Zhejiang", "boilerplate"),
    ("Keywords：数字 长三角", "boilerplate"),
    ("Scan the QR code to follow us", "boilerplate"),
    ("Editor in charge: Li Ming", "boilerplate"),
    ("Copyright © 1997-2023 People's Daily Online. All rights reserved.", "boilerplate"),
    ("【Print】【Close】", "boilerplate"),
    ("Print", "boilerplate"),
    ("Related news", "boilerplate"),
    ("(Editors: Ye Binde, Wang Liwei)", "metadata"),
    ("(Responsible editor: Wang Liwei)", "metadata"),
    ("（责任编辑：王立伟）", "metadata"),
    ("The article is in Chinese", "metadata"),
    ("Source: People's Daily Online", "metadata"),
    ("November 10, 2023", "metadata"),
    ("2023-11-10 08:30:15", "metadata"),
    ("2023年11月10日 08:30", "metadata"),
    ("Published: Nov. 10, 2023 9:15 AM", "metadata"),
    ("Photo by reporter Ye Binde", "caption"),
    ("Photo by Li Ming/Xinhua", "caption"),
    ("(Photo: Xinhua)", "caption"),
    ("Xinhua photo", "caption"),
    ("(Xinhua/Li Xin)", "caption"),
    ("Photographed by Zhang Wei", "caption"),
    ("The picture shows the opening ceremony.", "caption"),
    ("Image source: Visual China", "caption"),
    ("新华社记者 李明 摄", "caption"),
    # body text that starts like residue must stay body
    ("Share prices rose 3% on Monday.", "body"),
    ("Next year, the city will open 16 new digital application scenarios.", "body"),
    ("Print media in the region is changing fast.", "body"),
    ("Related departments said the plan would be released soon.", "body"),
    ("The picture is clear: growth is slowing.", "body"),
    ("Sources said the meeting was postponed.", "body"),
    ("In 2022, the scale of the digital economy will account for nearly 30%.", "body"),
    ("The ratios are about 3/5 and 1/3 respectively.", "body"),
    ("", "body"),
]


@pytest.mark.parametrize(("text", "kind"), CLASSIFY_CASES)
def test_classify_line(text: str, kind: str) -> None:
    assert classify_line(text) == kind


def test_residue_rule_names_the_rule() -> None:
    assert residue_rule("Tags: a b") == "tags"
    assert residue_rule("An ordinary sentence.") is None


def test_residue_rules_have_unique_names_and_valid_kinds() -> None:
    names = [rule.name for rule in RESIDUE_RULES]
    assert len(names) == len(set(names))
    assert {rule.kind for rule in RESIDUE_RULES} == {"boilerplate", "metadata", "caption"}


# --------------------------------------------------------------------------- language marker

MARKER_CASES = [
    ("The article is in Chinese", "zh"),
    ("This article is in English", "en"),
    ("The original is in Japanese", "ja"),
    ("Original text in Chinese", "zh"),
    ("(The original text is in Korean.)", "ko"),
    ("Original language: German", "de"),
    ("Translated from the French", "fr"),
    ("the article is in spanish", "es"),
    ("The article was originally published in Russian", "ru"),
    ("The article is in Vietnamese", "vi"),
    ("The article is in Klingon", None),
    ("The article is in Chinese and was translated by machine.", None),
    ("Chinese officials said", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "code"), MARKER_CASES)
def test_detect_language_marker(text: str, code: str | None) -> None:
    assert detect_language_marker(text) == code


# --------------------------------------------------------------------------- split_sentences

SPLIT_CASES = [
    ("Mr. Smith went to Washington. He arrived at 3 p.m. on Monday.", "en",
     [("", "Mr. Smith went to Washington."), (" ", "He arrived at 3 p.m. on Monday.")]),
    ("Changes are not just happening in Jiaxing.  In recent years, cities grew.", "en",
     [("", "Changes are not just happening in Jiaxing."),
      ("  ", "In recent years, cities grew.")]),
    ("The conference.Photo by reporter Ye Binde", "en",
     [("", "The conference."), ("", "Photo by reporter Ye Binde")]),
    ("It costs 3.5 dollars.Next item.", "en", [("", "It costs 3.5 dollars.Next item.")]),
    ("Hallo Welt. Wie geht es dir? Gut!", "de",
     [("", "Hallo Welt."), (" ", "Wie geht es dir?"), (" ", "Gut!")]),
    ("  Leading space. Trailing space.  ", "en",
     [("  ", "Leading space."), (" ", "Trailing space.  ")]),
    ("No punctuation at all", "en", [("", "No punctuation at all")]),
    ("   ", "en", [("   ", "")]),
    ("", "en", []),
]

CJK_SPLIT_CASES = [
    ("乌镇举行数字长三角发展大会。2022年，数字经济规模占全国的近30%！", "zh",
     [("", "乌镇举行数字长三角发展大会。"), ("", "2022年，数字经济规模占全国的近30%！")]),
    ("你好吗？我很好！！谢谢。", "zh", [("", "你好吗？"), ("", "我很好！！"), ("", "谢谢。")]),
    ("他说：“今天天气很好。”然后离开了", "zh",
     [("", "他说：“今天天气很好。”"), ("", "然后离开了")]),
    ("会议现场。 新华社记者 李明 摄", "zh", [("", "会议现场。"), (" ", "新华社记者 李明 摄")]),
    ("（完）", "zh", [("", "（完）")]),
    ("今日はいい天気ですね。散歩しましょう！", "ja",
     [("", "今日はいい天気ですね。"), ("", "散歩しましょう！")]),
    # language unknown: CJK rules chosen from the text itself
    ("第一句。第二句。", "", [("", "第一句。"), ("", "第二句。")]),
]


@pytest.mark.parametrize(("paragraph", "lang", "expected"), SPLIT_CASES + CJK_SPLIT_CASES)
def test_split_sentences(paragraph: str, lang: str, expected: list[tuple[str, str]]) -> None:
    result = split_sentences(paragraph, lang)
    assert result == expected
    assert "".join(sep + s for sep, s in result) == paragraph


def test_chinese_article_segments_and_rebuilds() -> None:
    text = (
        "乌镇举行数字长三角发展大会\n\n会议现场。记者 叶斌德 摄\n\n"
        "2022年数据显示增长。规模占全国近三成。\n"
    )
    article = segment_article(text, target_lang="zh")
    assert [(s.kind, s.mt) for s in article.segments] == [
        ("title", "乌镇举行数字长三角发展大会"),
        ("body", "会议现场。"),
        ("caption", "记者 叶斌德 摄"),
        ("body", "2022年数据显示增长。"),
        ("body", "规模占全国近三成。"),
    ]
    assert rebuild_text(article, include_residue=False) == (
        "乌镇举行数字长三角发展大会\n\n会议现场。\n\n2022年数据显示增长。规模占全国近三成。\n"
    )


# --------------------------------------------------------------------------- segment_article

def test_residue_first_line_is_not_the_title() -> None:
    article = segment_article("Breaking news\nShare to\nThe real title\nBody one. Body two.")
    assert [(s.kind, s.mt, s.paragraph) for s in article.segments] == [
        ("boilerplate", "Breaking news", 0),
        ("boilerplate", "Share to", 1),
        ("title", "The real title", 2),
        ("body", "Body one.", 3),
        ("body", "Body two.", 3),
    ]
    assert article.title == "The real title"


def test_single_newlines_separate_paragraphs() -> None:
    article = segment_article("Title\r\nFirst paragraph.\nSecond paragraph.\r\n\r\n\nThird.")
    assert [s.paragraph for s in article.segments] == [0, 1, 2, 3]


def test_explicit_title_matching_the_first_line_keeps_it_as_title() -> None:
    article = segment_article("My  Title\nBody.", title="my title")
    assert [s.kind for s in article.segments] == ["title", "body"]
    assert article.title == "my title"


def test_explicit_title_different_from_first_line_means_no_title_line() -> None:
    article = segment_article("First sentence here.\nSecond paragraph.", title="Given")
    assert [s.kind for s in article.segments] == ["body", "body"]
    assert article.title == "Given"


def test_long_first_paragraph_is_body_not_title() -> None:
    first = "This is a long opening sentence about the conference. " * 4
    article = segment_article(first + "\nMore text.")
    assert article.segments[0].kind == "body"
    assert article.title == "This is a long opening sentence about the conference."


@pytest.mark.parametrize("text", ["", "   \n\n \t\n"])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="empty"):
        segment_article(text)


def test_only_residue_is_refused() -> None:
    text = "Breaking news\n\nShare so more people can see it\n\nTags: a b c\n\nPhoto by Li Ming\n"
    with pytest.raises(InputError, match="contains only web residue"):
        segment_article(text)


# --------------------------------------------------------------------------- rebuilding

def test_rebuild_uses_corrections_and_drops_residue() -> None:
    article = segment_article("Title\n\nOne. Two.Photo by Li\n\nTags: x\n")
    article.segments[1].corrected = "First."
    assert rebuild_text(article, include_residue=False) == "Title\n\nFirst. Two.\n"
    assert rebuild_text(article) == "Title\n\nFirst. Two.Photo by Li\n\nTags: x\n"
    assert rebuild_text(article, use_corrected=False, include_residue=False) == (
        "Title\n\nOne. Two.\n"
    )


def test_join_paragraph_without_recorded_separators() -> None:
    latin = [DocSegment(mt="One."), DocSegment(mt="Two.")]
    cjk = [DocSegment(mt="第一句。"), DocSegment(mt="第二句。")]
    assert join_paragraph(latin) == "One. Two."
    assert join_paragraph(cjk) == "第一句。第二句。"
    assert join_paragraph([]) == ""
