"""XLIFF goes back where it came from: an export writes the review into the imported file.

Two small files written for the purpose (``tests/data/formats/roundtrip/review-1.2.xlf`` and
``review-2.0.xlf``) carry what a CAT tool expects back: ``xml:space``, ``seg-source``/``mrk``
segmentation, 2.0 segments with an ignorable and ``order``, a CDATA section, units the
reviewer cannot act on (``translate="no"``, an empty source, a ``<bin-unit>``), inline codes
of every kind, ``alt-trans``, ``resname``, ``<header>``, ``internal-file``, ``approved``,
states, extension elements and attributes, and two ``<file>`` elements. Each test failed
before the merge-back export existed.
"""

from __future__ import annotations

import io

import pytest
from lxml import etree
from sqlalchemy import select
from translate.storage import xliff as tt_xliff
from translate.storage import xliff2 as tt_xliff2

from review.accounts.permissions import SYSTEM_ACTOR
from review.core.errors import InputError
from review.db.models import Segment
from review.formats.base import ReadOptions, WriteOptions
from review.formats.xliff import FORMAT, XLIFF12_FORMAT, XLIFF20_FORMAT
from review.services import Workbench
from tests.unit.test_roundtrip_helpers import (
    ROUNDTRIP,
    c14n,
    export_bytes,
    import_bytes,
    root_of,
    segments,
    valid,
    xliff_units,
)

FILES = {"review-1.2.xlf": "xliff", "review-2.0.xlf": "xliff2"}
NS = {"x1": "urn:oasis:names:tc:xliff:document:1.2",
      "x2": "urn:oasis:names:tc:xliff:document:2.0"}


def _data(name: str) -> bytes:
    return (ROUNDTRIP / name).read_bytes()


def _by_id(bench: Workbench, article_id: int) -> dict:
    return {s.external_id: s for s in segments(bench, article_id)}


def _version(bench: Workbench, segment_id: int) -> int:
    with bench.store.read() as session:
        return session.scalar(select(Segment.version).where(Segment.id == segment_id))


def _tt_texts(data: bytes) -> list[tuple]:
    """What translate-toolkit reads: (id, source, target) of every unit."""
    parser = tt_xliff2.Xliff2File if b"document:2.0" in data[:1000] else tt_xliff.xlifffile
    store = parser.parsestring(data)
    return [(u.getid(), u.source, u.target) for u in store.units]


@pytest.mark.parametrize("name", FILES)
def test_import_then_export_without_an_edit_gives_the_same_document(
        any_bench: Workbench, name: str) -> None:
    data = _data(name)
    ids = import_bytes(any_bench, data, name)
    for article_id in ids:  # every article of the file exports the whole document
        out = export_bytes(any_bench, article_id, FILES[name])
        assert c14n(out) == c14n(data)
        assert valid(out) == (True, "None")
        assert _tt_texts(out) == _tt_texts(data)


def test_several_files_are_two_articles_and_one_export(bench: Workbench) -> None:
    ids = import_bytes(bench, _data("review-1.2.xlf"), "review-1.2.xlf")
    assert len(ids) == 2
    first, second = (_by_id(bench, i) for i in ids)
    bench.editing.save_segment(SYSTEM_ACTOR, second["h2"].id, "Lesen Sie das Handbuch.",
                       _version(bench, second["h2"].id))
    out = root_of(export_bytes(bench, ids[0], "xliff"))
    assert [f.get("original") for f in out.iterfind("x1:file", NS)] == ["ui.properties",
                                                                       "help.html"]
    unit = out.find(".//x1:trans-unit[@id='h2']", NS)
    assert unit.find("x1:target", NS).text == "Lesen Sie das Handbuch."
    assert unit.find("x1:target", NS).get("state") == "translated"
    assert [c.tag.split("}")[1] for c in unit] == ["source", "target"]


def test_an_edit_changes_only_that_units_target_state_and_notes(bench: Workbench) -> None:
    data = _data("review-2.0.xlf")
    [article_id] = import_bytes(bench, data, "review-2.0.xlf")
    seg = _by_id(bench, article_id)["para/p2"]
    bench.editing.save_segment(SYSTEM_ACTOR, seg.id, "Deuxième phrase, corrigée.",
                       _version(bench, seg.id))
    bench.flags.add_flag(SYSTEM_ACTOR, seg.id, "Fluency/Grammar", "Minor", start=0, end=8,
                   note="spacing")
    out = export_bytes(bench, article_id, "xliff2")
    before, after = xliff_units(data), xliff_units(out)
    assert [k for k in before if before[k] != after[k]] == [(0, 1)]
    unit = root_of(out).find(".//x2:unit[@id='para']", NS)
    p1, ignorable, p2 = list(unit)[1:]
    assert p2.find("x2:target", NS).text == "Deuxième phrase, corrigée."
    assert (p2.get("state"), p2.find("x2:target", NS).get("order")) == ("reviewed", "1")
    assert p1.find("x2:target", NS).text == "Première phrase."
    assert ignorable.tag.endswith("ignorable") and ignorable.find("x2:target", NS).text == "  "
    [note] = unit.iterfind("x2:notes/x2:note", NS)
    assert note.get("category") == "mqm-flag" and '"note": "spacing"' in note.text
    assert valid(out) == (True, "None")
    [back] = list(FORMAT.read(io.BytesIO(out), ReadOptions()))
    flagged = {s.external_id: s for s in back.segments}["para/p1"]  # unit notes: first seg
    assert [(f.category, f.start, f.end, f.note) for f in flagged.flags] == [
        ("Fluency/Grammar", 0, 8, "spacing")]


def test_whitespace_is_kept_on_import_and_written_back(bench: Workbench) -> None:
    [article_id] = import_bytes(bench, _data("review-2.0.xlf"), "review-2.0.xlf")
    by_id = _by_id(bench, article_id)
    assert by_id["greeting"].mt == "Bonjour, le monde !\n"
    assert by_id["para/p2"].source == "Second   sentence."
    seg = by_id["greeting"]
    bench.editing.save_segment(SYSTEM_ACTOR, seg.id, "Salut, le monde !\n", _version(bench, seg.id))
    out = export_bytes(bench, article_id, "xliff2")
    texts = dict((i, t) for i, _, t in _tt_texts(out))
    assert texts["greeting::s1"] == "Salut, le monde !\n"
    # generated from scratch (the other XLIFF version) it says xml:space="preserve" too
    for fmt, parser in (("xliff", tt_xliff.xlifffile), ("xliff2", tt_xliff2.Xliff2File)):
        doc = bench.exports.document(SYSTEM_ACTOR, article_id)
        stream = io.BytesIO()
        (XLIFF12_FORMAT if fmt == "xliff" else XLIFF20_FORMAT).write([doc], stream,
                                                                      WriteOptions())
        units = parser.parsestring(stream.getvalue()).units
        assert "Salut, le monde !\n" in [u.target for u in units], fmt


def test_1_2_whitespace_is_preserved_on_the_unit(bench: Workbench) -> None:
    ids = import_bytes(bench, _data("review-1.2.xlf"), "review-1.2.xlf")
    seg = _by_id(bench, ids[1])["h1"]
    bench.editing.save_segment(SYSTEM_ACTOR, seg.id, "  Hilfe\n", _version(bench, seg.id))
    out = export_bytes(bench, ids[1], "xliff")
    unit = root_of(out).find(".//x1:trans-unit[@id='h1']", NS)
    assert unit.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert ("help.html\x04h1", "Help", "  Hilfe\n") in _tt_texts(out)
    assert valid(out) == (True, "None")


def test_segments_are_reviewed_one_by_one_and_go_back_into_their_markers(
        bench: Workbench) -> None:
    ids = import_bytes(bench, _data("review-1.2.xlf"), "review-1.2.xlf")
    by_id = _by_id(bench, ids[0])
    assert (by_id["2/1"].source, by_id["2/1"].mt) == ("One sentence.", "Ein Satz.")
    assert (by_id["2/2"].source, by_id["2/2"].mt) == ("Two sentences.", "Zwei Sätze.")
    seg = by_id["2/2"]
    bench.editing.save_segment(SYSTEM_ACTOR, seg.id, "Zwei ganze Sätze.", _version(bench, seg.id))
    out = export_bytes(bench, ids[0], "xliff")
    unit = root_of(out).find(".//x1:trans-unit[@id='2']", NS)
    marks = unit.findall("x1:target/x1:mrk", NS)
    assert [(m.get("mid"), m.text) for m in marks] == [("1", "Ein Satz."),
                                                       ("2", "Zwei ganze Sätze.")]
    assert unit.find("x1:seg-source", NS) is not None
    assert unit.find("x1:alt-trans", NS) is not None
    # one state per 1.2 unit: the least finished of its segments (to do, as "new" said)
    assert unit.find("x1:target", NS).get("state") == "new"
    assert valid(out) == (True, "None")


def test_units_the_reviewer_cannot_act_on_are_kept_and_shown_as_such(
        bench: Workbench) -> None:
    report = bench.imports.import_file(SYSTEM_ACTOR, _data("review-1.2.xlf"), "review-1.2.xlf")
    by_id = _by_id(bench, report.articles[0].id)
    locked, empty = by_id["4"], by_id["5"]
    assert (locked.kind, locked.meta["xliff"]["locked"]) == ("metadata", "translate=no")
    assert (empty.kind, empty.meta["xliff"]["locked"], empty.source) == ("metadata", "empty",
                                                                         "")
    assert by_id["img1-alt"].mt == "Ein roter Knopf"  # inside a <bin-unit>
    notes = " ".join(report.notes)
    assert 'translate="no"' in notes and "no text" in notes and "<bin-unit>" in notes
    bench.editing.save_segment(SYSTEM_ACTOR, locked.id, "edited anyway", _version(bench, locked.id))
    out = export_bytes(bench, report.articles[0].id, "xliff")
    assert xliff_units(out)[(0, 3)] == xliff_units(_data("review-1.2.xlf"))[(0, 3)]


def test_inline_codes_stay_codes_after_an_edit(bench: Workbench) -> None:
    ids = import_bytes(bench, _data("review-1.2.xlf"), "review-1.2.xlf")
    seg = _by_id(bench, ids[0])["3"]
    assert seg.mt == "Drücken Sie {1/}OK{2/}{3/} oder {4}Abbrechen{/4}{5/}."
    bench.editing.save_segment(SYSTEM_ACTOR, seg.id, "Klicken Sie {4}Abbrechen{/4}{5/} oder "
                       "{1/}OK{2/}{3/}.", _version(bench, seg.id))
    out = export_bytes(bench, ids[0], "xliff")
    target = root_of(out).find(".//x1:trans-unit[@id='3']/x1:target", NS)
    assert etree.tostring(target, encoding="unicode", with_tail=False).split(">", 1)[1] == (
        'Klicken Sie <g id="3" ctype="italic">Abbrechen</g><x id="4"/> oder '
        '<bpt id="1">&lt;b&gt;</bpt>OK<ept id="1">&lt;/b&gt;</ept><ph id="2">&lt;br/&gt;</ph>'
        '.</target>')
    assert valid(out) == (True, "None")

    [article_id] = import_bytes(bench, _data("review-2.0.xlf"), "review-2.0.xlf")
    seg = _by_id(bench, article_id)["codes"]
    assert seg.mt == "Cliquez {1}Enregistrer{/1}{2/} pour le {3/}garder{4/}."
    bench.editing.save_segment(SYSTEM_ACTOR, seg.id, "Cliquez sur {1}Enregistrer{/1}{2/} pour "
                       "{3/}le garder{4/}.", _version(bench, seg.id))
    out = export_bytes(bench, article_id, "xliff2")
    target = root_of(out).find(".//x2:unit[@id='codes']/x2:segment/x2:target", NS)
    assert [(etree.QName(c).localname, dict(c.attrib)) for c in target] == [
        ("pc", {"id": "1", "dataRefStart": "d1", "dataRefEnd": "d2"}),
        ("ph", {"id": "2", "dataRef": "d3"}), ("sc", {"id": "3"}), ("ec", {"startRef": "3"})]
    assert valid(out) == (True, "None")
    bench.editing.save_segment(SYSTEM_ACTOR, seg.id, "Cliquez sur Enregistrer.",
                       _version(bench, seg.id))
    with pytest.raises(InputError, match="lost"):
        export_bytes(bench, article_id, "xliff2")


def test_a_split_segment_goes_back_whole_and_a_merged_one_into_its_first_unit(
        bench: Workbench) -> None:
    data = _data("review-2.0.xlf")
    [article_id] = import_bytes(bench, data, "review-2.0.xlf")
    greeting = _by_id(bench, article_id)["greeting"]
    bench.segments.split_segment(SYSTEM_ACTOR, greeting.id, len("Bonjour,"), _version(bench,
                                                                             greeting.id))
    assert c14n(export_bytes(bench, article_id, "xliff2")) == c14n(data)

    p1 = _by_id(bench, article_id)["para/p1"]
    bench.segments.merge_with_next(SYSTEM_ACTOR, p1.id, _version(bench, p1.id))
    out = export_bytes(bench, article_id, "xliff2")
    unit = root_of(out).find(".//x2:unit[@id='para']", NS)
    targets = [t.text for t in unit.iterfind("x2:segment/x2:target", NS)]
    assert targets == ["Première phrase. Deuxième   phrase.", None]
    assert "merged segment para/p2" in unit.find("x2:notes/x2:note", NS).text
    assert valid(out) == (True, "None")
