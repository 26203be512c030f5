"""Every file of a folder of public XLIFF and TMX test files makes the round trip.

``tests/data/formats/public`` holds a small selection (sources and licences in its README);
``REVIEW_ROUNDTRIP_DIR`` points the same test at a bigger folder (every ``.xlf``,
``.xliff``, ``.tmx`` below it). For each file: import through the services; export with no
edit gives the same document after canonicalisation and the same texts in
translate-toolkit; after editing every third reviewable segment, only the edited units
differ, the edits read back, and the export is valid wherever the file was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select
from translate.storage import tmx as tt_tmx
from translate.storage import xliff as tt_xliff
from translate.storage import xliff2 as tt_xliff2

from review.accounts.permissions import SYSTEM_ACTOR
from review.core.errors import InputError
from review.db.models import Segment
from review.services import Workbench
from tests.unit.test_roundtrip_helpers import (
    DATA,
    c14n,
    export_bytes,
    root_of,
    segments,
    tmx_units,
    valid,
    xliff_units,
)

FOLDER = Path(os.environ.get("REVIEW_ROUNDTRIP_DIR") or DATA / "public")
FILES = sorted(p for p in FOLDER.rglob("*") if p.suffix.lower() in (".xlf", ".xliff", ".tmx")
               and "invalid" not in p.parts)


def _format(data: bytes, path: Path) -> str:
    if path.suffix.lower() == ".tmx":
        return "tmx"
    return "xliff2" if b"urn:oasis:names:tc:xliff:document:2.0" in data[:4000] else "xliff"


def _tt(data: bytes, fmt: str) -> list[tuple]:
    parser = {"tmx": tt_tmx.tmxfile, "xliff": tt_xliff.xlifffile,
              "xliff2": tt_xliff2.Xliff2File}[fmt]
    return [(u.source, u.target) for u in parser.parsestring(data).units]


def _units(data: bytes, fmt: str) -> dict:
    return dict(enumerate(tmx_units(data))) if fmt == "tmx" else xliff_units(data)


def _place(segment, fmt: str):
    info = segment.meta.get("tmx" if fmt == "tmx" else "xliff") or {}
    return info.get("loc") if fmt == "tmx" else tuple(info.get("loc", ())[:2])


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_public_file_makes_the_round_trip(bench: Workbench, path: Path) -> None:
    data = path.read_bytes()
    fmt = _format(data, path)
    try:
        report = bench.imports.import_file(SYSTEM_ACTOR, data, path.name)
    except InputError as err:
        pytest.skip(f"refused with a reason: {err}")
    ids = [a.id for a in report.articles]
    out = export_bytes(bench, ids[0], fmt)
    assert c14n(out) == c14n(data)
    assert _tt(out, fmt) == _tt(data, fmt)

    edited, count = set(), 0
    for article_id in ids:
        for number, seg in enumerate(s for s in segments(bench, article_id)
                                     if not (s.meta.get("xliff") or {}).get("locked")):
            if number % 3:
                continue
            text = (seg.corrected if seg.corrected is not None else seg.mt) + " (revu)"
            with bench.store.read() as session:
                version = session.scalar(select(Segment.version).where(Segment.id == seg.id))
            bench.editing.save_segment(SYSTEM_ACTOR, seg.id, text, version)
            edited.add(_place(seg, fmt))
            count += 1
    out = export_bytes(bench, ids[0], fmt)
    before, after = _units(data, fmt), _units(out, fmt)
    assert set(before) == set(after)
    assert {key for key in before if before[key] != after[key]} <= edited
    if valid(data)[0]:
        assert valid(out) == (True, "None")
    root_of(out)  # well-formed
    back = bench.imports.import_file(SYSTEM_ACTOR, out, path.name, again=True)
    texts = [s.mt for a in back.articles for s in segments(bench, a.id)]
    assert sum(t.endswith(" (revu)") for t in texts) == count
