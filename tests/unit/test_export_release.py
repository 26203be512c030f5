"""What an export releases: several articles in one zip, approved work only, and a word
when an article is still under review."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from review.accounts.permissions import SYSTEM_ACTOR
from review.cli.main import main
from review.core.errors import InputError
from review.db.models import Segment
from review.db.store import open_store
from review.services import Workbench
from tests.factories import make_article
from tests.unit.test_roundtrip_helpers import (
    ROUNDTRIP,
    c14n,
    export_bytes,
    import_bytes,
    segments,
    tmx_units,
    xliff_units,
)


def _version(bench: Workbench, segment_id: int) -> int:
    with bench.store.read() as session:
        return int(session.scalar(select(Segment.version).where(Segment.id == segment_id)))


def _approve(bench: Workbench, segment_id: int) -> None:
    bench.editing.set_status(SYSTEM_ACTOR, segment_id, "approved", _version(bench, segment_id))


def _fix(bench: Workbench, segment_id: int, text: str) -> None:
    bench.editing.save_segment(SYSTEM_ACTOR, segment_id, text, _version(bench, segment_id))


def test_several_articles_go_in_one_zip_with_distinct_names(bench: Workbench) -> None:
    first = make_article(bench, ["One.", "Two."], title="Same title")
    second = make_article(bench, ["Three."], title="Same title")
    third = make_article(bench, ["Four."], title="Other")
    archive = bench.exports.export_articles(SYSTEM_ACTOR, [first, second, third, first],
                                            "text")
    assert archive.mime == "application/zip" and archive.filename.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(archive.data)) as zipped:
        names = zipped.namelist()
        texts = [zipped.read(name).decode("utf-8") for name in names]
    assert len(names) == len(set(names)) == 3
    assert ["One." in texts[0], "Three." in texts[1], "Four." in texts[2]] == [True] * 3
    one = bench.exports.export_article(SYSTEM_ACTOR, first, "text")
    assert names[0] == one.filename and texts[0].encode("utf-8") == one.data


def test_a_zip_needs_an_article_and_stays_bounded(bench: Workbench) -> None:
    with pytest.raises(InputError, match="at least one article"):
        bench.exports.export_articles(SYSTEM_ACTOR, [], "text")
    with pytest.raises(InputError, match="several parts"):
        bench.exports.export_articles(SYSTEM_ACTOR, list(range(1, 2000)), "text")


def test_articles_of_one_kept_file_give_that_file_once(bench: Workbench) -> None:
    data = (ROUNDTRIP / "review-1.2.xlf").read_bytes()
    ids = import_bytes(bench, data, "review-1.2.xlf")
    assert len(ids) == 2  # two <file> elements
    archive = bench.exports.export_articles(SYSTEM_ACTOR, ids, "xliff")
    with zipfile.ZipFile(io.BytesIO(archive.data)) as zipped:
        [name] = zipped.namelist()
        assert c14n(zipped.read(name)) == c14n(data)


def test_approved_only_leaves_out_what_is_not_approved(bench: Workbench) -> None:
    article_id = make_article(bench, ["Alpha one.", "Beta two.", "Gamma three."])
    first, second, third = (s.id for s in
                            bench.reading.article(SYSTEM_ACTOR, article_id).rows)
    _fix(bench, first, "Alpha, fixed.")
    _approve(bench, first)
    _fix(bench, second, "Beta, fixed but not approved.")
    text = bench.exports.export_article(SYSTEM_ACTOR, article_id, "text",
                                        approved_only=True).data.decode("utf-8")
    assert "Alpha, fixed." in text
    assert "Beta" not in text and "Gamma" not in text
    everything = bench.exports.export_article(SYSTEM_ACTOR, article_id, "jsonl").data
    assert b"Beta, fixed but not approved." in everything and b"Gamma three." in everything
    assert third


def test_approved_only_into_a_kept_file_leaves_unapproved_units_as_they_were(
        bench: Workbench) -> None:
    data = (ROUNDTRIP / "review-2.0.xlf").read_bytes()
    [article_id] = import_bytes(bench, data, "review-2.0.xlf")
    by_id = {s.external_id: s for s in segments(bench, article_id)}
    edited = [key for key in by_id if by_id[key].mt.strip()][:2]
    approved, pending = by_id[edited[0]], by_id[edited[1]]
    _fix(bench, approved.id, approved.mt + " (approved)")
    _approve(bench, approved.id)
    _fix(bench, pending.id, pending.mt + " (pending)")
    held = export_bytes(bench, article_id, "xliff2", approved_only=True)
    released = export_bytes(bench, article_id, "xliff2")
    assert b"(approved)" in held and b"(pending)" not in held
    assert b"(approved)" in released and b"(pending)" in released
    before, after = xliff_units(data), xliff_units(held)
    assert sum(before[k] != after[k] for k in before) <= 1  # only the approved unit moved


def test_approved_only_into_a_kept_tmx_file(bench: Workbench) -> None:
    data = (ROUNDTRIP / "memory.tmx").read_bytes()
    [article_id] = import_bytes(bench, data, "memory.tmx")
    rows = [s for s in segments(bench, article_id) if s.mt.strip()]
    _fix(bench, rows[0].id, rows[0].mt + " (pending)")
    held = export_bytes(bench, article_id, "tmx", approved_only=True)
    assert b"(pending)" not in held
    assert tmx_units(held) == tmx_units(data)


def test_an_article_under_review_says_so_until_every_segment_is_approved(
        bench: Workbench) -> None:
    article_id = make_article(bench, ["One.", "Two."])
    first, second = (s.id for s in bench.reading.article(SYSTEM_ACTOR, article_id).rows)
    assert bench.exports.unfinished(SYSTEM_ACTOR, article_id).startswith(
        "Still under review: 2 of 2 segments")
    _approve(bench, first)
    assert "1 of 2 segments" in bench.exports.unfinished(SYSTEM_ACTOR, article_id)
    _approve(bench, second)
    assert bench.exports.unfinished(SYSTEM_ACTOR, article_id) == ""


def test_the_command_line_zips_several_articles_and_warns_of_unfinished_ones(
        sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench = Workbench(open_store(sqlite_url))
    first = make_article(bench, ["One."], title="First")
    second = make_article(bench, ["Two."], title="Second")
    out = tmp_path / "both.zip"
    assert main(["export", str(first), str(second), "--format", "csv", "-o", str(out),
                 "--db", sqlite_url]) == 0
    err = capsys.readouterr().err
    assert f"article {first}: Still under review" in err and f"article {second}:" in err
    with zipfile.ZipFile(out) as zipped:
        assert len(zipped.namelist()) == 2
    assert main(["export", str(first), "--format", "text", "--db", sqlite_url]) == 0
    assert "One." in capsys.readouterr().out
    assert main(["export", str(first), "--format", "text", "--approved-only",
                 "--db", sqlite_url]) == 0
    captured = capsys.readouterr()
    assert "One." not in captured.out and "Still under review" not in captured.err
