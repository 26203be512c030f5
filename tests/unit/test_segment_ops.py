"""Merge, split, reclassify and attach a source: history kept, offsets moved, bad input refused."""

from __future__ import annotations

import pytest

from review.accounts.permissions import SYSTEM_ACTOR as ADMIN
from review.accounts.permissions import Actor
from review.core.errors import ConflictError, InputError, PermissionDenied
from review.formats.base import ReadOptions
from review.services import Workbench
from tests.factories import import_wuzhen


@pytest.fixture
def wuzhen(bench: Workbench) -> int:
    return import_wuzhen(bench, ADMIN)


def rows(bench: Workbench, article_id: int):
    return bench.reading.article(ADMIN, article_id).rows


def ratio_pair(bench: Workbench, article_id: int):
    """'...1% of the country's total.' and 'The ratios are about 3/5 and 1/3 respectively.'"""
    all_rows = rows(bench, article_id)
    first = next(i for i, r in enumerate(all_rows) if r.mt.endswith("country’s total."))
    assert all_rows[first + 1].mt.startswith("The ratios")
    return all_rows[first], all_rows[first + 1]


def test_merge_joins_texts_moves_flags_and_records_history(bench: Workbench,
                                                           wuzhen: int) -> None:
    left, right = ratio_pair(bench, wuzhen)
    count = len(rows(bench, wuzhen))
    start = right.mt.index("3/5")
    flag_id = bench.workspace.add_span_flag(ADMIN, right.id, "target", start, start + 3,
                                  "Accuracy/Mistranslation", "Major")
    right = bench.reading.segment(ADMIN, right.id).row
    merged_id = bench.segments.merge_with_next(ADMIN, left.id, left.version, right.id,
                                               right.version)
    detail = bench.reading.segment(ADMIN, merged_id)
    assert detail.row.mt == left.mt + " " + right.mt
    flag = next(f for f in detail.flags if f.id == flag_id)
    assert detail.row.mt[flag.start:flag.end] == "3/5"
    assert detail.revisions[0].action == "merge"
    assert detail.revisions[0].text == detail.row.current
    after = rows(bench, wuzhen)
    assert len(after) == count - 1
    assert [r.position for r in after] == list(range(count - 1))
    trail = bench.library.audit_trail(ADMIN, segment_id=merged_id)
    assert trail[0].action == "merge" and trail[0].detail["next_text"] == right.current


def test_merge_refuses_non_neighbours_and_stale_versions(bench: Workbench, wuzhen: int,
                                                         wuzhen_bytes: bytes) -> None:
    left, right = ratio_pair(bench, wuzhen)
    other = bench.imports.import_file(ADMIN, wuzhen_bytes, "copy.txt", None,
                              ReadOptions(target_lang="en"), again=True).articles[0].id
    stranger = rows(bench, other)[1]
    with pytest.raises(InputError, match="different articles"):
        bench.segments.merge_with_next(ADMIN, left.id, left.version, stranger.id, stranger.version)
    with pytest.raises(InputError, match="neighbours"):
        bench.segments.merge_with_next(ADMIN, right.id, right.version, left.id, left.version)
    bench.editing.save_segment(ADMIN, right.id, "Changed meanwhile.", right.version)
    with pytest.raises(ConflictError):
        bench.segments.merge_with_next(ADMIN, left.id, left.version, right.id, right.version)
    assert bench.reading.segment(ADMIN, left.id).row.mt == left.mt  # nothing changed


def test_split_then_positions_flags_and_history(bench: Workbench, wuzhen: int) -> None:
    left, right = ratio_pair(bench, wuzhen)
    merged = bench.segments.merge_with_next(ADMIN, left.id, left.version, right.id, right.version)
    row = bench.reading.segment(ADMIN, merged).row
    start = row.mt.index("3/5")
    bench.workspace.add_span_flag(ADMIN, merged, "target", start, start + 3,
                                  "Accuracy/Mistranslation",
                        "Minor")
    row = bench.reading.segment(ADMIN, merged).row
    count = len(rows(bench, wuzhen))
    first, second = bench.segments.split_segment(ADMIN, merged, len(left.mt) + 1, row.version)
    a, b = bench.reading.segment(ADMIN, first), bench.reading.segment(ADMIN, second)
    assert (a.row.mt, b.row.mt) == (left.mt, right.mt)
    assert b.row.position == a.row.position + 1
    flag = next(f for f in b.flags if f.category == "Accuracy/Mistranslation")
    assert b.row.mt[flag.start:flag.end] == "3/5"
    assert [r.action for r in a.revisions][:2] == ["split", "merge"]
    assert len(rows(bench, wuzhen)) == count + 1


@pytest.mark.parametrize("at", [0, -1, 10_000])
def test_split_at_invalid_offset_changes_nothing(bench: Workbench, wuzhen: int, at: int) -> None:
    left, _ = ratio_pair(bench, wuzhen)
    with pytest.raises(InputError):
        bench.segments.split_segment(ADMIN, left.id, at, left.version)
    assert bench.reading.segment(ADMIN, left.id).row.version == left.version


def test_split_of_an_edited_segment_cuts_the_mt_at_the_same_place(bench: Workbench,
                                                                  wuzhen: int) -> None:
    left, right = ratio_pair(bench, wuzhen)
    merged = bench.segments.merge_with_next(ADMIN, left.id, left.version, right.id, right.version)
    row = bench.reading.segment(ADMIN, merged).row
    edited = row.current.replace("will account", "accounted")
    row = bench.editing.save_segment(ADMIN, merged, edited, row.version).row
    first, second = bench.segments.split_segment(ADMIN, merged, edited.index("The ratios"),
                                        row.version)
    assert bench.reading.segment(ADMIN, second).row.mt == right.mt
    assert bench.reading.segment(ADMIN, first).row.current.endswith("total.")


def test_mark_residue_and_body(bench: Workbench, wuzhen: int) -> None:
    left, _ = ratio_pair(bench, wuzhen)
    bench.segments.set_kind(ADMIN, left.id, "residue", left.version)
    row = bench.reading.segment(ADMIN, left.id).row
    assert row.kind == "boilerplate"
    bench.segments.set_kind(ADMIN, left.id, "body", row.version)
    assert bench.reading.segment(ADMIN, left.id).row.kind == "body"
    with pytest.raises(InputError):
        bench.segments.set_kind(ADMIN, left.id, "poem", row.version + 1)


def test_reviewer_outside_assignment_cannot_merge(bench: Workbench, wuzhen: int) -> None:
    bench.accounts.add_user(ADMIN, "rita", "reviewer", None)
    rita = Actor("rita", "reviewer", bench.accounts.list_users(ADMIN)[0].id)
    left, right = ratio_pair(bench, wuzhen)
    with pytest.raises(PermissionDenied):
        bench.segments.merge_with_next(rita, left.id, left.version, right.id, right.version)


def test_attach_source_aligns_and_stores_corrections(bench: Workbench, wuzhen: int) -> None:
    content = [r for r in rows(bench, wuzhen) if r.kind in ("title", "body")]
    source = "\n".join(f"第{i}句话{'很长' * (len(r.mt) // 6)}。" for i, r in enumerate(content))
    proposal = bench.segments.propose_source(ADMIN, wuzhen, source, "zh")
    by_id = {p["id"]: p["source"] for p in proposal}
    assert by_id[content[0].id].startswith("第0句话")
    assert sum(1 for r in content if by_id[r.id]) >= len(content) - 2
    residue = next(r for r in rows(bench, wuzhen) if r.kind == "boilerplate")
    assert by_id[residue.id] == ""
    by_id[content[1].id] = "纠正后的句子。"  # the reviewer fixes one pairing
    assert bench.segments.set_sources(ADMIN, wuzhen, by_id, "zh") >= len(content) - 2
    assert bench.reading.segment(ADMIN, content[1].id).row.source == "纠正后的句子。"
    assert bench.library.audit_trail(ADMIN, article_id=wuzhen)[0].action == "attach_source"
    with pytest.raises(InputError):
        bench.segments.propose_source(ADMIN, wuzhen, "   ")
