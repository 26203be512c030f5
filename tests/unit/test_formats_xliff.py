"""XLIFF 1.2 and 2.0: inline tags as placeholders, states, notes and flags, both directions.

No official XLIFF schema file could be obtained offline, so exports are checked by
translate-toolkit reading them back (1.2) and by structural assertions (both versions).
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import xliff as tt_xliff

from review.core.errors import InputError
from review.formats.base import DocArticle, DocFlag, DocSegment, ReadOptions, WriteOptions
from review.formats.xliff import FORMAT, NS12, NS20, XLIFF12_FORMAT, XLIFF20_FORMAT

DATA = Path(__file__).parents[1] / "data" / "formats"
N12 = {"x": NS12}
N20 = {"x": NS20}


def read_file(name: str, **options) -> list[DocArticle]:
    with (DATA / name).open("rb") as stream:
        return list(FORMAT.read(stream, ReadOptions(**options)))


def read(data: bytes | str, **options) -> list[DocArticle]:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return list(FORMAT.read(io.BytesIO(data), ReadOptions(**options)))


def export(fmt, articles: list[DocArticle], **options) -> bytes:
    out = io.BytesIO()
    fmt.write(articles, out, WriteOptions(**options))
    return out.getvalue()


def rows(article: DocArticle) -> list[tuple]:
    return [(s.external_id, s.source, s.mt, s.status, s.kind, s.paragraph, s.notes)
            for s in article.segments]


def test_registry_objects() -> None:
    assert FORMAT is XLIFF12_FORMAT
    assert (XLIFF12_FORMAT.name, XLIFF20_FORMAT.name) == ("xliff", "xliff2")
    assert XLIFF12_FORMAT.extensions == (".xlf", ".xliff")


def test_reads_xliff_12_with_inline_tags_states_groups_and_notes() -> None:
    [article] = read_file("inline-1.2.xlf")
    assert (article.title, article.source_lang, article.target_lang) == ("wuzhen.html",
                                                                         "zh-CN", "en")
    assert rows(article) == [
        ("title", "数字{1}长三角{/1}大会", "Digital {1}Yangtze River Delta{/1} Conference",
         "todo", "title", 0, ["Keep the conference name"]),
        ("s1", "共下一盘棋{1/}合作共赢。", "Playing a game of chess together{1/}win-win.",
         "fixed", "body", 1, []),
        ("s2", "点击{1/}这里{2/}，{3/}", "Click {1/}here{2/}, {3/}", "flagged", "body", 1, []),
        ("s3", "标签：{1}长三角{/1}", "Tags: {1}Yangtze River Delta{/1}", "approved", "body", 1,
         []),
        ("s4", "只有原文", "", None, "body", 1, []),
    ]
    assert article.segments[4].meta == {"xliff": {"version": "1.2", "loc": [0, 4, 0]}}
    info = article.segments[0].meta["xliff"]
    assert info["version"] == "1.2" and info["brace"] == "{}"
    assert info["tags"]["1"]["attrib"] == {"id": "b", "ctype": "bold"}


def test_reads_xliff_20_with_inline_tags_and_a_literal_brace() -> None:
    [article] = read_file("inline-2.0.xlf", title="ignored: the file has an original name")
    assert (article.title, article.source_lang, article.target_lang) == (
        "ignored: the file has an original name", "zh", "en")
    assert rows(article) == [
        ("u1", "比例约为{1}3/5{/1}和1/3。{2/}", "The ratios are about {1}3/5{/1} and 1/3.{2/}",
         "todo", "body", 0, ["Numbers checked"]),
        ("u2/1", "{1/}二〇二二年{2/}将占{3}全国{/3}1%",
         "{1/}In 2022{2/} will account for 1% of the {3}country{/3}", "fixed", "body", 0, []),
        ("u2/2", "完。", "The end.", "approved", "body", 0, []),
        ("u3", "模板 {1} 不变", "Template {1} kept ⟦1/⟧", "flagged", "body", 0, []),
    ]


@pytest.mark.parametrize("name", ["inline-1.2.xlf", "inline-2.0.xlf"])
@pytest.mark.parametrize("fmt", [XLIFF12_FORMAT, XLIFF20_FORMAT])
def test_export_then_import_keeps_text_tags_states_and_notes(name: str, fmt) -> None:
    [article] = read_file(name)
    [back] = read(export(fmt, [article]))
    assert rows(back) == rows(article)
    for got, want in zip(back.segments, article.segments, strict=True):
        assert bool(got.meta) == bool(want.meta)


def test_same_version_export_keeps_the_original_tags_verbatim() -> None:
    [article] = read_file("inline-1.2.xlf")
    root = etree.fromstring(export(XLIFF12_FORMAT, [article]))
    sources = [etree.tostring(s, encoding="unicode", with_tail=False)
               for s in root.iterfind(".//x:trans-unit/x:source", N12)]
    assert sources[2] == (
        f'<source xmlns="{NS12}">点击<bpt id="1">&lt;a href="x"&gt;</bpt>这里'
        '<ept id="1">&lt;/a&gt;</ept>，<ph id="2">&lt;img src="p.png"/&gt;</ph></source>')
    [article] = read_file("inline-2.0.xlf")
    root = etree.fromstring(export(XLIFF20_FORMAT, [article]))
    unit = root.find(".//x:unit[@id='u1']", N20)
    assert [c.tag.split("}")[1] for c in unit] == ["notes", "originalData", "segment"]
    assert unit.find("x:originalData/x:data[@id='d3']", N20).text == "<br/>"
    pc = unit.find("x:segment/x:target/x:pc", N20)
    assert dict(pc.attrib) == {"id": "1", "dataRefStart": "d1", "dataRefEnd": "d2"}


def test_cross_version_export_gives_unique_tag_ids() -> None:
    [article] = read_file("inline-1.2.xlf")
    root = etree.fromstring(export(XLIFF20_FORMAT, [article]))
    source = root.find(".//x:unit[@id='s2']/x:segment/x:source", N20)
    assert [(c.tag.split("}")[1], c.get("id")) for c in source] == [
        ("ph", "t1"), ("ph", "t2"), ("ph", "2")]


def test_translate_toolkit_reads_the_12_export() -> None:
    [article] = read_file("inline-1.2.xlf")
    article.segments[1].corrected = "Working together{1/}for mutual benefit."
    article.segments[1].flags = [DocFlag("Style/Awkward", "Minor", 0, 32, author="ann")]
    store = tt_xliff.xlifffile(export(XLIFF12_FORMAT, [article]))
    units = store.units
    assert [u.getid().removeprefix("wuzhen.html\x04") for u in units] == [
        "title", "s1", "s2", "s3", "s4"]
    assert units[1].target == "Working togetherfor mutual benefit."
    assert units[0].getnotes() == "Keep the conference name"
    assert "MQM flag: " in units[1].getnotes()
    assert units[4].target in ("", None)


def test_12_export_structure_and_states() -> None:
    article = DocArticle(title="T", source_lang="zh", target_lang="en", segments=[
        DocSegment(mt="a", source="甲", status=status, external_id=f"u{i}", position=i,
                   paragraph=i // 2)
        for i, status in enumerate(["todo", "flagged", "fixed", "approved", None])
    ])
    root = etree.fromstring(export(XLIFF12_FORMAT, [article]))
    assert root.get("version") == "1.2"
    file = root.find("x:file", N12)
    assert {k: file.get(k) for k in ("original", "source-language", "target-language",
                                     "datatype")} == {
        "original": "T", "source-language": "zh", "target-language": "en",
        "datatype": "plaintext"}
    assert [g.get("id") for g in file.iterfind("x:body/x:group", N12)] == ["p1", "p2", "p3"]
    targets = root.findall(".//x:target", N12)
    assert [(t.get("state"), t.get("state-qualifier")) for t in targets] == [
        ("needs-review-translation", "mt-suggestion"), ("needs-review-translation", None),
        ("translated", None), ("final", None), (None, None)]
    assert [u.get("approved") for u in root.iterfind(".//x:trans-unit", N12)] == [
        None, None, None, "yes", None]
    assert [s.status for s in read(etree.tostring(root))[0].segments] == [
        "todo", "flagged", "fixed", "approved", None]


def test_20_export_structure_and_states() -> None:
    article = DocArticle(title="T", source_lang="zh", target_lang="en", segments=[
        DocSegment(mt="a", source="甲", status=status, external_id="same id", position=i,
                   kind="caption" if i == 0 else "body")
        for i, status in enumerate(["todo", "flagged", "fixed", "approved"])
    ])
    data = export(XLIFF20_FORMAT, [article], include_residue=True)
    root = etree.fromstring(data)
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.0", "zh", "en")
    units = root.findall(".//x:unit", N20)
    ids = [u.get("id") for u in units]
    assert len(set(ids)) == 4 and all(" " not in i for i in ids)
    assert units[0].get("type") == "mtr:caption"
    segments = root.findall(".//x:segment", N20)
    assert [(s.get("state"), s.get("subState")) for s in segments] == [
        ("initial", None), ("translated", "mtr:flagged"), ("reviewed", None), ("final", None)]
    back = read(data)[0]
    assert [s.status for s in back.segments] == ["todo", "flagged", "fixed", "approved"]
    assert back.segments[0].kind == "caption"


def test_flags_travel_as_notes_and_come_back() -> None:
    flags = [DocFlag("Accuracy/Mistranslation", "Major", 0, 7, note='wrong "idiom" <&>',
                     author="ann", origin="reviewer", state="confirmed"),
             DocFlag("Accuracy/Omission", "Minor", 2, 3, target="nllb", span_in="source")]
    article = DocArticle(title="T", source_lang="zh", segments=[
        DocSegment(mt="Playing chess", source="共下一盘棋", flags=flags, notes=["plain note"])])
    for fmt in (XLIFF12_FORMAT, XLIFF20_FORMAT):
        [back] = read(export(fmt, [article]))
        assert back.segments[0].flags == flags
        assert back.segments[0].notes == ["plain note"]
    root = etree.fromstring(export(XLIFF12_FORMAT, [article]))
    notes = root.findall(".//x:note", N12)
    assert [(n.get("from"), n.get("annotates"), n.get("priority")) for n in notes] == [
        (None, None, None), ("ann", "target", "1"), (None, "source", "5")]


@pytest.mark.parametrize(
    ("corrected", "message"),
    [
        ("Playing a game of chess together win-win.", "lost \\{1/\\} compared with the source"),
        ("Digital {1}Delta Conference", "tag 1 is opened but never closed; add \\{/1\\}"),
        ("Digital {/1}Delta{1} Conference", "\\{/1\\} closes a tag that is not open"),
        ("{1}Digital{/1} {1}Delta{/1}", "tag 1 appears twice"),
        ("Digital {1/}Delta", "\\{1/\\} has the wrong form for tag 1"),
    ],
)
def test_corrected_text_with_broken_tags_stops_the_export(corrected: str, message: str) -> None:
    [article] = read_file("inline-1.2.xlf")
    index = 1 if "chess" in corrected else 0
    article.segments[index].corrected = corrected
    with pytest.raises(InputError, match=message) as err:
        export(XLIFF12_FORMAT, [article])
    assert f"Segment '{article.segments[index].external_id}' of 'wuzhen.html'" in str(err.value)


def test_corrected_text_may_keep_the_imported_targets_tags_and_plain_numbers_stay_text() -> None:
    [article] = read_file("inline-2.0.xlf")
    article.segments[3].corrected = "Template {1} stays ⟦1/⟧ here {7}"
    [back] = read(export(XLIFF20_FORMAT, [article]))
    assert back.segments[3].mt == "Template {1} stays ⟦1/⟧ here {7}"


def test_segments_from_other_formats_are_written_without_placeholder_parsing() -> None:
    article = DocArticle(title="T", segments=[DocSegment(mt="Keep {1} and {/2} as text",
                                                         source="{1}")])
    [back] = read(export(XLIFF12_FORMAT, [article]))
    assert (back.segments[0].source, back.segments[0].mt) == ("{1}", "Keep {1} and {/2} as text")


def test_residue_is_left_out_unless_asked_for() -> None:
    article = DocArticle(title="T", segments=[
        DocSegment(mt="Body", source="正文"),
        DocSegment(mt="Share so more people can see it", kind="boilerplate", position=1)])
    assert len(read(export(XLIFF12_FORMAT, [article]))[0].segments) == 1
    assert len(read(export(XLIFF12_FORMAT, [article], include_residue=True))[0].segments) == 2
    only_residue = DocArticle(title="R", segments=[article.segments[1]])
    with pytest.raises(InputError, match="Nothing to export"):
        export(XLIFF20_FORMAT, [only_residue])


def test_xml_illegal_characters_are_dropped_and_markup_characters_escaped() -> None:
    article = DocArticle(title="a<&>\x01", segments=[
        DocSegment(mt="x\x0b<b>&amp;\"'", source="源\x1f")])
    for fmt in (XLIFF12_FORMAT, XLIFF20_FORMAT):
        [back] = read(export(fmt, [article]))
        assert (back.title, back.segments[0].source, back.segments[0].mt) == (
            "a<&>", "源", "x<b>&amp;\"'")


def test_several_articles_become_several_files() -> None:
    articles = [DocArticle(title=t, source_lang="zh", segments=[DocSegment(mt=t, source="源")])
                for t in ("one", "two")]
    for fmt in (XLIFF12_FORMAT, XLIFF20_FORMAT):
        assert [a.title for a in read(export(fmt, articles))] == ["one", "two"]


def test_old_and_unnamespaced_xliff_12_is_read() -> None:
    data = ('<xliff version="1.1" xmlns="urn:oasis:names:tc:xliff:document:1.1"><file '
            'original="f" source-language="en" datatype="plaintext"><body><trans-unit id="1">'
            '<source>Hello</source><target>Hallo</target></trans-unit></body></file></xliff>')
    assert read(data)[0].segments[0].mt == "Hallo"
    bare = data.replace(' xmlns="urn:oasis:names:tc:xliff:document:1.1"', "")
    assert read(bare)[0].segments[0].mt == "Hallo"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("<tmx/>", "is not XLIFF: its root element is <tmx>"),
        ('<xliff xmlns="urn:example" version="3.0"/>', "XLIFF version this tool does not read"),
        (f'<xliff xmlns="{NS12}" version="1.2"/>', "has no <file> element"),
        (f'<xliff xmlns="{NS12}" version="1.2"><file original="f" source-language="en" '
         'datatype="plaintext"><body/></file></xliff>', "holds no translation unit"),
        (f'<xliff xmlns="{NS20}" version="2.0" srcLang="en"><file id="f"><unit id="u">'
         "<segment><source>{1} ⟦1⟧ <ph id='1'/></source></segment></unit></file></xliff>",
         "both \\{1\\}-style and ⟦1⟧-style markers"),
    ],
)
def test_malformed_xliff_is_refused(data: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read(data)


@pytest.mark.parametrize("name", ["picture.xlf", "billion-laughs.xlf", "external-entity.xlf",
                                  "external-entity-utf16.xlf", "parameter-entity.xlf"])
def test_hostile_xliff_is_refused(name: str) -> None:
    with pytest.raises(InputError):
        read((DATA / "hostile" / name).read_bytes())


def test_png_named_xlf_says_it_is_not_xliff() -> None:
    with pytest.raises(InputError, match="is not a XLIFF file: it looks binary"):
        read((DATA / "hostile" / "picture.xlf").read_bytes())


def test_export_does_not_change_the_articles() -> None:
    [article] = read_file("inline-2.0.xlf")
    before = copy.deepcopy(article)
    export(XLIFF12_FORMAT, [article])
    export(XLIFF20_FORMAT, [article])
    assert article == before
