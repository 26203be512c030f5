"""A TMX article whose original file was not kept (imported before originals were kept,
or too big to keep) still exports every unit it was imported from: a unit without a
translation in the reviewed language keeps its source, a unit that reads like web residue
is still a unit of the memory, and a segment split in the workbench goes back as its one
unit. Units nobody changed keep their own dates and ids; changed ones get the change's.
The export stays valid against the TMX 1.4 DTD."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.models import OriginalFile, Segment
from review.services import Workbench
from tests.unit.test_roundtrip_helpers import export_bytes, root_of, segments, valid

LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEMORY = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
 <header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
  adminlang="en" srclang="en" datatype="plaintext"/>
 <body>
  <tu tuid="a" creationdate="20200101T000000Z" creationid="ann" changedate="20210101T000000Z"
   changeid="bob"><tuv xml:lang="en"><seg>Open the file. Then save it.</seg></tuv>
   <tuv xml:lang="fr"><seg>Ouvrez le fichier. Puis enregistrez-le.</seg></tuv></tu>
  <tu tuid="b"><tuv xml:lang="en"><seg>Close the window.</seg></tuv>
   <tuv xml:lang="de"><seg>Schließen Sie das Fenster.</seg></tuv></tu>
  <tu tuid="c"><tuv xml:lang="en"><seg>Share so more people can see it</seg></tuv>
   <tuv xml:lang="fr"><seg>Partagez pour que plus de gens le voient</seg></tuv></tu>
  <tu tuid="d"><tuv xml:lang="en"><seg>Tags: files</seg></tuv>
   <tuv xml:lang="fr"><seg>Mots-clés : fichiers</seg></tuv></tu>
  <tu tuid="e" changedate="20220202T020202Z" changeid="cy">
   <tuv xml:lang="en"><seg>Goodbye.</seg></tuv>
   <tuv xml:lang="fr"><seg>Au revoir.</seg></tuv></tu>
 </body>
</tmx>
""".encode()


def _version(bench: Workbench, segment_id: int) -> int:
    with bench.store.read() as session:
        return session.scalar(select(Segment.version).where(Segment.id == segment_id))


def _import_without_original(bench: Workbench) -> int:
    report = bench.imports.import_file(SYSTEM_ACTOR, MEMORY, "memory.tmx")
    with bench.store.write() as session:
        session.execute(delete(OriginalFile))
    return report.articles[0].id


def _units(out: bytes) -> list[tuple[str, dict[str, str]]]:
    body = root_of(out).find("body")
    return [(tu.get("tuid"), {tuv.get(LANG): "".join(tuv.find("seg").itertext())
                              for tuv in tu.findall("tuv")}) for tu in body.findall("tu")]


def test_every_unit_leaves_though_the_original_was_not_kept(bench: Workbench) -> None:
    article_id = _import_without_original(bench)
    out = export_bytes(bench, article_id, "tmx")
    assert valid(out) == (True, "None")
    assert _units(out) == [
        ("a", {"en": "Open the file. Then save it.",
               "fr": "Ouvrez le fichier. Puis enregistrez-le."}),
        ("b", {"en": "Close the window."}),
        ("c", {"en": "Share so more people can see it",
               "fr": "Partagez pour que plus de gens le voient"}),
        ("d", {"en": "Tags: files", "fr": "Mots-clés : fichiers"}),
        ("e", {"en": "Goodbye.", "fr": "Au revoir."}),
    ]


def test_an_edited_and_split_unit_goes_back_as_one_unit(bench: Workbench) -> None:
    article_id = _import_without_original(bench)
    first = segments(bench, article_id)[0]
    bench.editing.save_segment(SYSTEM_ACTOR, first.id, "Ouvrez le fichier. Enregistrez-le.",
                               _version(bench, first.id))
    bench.segments.split_segment(SYSTEM_ACTOR, first.id, len("Ouvrez le fichier."),
                                      _version(bench, first.id))
    out = export_bytes(bench, article_id, "tmx")
    assert valid(out) == (True, "None")
    units = _units(out)
    assert [tuid for tuid, _ in units] == ["a", "b", "c", "d", "e"]
    assert units[0] == ("a", {"en": "Open the file. Then save it.",
                              "fr": "Ouvrez le fichier. Enregistrez-le."})


def test_unedited_units_keep_their_dates_and_edited_ones_get_the_edit(bench: Workbench
                                                                       ) -> None:
    article_id = _import_without_original(bench)
    first = segments(bench, article_id)[0]
    start = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    bench.editing.save_segment(SYSTEM_ACTOR, first.id, "Ouvrez-le. Enregistrez-le.",
                               _version(bench, first.id))
    end = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    body = root_of(export_bytes(bench, article_id, "tmx")).find("body")
    dates = {tu.get("tuid"): {k: v for k, v in tu.attrib.items() if k != "tuid"}
             for tu in body.findall("tu")}
    edited = dates.pop("a")
    assert (edited["creationdate"], edited["creationid"]) == ("20200101T000000Z", "ann")
    assert start <= edited["changedate"] <= end and edited["changeid"] == "pipeline"
    assert dates == {"b": {}, "c": {}, "d": {},
                     "e": {"changedate": "20220202T020202Z", "changeid": "cy"}}
