"""TMX 1.4b: corrected pairs out (read back by translate-toolkit), pairs in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import tmx as tt_tmx

from review.core.errors import InputError
from review.formats.base import DocArticle, DocSegment, ReadOptions, WriteOptions
from review.formats.tmx import FORMAT

HOSTILE = Path(__file__).parents[1] / "data" / "formats" / "hostile"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def export(articles: list[DocArticle], **options) -> bytes:
    out = io.BytesIO()
    FORMAT.write(articles, out, WriteOptions(**options))
    return out.getvalue()


def read(data: bytes | str, **options) -> list[DocArticle]:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return list(FORMAT.read(io.BytesIO(data), ReadOptions(**options)))


def _article() -> DocArticle:
    return DocArticle(
        title="Wuzhen", source_lang="zh", target_lang="en",
        segments=[
            DocSegment(mt="Playing a game of chess together", source="共下一盘棋",
                       corrected="Working together as one", changed_by="ann",
                       changed_at="2026-11-29T21:35:07+00:00", status="fixed",
                       notes=["idiom"], external_id="s1"),
            DocSegment(mt="In 2022 <the> ratio & \"share\" will account", source="2022年……",
                       position=1),
            DocSegment(mt="Only a target", position=2),
            DocSegment(mt="Share so more people can see it", source="分享", kind="boilerplate",
                       position=3),
        ],
    )


def test_export_writes_corrected_pairs_with_who_and_when() -> None:
    root = etree.fromstring(export([_article()]))
    assert root.get("version") == "1.4"
    header = root.find("header")
    assert {k: header.get(k) for k in ("srclang", "segtype", "datatype", "adminlang")} == {
        "srclang": "zh", "segtype": "sentence", "datatype": "plaintext", "adminlang": "en"}
    tus = root.findall("body/tu")
    assert len(tus) == 2
    first = tus[0]
    assert dict(first.attrib) == {"tuid": "s1", "creationid": "ann", "changeid": "ann",
                                  "creationdate": "20261129T213507Z",
                                  "changedate": "20261129T213507Z"}
    assert [(t.get(XML_LANG), t.findtext("seg")) for t in first.findall("tuv")] == [
        ("zh", "共下一盘棋"), ("en", "Working together as one")]
    assert first.findtext("note") == "idiom"
    assert first.findtext("prop[@type='x-status']") == "fixed"
    assert tus[1].get("tuid") == "2"


def test_translate_toolkit_reads_the_export() -> None:
    store = tt_tmx.tmxfile(io.BytesIO(export([_article()], include_residue=True)))
    assert [(u.source, u.target) for u in store.units] == [
        ("共下一盘棋", "Working together as one"),
        ("2022年……", 'In 2022 <the> ratio & "share" will account'),
        ("分享", "Share so more people can see it"),
    ]


def test_export_reads_back() -> None:
    [back] = read(export([_article()]), title="Wuzhen")
    assert (back.title, back.source_lang, back.target_lang) == ("Wuzhen", "zh", "en")
    first, second = back.segments
    assert (first.source, first.mt, first.external_id, first.notes, first.status) == (
        "共下一盘棋", "Working together as one", "s1", ["idiom"], "fixed")
    assert (first.changed_by, first.changed_at) == ("ann", "2026-11-29T21:35:07+00:00")
    assert second.mt == 'In 2022 <the> ratio & "share" will account'


def test_import_picks_languages_and_keeps_inline_codes_as_markers() -> None:
    data = """<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header srclang="en-US" adminlang="en" segtype="sentence" datatype="html"
 o-tmf="x" creationtool="x" creationtoolversion="1"/>
<body>
 <tu tuid="a"><tuv xml:lang="de-DE">
  <seg>Hallo <bpt i="1">&lt;b&gt;</bpt>Welt<ept i="1">&lt;/b&gt;</ept></seg></tuv>
  <tuv xml:lang="en-us"><seg>Hello <hi x="1">world</hi><ph>&lt;br/&gt;</ph></seg></tuv>
  <tuv xml:lang="fr-FR"><seg>Bonjour</seg></tuv></tu>
 <tu tuid="b"><tuv xml:lang="EN-US"><seg>Only source</seg></tuv></tu>
</body></tmx>"""
    [article] = read(data)
    assert (article.source_lang, article.target_lang) == ("en-US", "de-DE")
    assert [(s.source, s.mt) for s in article.segments] == [
        ("Hello {1}world{/1}{2/}", "Hallo {3/}Welt{4/}"), ("Only source", "")]
    [article] = read(data, target_lang="fr")
    assert article.segments[0].mt == "Bonjour"
    assert article.target_lang == "fr"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("<xliff/>", "is not TMX: its root element is <xliff>"),
        ("<tmx version='1.4'><header srclang='en'/></tmx>", "has no <body>"),
        ("<tmx><header srclang='en'/><body/></tmx>", "holds no translation unit"),
        ("<tmx><header srclang='en'/><body><tu tuid='1'><tuv xml:lang='en'><seg>a</seg></tuv>"
         "</tu>\n<tu tuid='1'><tuv xml:lang='en'><seg>b</seg></tuv></tu></body></tmx>",
         "id '1' appears twice \\(segments 1 and 2\\)"),
        ("<tmx><header srclang='en'/><body><tu><tuv><seg>a</seg></tuv></tu></body></tmx>",
         "a <tuv> without xml:lang"),
        ("<tmx><header srclang='ja'/><body><tu><tuv xml:lang='en'><seg>a</seg></tuv></tu>"
         "</body></tmx>", "no <tuv> in the source language 'ja'"),
        ("<tmx><header srclang='en'/><body><tu/></body></tmx>", "a <tu> without any <tuv>"),
    ],
)
def test_malformed_tmx_is_refused(data: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read(data)


@pytest.mark.parametrize("name", ["picture.tmx", "external-entity.tmx",
                                  "billion-laughs.tmx"])
def test_hostile_tmx_is_refused(name: str) -> None:
    with pytest.raises(InputError):
        read((HOSTILE / name).read_bytes())


def test_xml_illegal_characters_are_dropped_on_export() -> None:
    article = DocArticle(title="t", source_lang="zh", segments=[
        DocSegment(mt="bell\x07 and\x0bvertical tab", source="源\x00")])
    [back] = read(export([article]))
    assert (back.segments[0].source, back.segments[0].mt) == ("源", "bell andvertical tab")


def test_mixed_source_languages_use_all_in_the_header() -> None:
    zh = DocArticle(title="a", source_lang="zh", segments=[DocSegment(mt="A", source="甲")])
    ja = DocArticle(title="b", source_lang="ja", segments=[DocSegment(mt="B", source="あ")])
    root = etree.fromstring(export([zh, ja]))
    assert root.find("header").get("srclang") == "*all*"
    assert [t.get(XML_LANG) for t in root.iterfind("body/tu/tuv")] == ["zh", "en", "ja", "en"]
