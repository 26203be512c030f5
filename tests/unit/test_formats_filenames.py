"""Export names built from article titles stay one plain file name."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review.formats.filenames import safe_filename, stream_title, title_from_name
from tests.unit.test_formats_table import NamedBytes


@pytest.mark.parametrize(
    ("title", "ext", "expected"),
    [
        ("Digital Yangtze River Delta", "csv", "Digital-Yangtze-River-Delta.csv"),
        ("Café déjà vu", ".xlf", "Cafe-deja-vu.xlf"),
        ("../../etc/passwd", "txt", "etc-passwd.txt"),
        ("..\\..\\windows\\win.ini", "txt", "windows-win.ini.txt"),
        ("  .hidden  ", "tmx", "hidden.tmx"),
        ("a\x00b\x1fc\nd", "csv", "a-b-c-d.csv"),
        ("CON", "csv", "article-CON.csv"),
        ("nul.tar", "gz", "article-nul.tar.gz"),
        ("report", "tar.gz", "report.tar.gz"),
        ("report", "", "report"),
        ("x", "c$v/../", "x.cv"),
        ("x", ".tar..gz", "x.tar.gz"),
    ],
)
def test_safe_filename_cases(title: str, ext: str, expected: str) -> None:
    assert safe_filename(title, ext) == expected


def test_titles_with_nothing_ascii_get_distinct_hashed_names() -> None:
    first = safe_filename("欧盟峰会为难民政策争论", "csv")
    second = safe_filename("乌镇数字长三角大会", "csv")
    assert first.startswith("article-") and first.endswith(".csv")
    assert first != second
    assert safe_filename("", "csv").startswith("article-")
    assert safe_filename("...", "csv").startswith("article-")


def test_long_titles_are_cut() -> None:
    name = safe_filename("word " * 100, "jsonl")
    assert len(name) <= 80 + len(".jsonl")
    assert name.endswith("word.jsonl")


@given(st.text(), st.text(max_size=10))
def test_any_title_gives_one_safe_name(title: str, ext: str) -> None:
    name = safe_filename(title, ext)
    assert name
    assert name.isascii()
    assert "/" not in name and "\\" not in name and ".." not in name.split(".", 1)[0]
    assert not name.startswith((".", "-"))
    assert all(ch.isalnum() or ch in "._-" for ch in name)
    assert len(name) <= 80 + 17


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("wmt21-ted-ende-mqm.tsv", "wmt21-ted-ende-mqm"),
        ("/tmp/up/wmt23-zhen-sxs-mqm.tsv.tar.gz", "wmt23-zhen-sxs-mqm"),
        ("C:\\Users\\me\\article.xlf", "article"),
        ("archive.tgz", "archive"),
        ("", "Untitled"),
        (None, "Untitled"),
    ],
)
def test_title_from_name(name: str | None, expected: str) -> None:
    assert title_from_name(name) == expected


def test_stream_title_uses_the_stream_name_or_the_fallback() -> None:
    named = NamedBytes(b"", "news/article one.csv")
    assert stream_title(named) == "article one"
    assert stream_title(io.BytesIO(b""), "Fallback") == "Fallback"


def test_every_writable_format_downloads_under_its_own_name() -> None:
    from review.formats.filenames import export_filename
    from review.formats.registry import FORMATS

    names = {n: export_filename("Report", n, f.extensions[0])
             for n, f in FORMATS.items() if f.can_write}
    assert names["xliff"] == "Report.xlf"
    assert names["xliff2"] == "Report.xliff"
    assert names["tsv"] == "Report.tsv"
    assert names["mqm-tsv"] == "Report.mqm.tsv"
    assert len(set(names.values())) == len(names)
