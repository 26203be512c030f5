"""The plain-text format and the encoding detection behind every text import."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from review.core.errors import InputError
from review.formats.base import MAX_IMPORT_BYTES, DocArticle, ReadOptions, WriteOptions
from review.formats.encoding import check_size, decode_text
from review.formats.text import FORMAT, TextFormat

DATA = Path(__file__).parents[1] / "data"
WUZHEN_BYTES = (DATA / "wuzhen.en.txt").read_bytes()
WUZHEN = WUZHEN_BYTES.decode("utf-8")

ZH_TEXT = "乌镇举行数字长三角发展大会\n\n会议现场。2022年，数字经济规模占全国的近30%！\n"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06"


def read(data: bytes, **options: object) -> DocArticle:
    articles = list(FORMAT.read(io.BytesIO(data), ReadOptions(**options)))
    assert len(articles) == 1
    return articles[0]


def write(article: DocArticle, **options: object) -> str:
    out = io.BytesIO()
    FORMAT.write([article], out, WriteOptions(**options))
    return out.getvalue().decode("utf-8")


def test_format_attributes() -> None:
    assert isinstance(FORMAT, TextFormat)
    assert (FORMAT.name, FORMAT.extensions, FORMAT.mime) == ("text", (".txt",), "text/plain")
    assert FORMAT.can_read and FORMAT.can_write


# --------------------------------------------------------------------------- read

def test_read_wuzhen() -> None:
    article = read(WUZHEN_BYTES, origin="wuzhen.en.txt")
    assert article.origin == "wuzhen.en.txt"
    assert article.source_lang == "zh"
    assert article.target_lang == "en"
    assert article.title.startswith("Playing a game of chess together")
    kinds = [seg.kind for seg in article.segments]
    assert (kinds.count("title"), kinds.count("caption"), kinds.count("metadata")) == (1, 2, 2)
    assert kinds.count("boilerplate") == 4


def test_read_options_win() -> None:
    article = read(WUZHEN_BYTES, source_lang="ja", target_lang="en", title="Wuzhen")
    assert (article.source_lang, article.title) == ("ja", "Wuzhen")


def test_stream_hands_over_the_segments_one_by_one() -> None:
    pairs = list(FORMAT.stream(io.BytesIO(WUZHEN_BYTES), ReadOptions(origin="wuzhen.en.txt")))
    header = pairs[0][0]
    assert all(article is header for article, _ in pairs)
    assert header.segments == [] and header.origin == "wuzhen.en.txt"
    assert header.title.startswith("Playing a game of chess together")
    assert [seg.mt for _, seg in pairs] == [seg.mt for seg in read(WUZHEN_BYTES).segments]


def test_stream_refuses_an_empty_file_before_any_segment() -> None:
    with pytest.raises(InputError, match="empty"):
        next(FORMAT.stream(io.BytesIO(b"\n\n"), ReadOptions()))


# --------------------------------------------------------------------------- write

def test_export_of_unedited_article_gives_back_the_body() -> None:
    article = read(WUZHEN_BYTES)
    text = write(article)
    body = [seg.mt for seg in article.segments if seg.kind in ("title", "body")]
    assert all(sentence in text for sentence in body)
    for residue in ("Share so more people", "Tags:", "NEXT ", "Photo by reporter",
                    "(Editors:", "The article is in Chinese", "Breaking news"):
        assert residue not in text
    assert text.startswith(article.title + "\n\n")
    assert "Development Conference.\n\nThis year marks" in text
    assert text.endswith("Yangtze River Delta Intelligent Industry Conference of 100.\n")


def test_export_with_residue_keeps_the_paragraphs_exactly() -> None:
    text = write(read(WUZHEN_BYTES), include_residue=True)
    lines = [line.strip() for line in WUZHEN.splitlines() if line.strip()]
    assert text == "\n\n".join(lines) + "\n"


def test_export_uses_corrected_text() -> None:
    article = read(b"Title\n\nIn 2022, it will account for 30%. The ratios are 3/5.\n")
    article.segments[1].corrected = "In 2022, it accounted for 30%."
    assert write(article) == "Title\n\nIn 2022, it accounted for 30%. The ratios are 3/5.\n"


def test_export_writes_the_title_when_no_segment_holds_it() -> None:
    article = DocArticle(title="Headline", segments=[])
    from review.formats.base import DocSegment

    article.segments = [DocSegment(mt="One.", paragraph=0), DocSegment(mt="Two.", paragraph=0),
                        DocSegment(mt="Three.", paragraph=1)]
    assert write(article) == "Headline\n\nOne. Two.\n\nThree.\n"


def test_export_of_several_articles() -> None:
    out = io.BytesIO()
    FORMAT.write([read(b"A\n\nOne.\n"), read(b"B\n\nTwo.\n")], out, WriteOptions())
    assert out.getvalue().decode("utf-8") == "A\n\nOne.\n\n\nB\n\nTwo.\n"


def test_chinese_round_trip() -> None:
    article = read(ZH_TEXT.encode("utf-8"), target_lang="zh")
    assert write(article) == ZH_TEXT


# --------------------------------------------------------------------------- encodings

ENCODED_CASES = [
    ("utf-8", ZH_TEXT.encode("utf-8")),
    ("utf-8 with BOM", codecs.BOM_UTF8 + ZH_TEXT.encode("utf-8")),
    ("utf-16 with BOM", ZH_TEXT.encode("utf-16")),
    ("utf-16-be with BOM", codecs.BOM_UTF16_BE + ZH_TEXT.encode("utf-16-be")),
    ("utf-32 with BOM", ZH_TEXT.encode("utf-32")),
    ("utf-16-le without BOM", ZH_TEXT.encode("utf-16-le")),
    ("gb18030", ZH_TEXT.encode("gb18030")),
    ("crlf newlines", ZH_TEXT.replace("\n", "\r\n").encode("utf-8")),
]


@pytest.mark.parametrize(("label", "data"), ENCODED_CASES, ids=[c[0] for c in ENCODED_CASES])
def test_detected_encodings(label: str, data: bytes) -> None:
    assert decode_text(data) == ZH_TEXT


@pytest.mark.parametrize(("data", "expected"), [
    ("Le café est très bon à Paris, où les élèves étudient.".encode("latin-1"),
     "Le café est très bon à Paris, où les élèves étudient."),
    ("Grüße aus München".encode("latin-1"), "Grüße aus München"),
    ("Привет, как дела? Всё хорошо, спасибо большое.".encode("cp1251"),
     "Привет, как дела? Всё хорошо, спасибо большое."),
    ("こんにちは、世界。今日はいい天気ですね。".encode("shift_jis"),
     "こんにちは、世界。今日はいい天気ですね。"),
    ("Hello\r\nworld\rend".encode("utf-16-be"), "Hello\nworld\nend"),
])
def test_legacy_encodings_detected(data: bytes, expected: str) -> None:
    assert decode_text(data) == expected


def test_undecidable_bytes_ask_for_an_encoding() -> None:
    with pytest.raises(InputError, match="could not tell the encoding; pass --encoding"):
        decode_text(bytes(range(0x80, 0x100)))


def test_given_encoding_is_used_strictly() -> None:
    assert decode_text("café".encode("latin-1"), "latin-1") == "café"
    assert decode_text(codecs.BOM_UTF8 + b"abc", "utf-8") == "abc"
    with pytest.raises(InputError, match="not valid utf-8"):
        decode_text("café".encode("latin-1"), "utf-8")
    with pytest.raises(InputError, match="Unknown encoding 'no-such-codec'"):
        decode_text(b"abc", "no-such-codec")


@pytest.mark.parametrize("data", [
    PNG_HEADER,
    b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
    bytes(range(0, 32)) * 4,
])
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="looks binary, not text"):
        decode_text(data)


def test_read_refuses_binary() -> None:
    with pytest.raises(InputError, match="photo.png looks binary"):
        read(PNG_HEADER, origin="photo.png")


@pytest.mark.parametrize("data", [b"", b"\n\n  \r\n", codecs.BOM_UTF8])
def test_read_refuses_empty(data: bytes) -> None:
    with pytest.raises(InputError, match="empty"):
        read(data)


def test_read_refuses_only_residue() -> None:
    data = b"Breaking news\n\nShare so more people can see it\n\nTags: a b\n"
    with pytest.raises(InputError, match="only web residue"):
        read(data)


def test_read_refuses_oversize() -> None:
    with pytest.raises(InputError, match="larger than the 20 MB limit; split it"):
        read(b"a" * (MAX_IMPORT_BYTES + 1))


def test_check_size() -> None:
    check_size(10, 10, "x")
    with pytest.raises(InputError, match=r"^big.txt is larger than the 1.5 MB limit"):
        check_size(2 * 1024 * 1024, 3 * 512 * 1024, "big.txt")
