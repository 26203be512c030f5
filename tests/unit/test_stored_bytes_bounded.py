"""Every stored byte counts: metadata (unknown columns and keys, attributes, notes) is
bounded per value and per segment, counts towards the import's size, and the number of
articles in one import is bounded, on both databases."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from review.accounts.permissions import SYSTEM_ACTOR
from review.core import limits
from review.core.errors import InputError
from review.db.models import Article, Flag, Segment
from review.services import Workbench

BIG = "x" * (limits.MAX_META_VALUE_CHARS + 1)


def _stored_meta(bench: Workbench) -> list[dict]:
    with bench.store.read() as session:
        return [m or {} for m in session.scalars(select(Segment.meta).order_by(Segment.id))]


def test_a_metadata_value_past_the_limit_is_dropped_with_a_note(any_bench: Workbench) -> None:
    """A 4 MB unknown JSONL key was kept in the segment's metadata, uncounted."""
    lines = [{"mt": "One.", "extra": BIG, "small": "kept"},
             {"mt": "Two.", "notes": ["fine", BIG]},
             {"mt": "Three.", "flags": [{"category": "Fluency", "severity": "Minor",
                                         "note": BIG}]}]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    report = any_bench.imports.import_file(SYSTEM_ACTOR, data, "meta.jsonl", "jsonl")
    meta = _stored_meta(any_bench)
    assert meta[0] == {"columns": {"small": "kept"}}
    assert meta[1] == {"notes": ["fine"]}
    with any_bench.store.read() as session:
        assert session.scalars(select(Flag.note)).all() == [""]
    note = next(n for n in report.notes if "metadata value" in n)
    assert "3 metadata value(s)" in note and "columns.extra at segment 1" in note, note


def test_a_segments_metadata_is_bounded_as_a_whole(bench: Workbench) -> None:
    each = "y" * (limits.MAX_META_VALUE_CHARS - 100)
    count = limits.MAX_SEGMENT_META_CHARS // len(each) + 3
    record = {"mt": "One.", **{f"k{i}": each for i in range(count)}}
    report = bench.imports.import_file(SYSTEM_ACTOR, json.dumps(record).encode(), "m.jsonl",
                                       "jsonl")
    kept = _stored_meta(bench)[0]["columns"]
    assert 0 < len(kept) < count
    assert limits.stored_size(kept) <= limits.MAX_SEGMENT_META_CHARS
    assert list(kept) == [f"k{i}" for i in range(len(kept))]  # the first ones stay
    assert any("metadata value" in n for n in report.notes)


def test_metadata_counts_towards_the_import_size(any_bench: Workbench,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts alone fit the import's character budget; with their metadata they do not."""
    monkeypatch.setattr(limits, "MAX_IMPORT_CHARS", 5_000)
    record = {"mt": "Short.", "extra": "z" * 3_000}
    data = "\n".join(json.dumps({**record, "id": str(i)}) for i in range(3)).encode()
    with pytest.raises(InputError, match="more than 5,000 characters"):
        any_bench.imports.import_file(SYSTEM_ACTOR, data, "m.jsonl", "jsonl")
    with any_bench.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 0


def test_the_number_of_articles_in_one_import_is_bounded(any_bench: Workbench,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setattr(limits, "MAX_IMPORT_ARTICLES", 3)
    data = "article,mt\n" + "".join(f"a{i},Text {i}.\n" for i in range(4))
    with pytest.raises(InputError, match="more than 3 articles") as err:
        any_bench.imports.import_file(SYSTEM_ACTOR, data.encode(), "many.csv", "csv")
    assert "\n" not in str(err.value)
    with any_bench.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 0
    ok = "article,mt\n" + "".join(f"a{i},Text {i}.\n" for i in range(3))
    assert len(any_bench.imports.import_file(SYSTEM_ACTOR, ok.encode(), "ok.csv",
                                             "csv").articles) == 3


def test_the_report_of_many_articles_stays_short(bench: Workbench) -> None:
    """One guessed-language note per article made the report grow with the articles."""
    from review.services.staging import NOTES_LISTED

    data = "article,source,mt\n" + "".join(f"a{i},这是第{i}篇文章。,Text {i}.\n"
                                           for i in range(NOTES_LISTED + 20))
    report = bench.imports.import_file(SYSTEM_ACTOR, data.encode(), "many.csv", "csv")
    assert len(report.articles) == NOTES_LISTED + 20
    assert len(report.notes) == NOTES_LISTED + 1 and "20 more notes" in report.notes[-1]


def test_bound_meta_keeps_small_values_and_names_the_dropped() -> None:
    kept, dropped, size = limits.bound_meta({"a": "1", "columns": {"b": BIG, "c": "2"},
                                             "d": BIG}, 1_000)
    assert kept == {"a": "1", "columns": {"c": "2"}}
    assert dropped == ["columns.b", "d"] and size < 100
