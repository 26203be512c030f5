"""An edited TMX unit says when it was edited and by whom: the export into the original
writes the edit's date (``YYYYMMDDThhmmssZ``, UTC) as ``changedate`` and the editor as
``changeid`` on the ``<tu>`` and on the target ``<tuv>`` it rewrote (or creates); every unit
not edited keeps its dates and ids byte for byte."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree
from sqlalchemy import select

from review.accounts.permissions import SYSTEM_ACTOR, Actor
from review.db.models import Segment
from review.formats.base import ReadOptions
from review.services import Workbench
from tests.unit.test_roundtrip_helpers import (
    ROUNDTRIP,
    export_bytes,
    root_of,
    segments,
    tmx_units,
    valid,
)

EDITOR = Actor(name="anna.k", role="admin")
LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _save(bench: Workbench, segment_id: int, text: str) -> None:
    with bench.store.read() as session:
        version = session.scalar(select(Segment.version).where(Segment.id == segment_id))
    bench.editing.save_segment(EDITOR, segment_id, text, version)


def test_edited_units_carry_the_date_and_the_editor_of_the_edit(bench: Workbench) -> None:
    data = (ROUNDTRIP / "memory.tmx").read_bytes()
    report = bench.imports.import_file(SYSTEM_ACTOR, data, "memory.tmx",
                                       options=ReadOptions(target_lang="fr-FR"))
    article_id = report.articles[0].id
    first, _, third = segments(bench, article_id)
    start = _now()
    _save(bench, first.id, "Cliquez {1/}Enregistrer{2/} pour démarrer.{3/}")
    _save(bench, third.id, "Au revoir.")
    end = _now()
    out = export_bytes(bench, article_id, "tmx")

    assert valid(out) == (True, "None")
    before, after = tmx_units(data), tmx_units(out)
    assert before[1] == after[1]
    body = root_of(out).find("body")
    one, three = body.find("tu[@tuid='1']"), body.find("tu[@tuid='3']")
    fr_one = next(t for t in one.iter("tuv") if t.get(LANG) == "fr-FR")
    fr_three = next(t for t in three.iter("tuv") if t.get(LANG) == "fr-FR")
    for element in (one, fr_one, three, fr_three):
        assert start <= element.get("changedate") <= end, etree.tostring(element)
        assert element.get("changeid") == "anna.k"
    assert (one.get("creationdate"), one.get("creationid")) == ("20240102T030405Z",
                                                                "tm-admin")
    assert fr_three.get("creationdate") == fr_three.get("changedate")
    assert fr_three.get("creationid") == "anna.k"
    others = [t for t in one.iter("tuv") if t is not fr_one]
    assert [t.get("changedate") for t in others] == [None, "20240203T040506Z", None, None]
