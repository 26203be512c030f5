"""An XLIFF 1.2 ``<trans-unit>`` segmented with ``<seg-source>``/``<mrk mtype="seg">`` is
reviewed segment by segment but holds one state: the export gives it the least advanced of
its segments' statuses (flagged, to do, fixed, approved; approved only when all are), and
each ``<mrk>`` of its ``<target>`` gets its own segment's text, in the source's order, even
where the target lacked the marker or the whole target."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.models import Segment
from review.services import Workbench
from tests.unit.test_roundtrip_helpers import (
    c14n,
    export_bytes,
    import_bytes,
    root_of,
    segments,
    valid,
    xliff_units,
)

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
SOURCE = ('<source>One. Two. Three.</source><seg-source><mrk mtype="seg" mid="1">One.</mrk> '
          '<mrk mtype="seg" mid="2">Two.</mrk> <mrk mtype="seg" mid="3">Three.</mrk>'
          "</seg-source>")
TARGET = ('<target state="translated"><mrk mtype="seg" mid="1">Eins.</mrk> <mrk mtype="seg" '
          'mid="2">Zwei.</mrk> <mrk mtype="seg" mid="3">Drei.</mrk></target>')
GAP = ('<target state="translated"><mrk mtype="seg" mid="1">Eins.</mrk> '
       '<mrk mtype="seg" mid="3">Drei.</mrk></target>')
FINAL = TARGET.replace('state="translated"', 'state="final"')


def _document(*units: str) -> bytes:
    body = "".join(f'<trans-unit id="u{n}"{extra}>{SOURCE}{target}</trans-unit>\n'
                   for n, (extra, target) in enumerate(
                       (u.split("|", 1) if "|" in u else ("", u)) for u in units))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
            '<file original="a.txt" source-language="en" target-language="de" '
            f'datatype="plaintext"><body>\n{body}</body></file></xliff>\n').encode()


def _version(bench: Workbench, segment_id: int) -> int:
    with bench.store.read() as session:
        return session.scalar(select(Segment.version).where(Segment.id == segment_id))


def _unit(out: bytes, n: int):
    return root_of(out).find(f".//x:trans-unit[@id='u{n}']", NS)


@pytest.mark.parametrize(
    ("start", "statuses", "state", "qualifier", "approved"),
    [
        (TARGET, ["approved", "approved", "approved"], "final", None, "yes"),
        (TARGET, ["approved", "fixed", "approved"], "translated", None, None),
        (TARGET, ["approved", "todo", "fixed"], "needs-review-translation", "mt-suggestion",
         None),
        (TARGET, ["fixed", "approved", "flagged"], "needs-review-translation", None, None),
        (' approved="yes"|' + FINAL, ["approved", "flagged", "approved"],
         "needs-review-translation", None, None),
        (' approved="yes"|' + FINAL, ["approved", "approved", "approved"], "final", None,
         "yes"),
    ],
)
def test_the_unit_takes_the_least_advanced_state_of_its_segments(
        bench: Workbench, start: str, statuses: list[str], state: str, qualifier: str | None,
        approved: str | None) -> None:
    data = _document(start)
    [article_id] = import_bytes(bench, data, "seg.xlf")
    parts = segments(bench, article_id)
    assert [s.mt for s in parts] == ["Eins.", "Zwei.", "Drei."]
    for seg, status in zip(parts, statuses, strict=True):
        bench.editing.set_status(SYSTEM_ACTOR, seg.id, status, _version(bench, seg.id))
    out = export_bytes(bench, article_id, "xliff")
    unit = _unit(out, 0)
    target = unit.find("x:target", NS)
    assert (target.get("state"), target.get("state-qualifier"), unit.get("approved")) == (
        state, qualifier, approved)
    assert [m.text for m in target.findall("x:mrk", NS)] == ["Eins.", "Zwei.", "Drei."]
    assert valid(out) == (True, "None")


def test_each_marker_gets_its_own_segments_text(bench: Workbench) -> None:
    data = _document(TARGET, GAP, "")
    [article_id] = import_bytes(bench, data, "seg.xlf")
    assert c14n(export_bytes(bench, article_id, "xliff")) == c14n(data)
    by_id = {s.external_id: s for s in segments(bench, article_id)}
    edits = {"u0/1": "Eins!", "u0/3": "Drei!", "u1/2": "Zwei!", "u2/1": "A.", "u2/3": "C."}
    for ident, text in edits.items():
        seg = by_id[ident]
        bench.editing.save_segment(SYSTEM_ACTOR, seg.id, text, _version(bench, seg.id))
    out = export_bytes(bench, article_id, "xliff")

    def marks(n: int) -> list[tuple[str | None, str | None]]:
        return [(m.get("mid"), m.text) for m in _unit(out, n).findall("x:target/x:mrk", NS)]

    assert marks(0) == [("1", "Eins!"), ("2", "Zwei."), ("3", "Drei!")]
    assert marks(1) == [("1", "Eins."), ("2", "Zwei!"), ("3", "Drei.")]
    assert marks(2) == [("1", "A."), ("2", None), ("3", "C.")]
    gap = _unit(out, 1).find("x:target", NS)
    assert "".join(gap.itertext()) == "Eins. Zwei! Drei."
    assert set(xliff_units(out)) == set(xliff_units(data))
    assert valid(out) == (True, "None")
    texts = [(s.external_id, s.mt) for s in segments(
        bench, import_bytes(bench, out, "seg.xlf")[0])]
    assert texts == [("u0/1", "Eins!"), ("u0/2", "Zwei."), ("u0/3", "Drei!"),
                     ("u1/1", "Eins."), ("u1/2", "Zwei!"), ("u1/3", "Drei."),
                     ("u2/1", "A."), ("u2/2", ""), ("u2/3", "C.")]


def test_a_target_not_cut_like_its_seg_source_is_one_segment(bench: Workbench) -> None:
    """A CAT tool that translated the unit as a whole wrote no markers in the target: the
    unit is reviewed as one text and written back as one, never half markers, half text."""
    data = _document('<target state="translated">Eins. Zwei. Drei.</target>', GAP)
    [article_id] = import_bytes(bench, data, "seg.xlf")
    assert c14n(export_bytes(bench, article_id, "xliff")) == c14n(data)
    parts = segments(bench, article_id)
    assert [(s.external_id, s.source, s.mt) for s in parts][:2] == [
        ("u0", "One. Two. Three.", "Eins. Zwei. Drei."), ("u1/1", "One.", "Eins.")]
    bench.editing.save_segment(SYSTEM_ACTOR, parts[0].id, "Eins! Zwei. Drei.",
                               _version(bench, parts[0].id))
    out = export_bytes(bench, article_id, "xliff")
    target = _unit(out, 0).find("x:target", NS)
    assert (target.text, len(target)) == ("Eins! Zwei. Drei.", 0)
    assert _unit(out, 0).find("x:seg-source", NS) is not None
    assert valid(out) == (True, "None")
