"""TMX goes back into the memory it came from: every language, date, tool, property and
note kept, inline codes kept as codes, only the reviewed pair's edited targets changed.

``tests/data/formats/roundtrip/memory.tmx`` (written for the purpose) holds five languages,
``bpt``/``ept``/``ph``/``hi`` codes, dates, ids, props and notes. Each test failed before the
export wrote into the original file.
"""

from __future__ import annotations

import pytest
from lxml import etree
from sqlalchemy import select
from translate.storage import tmx as tt_tmx

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.models import Segment
from review.services import Workbench
from tests.unit.test_roundtrip_helpers import (
    ROUNDTRIP,
    c14n,
    export_bytes,
    root_of,
    segments,
    tmx_units,
    valid,
)

NAME = "memory.tmx"


def _data() -> bytes:
    return (ROUNDTRIP / NAME).read_bytes()


def _import(bench: Workbench, **options) -> tuple[int, list[str]]:
    from review.formats.base import ReadOptions

    report = bench.imports.import_file(SYSTEM_ACTOR, _data(), NAME,
                               options=ReadOptions(**options) if options else None)
    return report.articles[0].id, report.notes


def _version(bench: Workbench, segment_id: int) -> int:
    with bench.store.read() as session:
        return session.scalar(select(Segment.version).where(Segment.id == segment_id))


def _tt(data: bytes) -> list[tuple]:
    store = tt_tmx.tmxfile.parsestring(data)
    return [(u.source, u.target) for u in store.units]


def test_import_then_export_without_an_edit_gives_the_same_memory(any_bench: Workbench) -> None:
    article_id, _ = _import(any_bench)
    out = export_bytes(any_bench, article_id, "tmx")
    assert c14n(out) == c14n(_data())
    assert valid(out) == (True, "None")
    assert _tt(out) == _tt(_data())
    assert b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in out


def test_the_pair_is_the_first_two_languages_with_a_note_or_the_one_asked_for(
        bench: Workbench) -> None:
    article_id, notes = _import(bench)
    doc = bench.exports.document(SYSTEM_ACTOR, article_id)
    assert (doc.source_lang, doc.target_lang) == ("en-US", "de-DE")
    assert [s.mt for s in doc.segments] == [
        "Klicken Sie auf {1/}Speichern{2/}, um zu beginnen.{3/}", "", "Auf Wiedersehen."]
    assert any("en-gb, fr-fr, ja-jp" in note for note in notes), notes
    article_id, _ = _import(bench, target_lang="ja-JP")
    assert [s.mt for s in segments(bench, article_id)][:2] == [
        "{1/}保存{2/}をクリックして開始します。{3/}", "{1}設定{/1}を開きます。"]


def test_an_edit_changes_only_its_unit_and_keeps_every_language(bench: Workbench) -> None:
    article_id, _ = _import(bench, target_lang="fr-FR")
    first, second, third = segments(bench, article_id)
    assert first.source == "Click {1/}Save{2/} to start.{3/}"
    bench.editing.save_segment(SYSTEM_ACTOR, first.id, "Cliquez {1/}Enregistrer{2/} pour démarrer."
                       "{3/}", _version(bench, first.id))
    bench.editing.save_segment(SYSTEM_ACTOR, third.id, "Au revoir.", _version(bench, third.id))
    out = export_bytes(bench, article_id, "tmx")
    before, after = tmx_units(_data()), tmx_units(out)
    assert [n for n in range(3) if before[n] != after[n]] == [0, 2]
    root = root_of(out)
    tu = root.find("body/tu[@tuid='1']")
    langs = [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in tu.iter("tuv")]
    assert langs == ["en-US", "de-DE", "fr-FR", "ja-JP", "en-GB"]
    fr = tu.findall("tuv")[2].find("seg")
    assert etree.tostring(fr, encoding="unicode", with_tail=False) == (
        '<seg>Cliquez <bpt i="1">&lt;b&gt;</bpt>Enregistrer<ept i="1">&lt;/b&gt;</ept> pour '
        'démarrer.<ph x="2">&lt;br/&gt;</ph></seg>')
    assert tu.get("creationdate") == "20240102T030405Z" and tu.get("usagecount") == "7"
    assert tu.find("prop[@type='x-status']").text == "fixed"
    assert tu.find("prop[@type='x-project']").text == "demo"
    header = root.find("header")
    assert (header.get("creationtool"), header.get("creationdate")) == (
        "Example TM", "20240102T030405Z")
    added = root.find("body/tu[@tuid='3']").findall("tuv")[-1]
    assert added.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr-FR"
    assert added.find("seg").text == "Au revoir."
    assert valid(out) == (True, "None")


@pytest.mark.parametrize("target", ["de-DE", "fr-FR"])
def test_inline_codes_are_markers_and_never_deleted(bench: Workbench, target: str) -> None:
    article_id, _ = _import(bench, target_lang=target)
    first = segments(bench, article_id)[0]
    bench.editing.save_segment(SYSTEM_ACTOR, first.id, first.mt.replace("{3/}", ""),
                       _version(bench, first.id))
    from review.core.errors import InputError

    with pytest.raises(InputError, match="lost \\{3/\\}"):
        export_bytes(bench, article_id, "tmx")
