"""States both ways, only confirmed flags out, and CSV columns and languages kept.

- A reviewer's status becomes the format's state (table in docs/formats.md) and reads back
  as the same status; where the reviewer did not act, the file's own state stays.
- The automatic checks' unconfirmed suggestions stayed in exports as if a reviewer had
  said them (XLIFF notes, CSV and JSONL flags); now only when the export asks for them.
- CSV columns the workbench does not use (context, comments) were dropped on export, and a
  file that did not name its target language was silently labelled ``en``.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.models import Segment
from review.formats.base import ReadOptions, WriteOptions
from review.formats.table import CSV_FORMAT
from review.formats.xliff import FORMAT
from review.services import Workbench
from tests.unit.test_roundtrip_helpers import (
    ROUNDTRIP,
    export_bytes,
    import_bytes,
    root_of,
    segments,
    valid,
)

NS = {"x1": "urn:oasis:names:tc:xliff:document:1.2",
      "x2": "urn:oasis:names:tc:xliff:document:2.0"}


def _version(bench: Workbench, segment_id: int) -> int:
    with bench.store.read() as session:
        return session.scalar(select(Segment.version).where(Segment.id == segment_id))


@pytest.mark.parametrize(("status", "state", "qualifier", "approved"), [
    ("approved", "final", None, "yes"), ("fixed", "translated", None, None),
    ("flagged", "needs-review-translation", None, None),
    ("todo", "needs-review-translation", "mt-suggestion", None)])
def test_a_status_becomes_a_1_2_state_and_reads_back(bench: Workbench, status: str,
                                                     state: str, qualifier: str | None,
                                                     approved: str | None) -> None:
    ids = import_bytes(bench, (ROUNDTRIP / "review-1.2.xlf").read_bytes(), "review-1.2.xlf")
    seg = {s.external_id: s for s in segments(bench, ids[0])}["1"]  # final, approved
    if status == "approved":  # it is approved already: act on another unit
        seg = {s.external_id: s for s in segments(bench, ids[0])}["3"]
    bench.editing.set_status(SYSTEM_ACTOR, seg.id, status, _version(bench, seg.id))
    out = export_bytes(bench, ids[0], "xliff")
    unit = root_of(out).find(f".//x1:trans-unit[@id='{seg.external_id}']", NS)
    target = unit.find("x1:target", NS)
    assert (target.get("state"), target.get("state-qualifier"), unit.get("approved")) == (
        state, qualifier, approved)
    [back, _] = FORMAT.read(io.BytesIO(out), ReadOptions())
    assert {s.external_id: s.status for s in back.segments}[seg.external_id] == status
    assert valid(out) == (True, "None")


@pytest.mark.parametrize(("status", "state", "sub_state"), [
    ("todo", "initial", None), ("flagged", "translated", "mtr:flagged"),
    ("fixed", "reviewed", None), ("approved", "final", None)])
def test_a_status_becomes_a_2_0_state_and_reads_back(bench: Workbench, status: str,
                                                     state: str,
                                                     sub_state: str | None) -> None:
    [article_id] = import_bytes(bench, (ROUNDTRIP / "review-2.0.xlf").read_bytes(),
                                "review-2.0.xlf")
    name = "p1" if status == "todo" else "p2"  # p1 says "reviewed", p2 nothing (to do)
    seg = {s.external_id: s for s in segments(bench, article_id)}[f"para/{name}"]
    bench.editing.set_status(SYSTEM_ACTOR, seg.id, status, _version(bench, seg.id))
    out = export_bytes(bench, article_id, "xliff2")
    segment = root_of(out).find(f".//x2:segment[@id='{name}']", NS)
    assert (segment.get("state"), segment.get("subState")) == (state, sub_state)
    [back] = FORMAT.read(io.BytesIO(out), ReadOptions())
    assert {s.external_id: s.status for s in back.segments}[f"para/{name}"] == status


CSV = ("id,source,mt,context,comment\n"
       "1,Three apples.,Quatre pommes.,menu,check the number\n"
       "2,Two pears.,Deux poires.,footer,\n")


def _csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_unconfirmed_suggestions_leave_only_when_asked_for(bench: Workbench) -> None:
    [article_id] = import_bytes(bench, CSV.replace("Three", "3").replace("Quatre", "4")
                                .encode(), "fruit.csv", source_lang="en", target_lang="fr")
    suggested = [f for s in segments(bench, article_id) for f in s.flags]
    assert suggested and all(f.origin == "check" and f.state == "open" for f in suggested)
    for fmt in ("csv", "jsonl"):
        plain = export_bytes(bench, article_id, fmt).decode()
        asked = export_bytes(bench, article_id, fmt, include_suggestions=True).decode()
        assert "Accuracy/Mistranslation" not in plain, fmt
        assert "Accuracy/Mistranslation" in asked, fmt
    assert "MQM flag" not in export_bytes(bench, article_id, "xliff").decode()
    assert "MQM flag" in export_bytes(bench, article_id, "xliff",
                                      include_suggestions=True).decode()
    bench.flags.set_flag_state(SYSTEM_ACTOR, _flag_id(bench, article_id), "confirmed")
    rows = _csv_rows(export_bytes(bench, article_id, "csv"))
    assert [len(json.loads(r["flags"] or "[]")) for r in rows] == [1, 0]


def _flag_id(bench: Workbench, article_id: int) -> int:
    from review.db.models import Flag

    first = segments(bench, article_id)[0].id
    with bench.store.read() as session:
        return session.scalar(select(Flag.id).where(Flag.segment_id == first))


def test_csv_context_and_comment_columns_come_back(bench: Workbench) -> None:
    [article_id] = import_bytes(bench, CSV.encode(), "fruit.csv", source_lang="en",
                                target_lang="fr")
    rows = _csv_rows(export_bytes(bench, article_id, "csv"))
    assert [(r["context"], r["comment"]) for r in rows] == [("menu", "check the number"),
                                                           ("footer", "")]
    out = io.BytesIO()
    CSV_FORMAT.write([bench.exports.document(SYSTEM_ACTOR, article_id)], out, WriteOptions())
    assert out.getvalue().decode().splitlines()[0].endswith(",context,comment")


def test_a_csv_names_its_languages_or_says_it_does_not(bench: Workbench) -> None:
    data = (b"source,mt,target_lang\nThree apples.,Trois pommes.,fr-FR\n"
            b"Two pears.,Deux poires.,fr-FR\n")
    report = bench.imports.import_file(SYSTEM_ACTOR, data, "fr.csv")
    assert report.articles[0].target_lang == "fr-FR"
    report = bench.imports.import_file(SYSTEM_ACTOR, "source,mt\nThree.,三个。\n".encode(),
                                       "zh.csv")
    assert report.articles[0].target_lang == "zh"
    assert any("target language zh (assumed" in n for n in report.notes)
    french = "".join(f"Pomme {n}.,La pomme {n} est dans le panier et les poires sont pour "
                     "la table.\n" for n in range(8))
    report = bench.imports.import_file(SYSTEM_ACTOR, ("source,mt\n" + french).encode(), "fr2.csv")
    assert report.articles[0].target_lang == "fr"
    assert any("target language fr (assumed from its commonest words" in n
               for n in report.notes)
    english = french.replace("La pomme", "The apple").replace(
        "est dans le panier et les poires sont pour la table", "is in the basket and the "
        "pears are for the table")
    report = bench.imports.import_file(SYSTEM_ACTOR, ("source,mt\n" + english).encode(), "en.csv")
    assert report.articles[0].target_lang == "en" and not report.notes


def test_the_command_line_exports_suggestions_only_when_asked(
        bench: Workbench, capsysbinary: pytest.CaptureFixture) -> None:
    """Export had no way to ask for the checks' suggestions from the command line."""
    from review.cli.main import main

    [article_id] = import_bytes(bench, CSV.replace("Three", "3").replace("Quatre", "4")
                                .encode(), "fruit.csv", source_lang="en", target_lang="fr")
    url = bench.store.url
    assert main(["export", str(article_id), "--format", "csv", "--db", url]) == 0
    plain = capsysbinary.readouterr().out.decode()
    assert main(["export", str(article_id), "--format", "csv", "--include-suggestions",
                 "--db", url]) == 0
    asked = capsysbinary.readouterr().out.decode()
    assert "Accuracy/Mistranslation" not in plain and "Accuracy/Mistranslation" in asked
