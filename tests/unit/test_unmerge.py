"""Undoing a merge gives both segments back as they were: the second one with its own id,
position, texts, kind and status, and its flags, history, retranslations, scores and
ratings; versions move on so a save made on an older view is still a conflict."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import delete, select

from review.accounts.permissions import SYSTEM_ACTOR as ADMIN
from review.core.errors import ConflictError, InputError
from review.db.models import (
    Assignment,
    AttentionCheck,
    Candidate,
    Flag,
    Revision,
    Segment,
    SegmentRating,
    SegmentScore,
)
from review.formats.base import ReadOptions
from review.services import Workbench
from tests.factories import import_wuzhen


def _rows(bench: Workbench, article_id: int) -> list:
    return bench.reading.article(ADMIN, article_id).rows


def _state(bench: Workbench, segment_id: int) -> dict:
    """Everything stored about one segment, by table, with the ids (a revision's id may be
    handed out again by SQLite while the merge lasts, so revisions go by version)."""
    with bench.store.read() as session:
        seg = session.get(Segment, segment_id)
        assert seg is not None
        return {
            "segment": (seg.id, seg.position, seg.kind, seg.status, seg.source, seg.mt,
                        seg.current, seg.paragraph, seg.meta),
            "flags": sorted((f.id, f.candidate_id, f.span_in, f.start, f.end, f.category)
                            for f in session.scalars(select(Flag).where(
                                Flag.segment_id == segment_id))),
            "revisions": sorted((r.version, r.text, r.action) for r in session.scalars(
                select(Revision).where(Revision.segment_id == segment_id))),
            "candidates": sorted((c.id, c.system, c.text) for c in session.scalars(
                select(Candidate).where(Candidate.segment_id == segment_id))),
            "scores": sorted((s.id, s.metric, s.value) for s in session.scalars(
                select(SegmentScore).where(SegmentScore.segment_id == segment_id))),
            "ratings": sorted((r.id, r.author, r.score) for r in session.scalars(
                select(SegmentRating).where(SegmentRating.segment_id == segment_id))),
        }


def _dress(bench: Workbench, left_id: int, right_id: int) -> None:
    """Give the second segment what a reviewed segment has: an edit, flags (one on a
    retranslation only it has), retranslations, a score and a rating; and the first one a
    retranslation from the same system as one of the second's."""
    right = bench.reading.segment(ADMIN, right_id).row
    bench.editing.save_segment(ADMIN, right_id, right.current + " Indeed.", right.version)
    with bench.store.write() as session:
        only = Candidate(segment_id=right_id, system="model-only", kind="model",
                         text="Only the second has this.")
        session.add_all([only, Candidate(segment_id=right_id, system="model-both",
                                         kind="model", text="Second, retranslated."),
                         Candidate(segment_id=left_id, system="model-both", kind="model",
                                   text="First, retranslated."),
                         SegmentScore(segment_id=right_id, comparison="mt", metric="chrf",
                                      value=0.5),
                         SegmentRating(segment_id=right_id, author="rita", score=70)])
        session.flush()
        session.add(Flag(segment_id=right_id, candidate_id=only.id, span_in="target",
                         start=0, end=4, category="Accuracy/Mistranslation",
                         severity="Minor", author="admin"))
    row = bench.reading.segment(ADMIN, right_id).row
    start = row.mt.index("3/5")
    bench.workspace.add_span_flag(ADMIN, right_id, "target", start, start + 3,
                                  "Accuracy/Mistranslation", "Major")
    bench.workspace.add_span_flag(ADMIN, right_id, "corrected", 0, 3, "Style/Awkward",
                                  "Minor")


def _pair(bench: Workbench, article_id: int) -> tuple:
    rows = _rows(bench, article_id)
    first = next(i for i, r in enumerate(rows) if r.mt.endswith("country’s total."))
    return rows[first], rows[first + 1]


def test_undo_of_a_merge_gives_the_second_segment_back_with_its_rows(
        any_bench: Workbench) -> None:
    bench = any_bench
    article_id = import_wuzhen(bench, ADMIN)
    left, right = _pair(bench, article_id)
    _dress(bench, left.id, right.id)
    before_rows = [(r.id, r.position) for r in _rows(bench, article_id)]
    was_left, was_right = _state(bench, left.id), _state(bench, right.id)
    left_version = bench.reading.segment(ADMIN, left.id).row.version
    right_version = bench.reading.segment(ADMIN, right.id).row.version

    merged = bench.segments.merge_with_next(ADMIN, left.id, left_version, right.id,
                                            right_version)
    assert right.id not in [r.id for r in _rows(bench, article_id)]
    merged_version = bench.reading.segment(ADMIN, merged).row.version
    first, second = bench.segments.unmerge(ADMIN, merged, merged_version)

    assert (first, second) == (left.id, right.id)
    assert [(r.id, r.position) for r in _rows(bench, article_id)] == before_rows
    now_left, now_right = _state(bench, left.id), _state(bench, right.id)
    for table in ("segment", "flags", "candidates", "scores", "ratings"):
        assert now_right[table] == was_right[table], table
        assert now_left[table] == was_left[table], table
    assert set(was_right["revisions"]) < set(now_right["revisions"])
    assert now_right["revisions"][-1][2] == "unmerge"
    assert bench.reading.segment(ADMIN, right.id).row.version > right_version
    assert bench.reading.segment(ADMIN, left.id).row.version > merged_version

    with pytest.raises(ConflictError):
        bench.editing.save_segment(ADMIN, right.id, "From an old view.", right_version)
    with pytest.raises(ConflictError):
        bench.editing.save_segment(ADMIN, left.id, "From the merged view.", merged_version)
    with pytest.raises(InputError, match="no merge to undo"):
        bench.segments.unmerge(ADMIN, left.id,
                               bench.reading.segment(ADMIN, left.id).row.version)


def test_merges_in_a_row_are_undone_one_by_one(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    rows = _rows(bench, article_id)[2:5]
    ids = [(r.id, r.position, r.mt) for r in _rows(bench, article_id)]
    bench.segments.merge_with_next(ADMIN, rows[1].id, rows[1].version)
    once = bench.reading.segment(ADMIN, rows[0].id).row
    bench.segments.merge_with_next(ADMIN, rows[0].id, once.version)
    twice = bench.reading.segment(ADMIN, rows[0].id).row
    bench.segments.unmerge(ADMIN, rows[0].id, twice.version)
    back = bench.reading.segment(ADMIN, rows[1].id).row
    bench.segments.unmerge(ADMIN, rows[1].id, back.version)
    assert [(r.id, r.position, r.mt) for r in _rows(bench, article_id)] == ids


def test_undo_of_a_merge_refuses_a_text_edited_since(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    left, right = _pair(bench, article_id)
    merged = bench.segments.merge_with_next(ADMIN, left.id, left.version)
    row = bench.reading.segment(ADMIN, merged).row
    edited = bench.editing.save_segment(ADMIN, merged, row.current + " More.", row.version)
    with pytest.raises(InputError, match="edited after the merge"):
        bench.segments.unmerge(ADMIN, merged, edited.row.version)
    assert right.id not in [r.id for r in _rows(bench, article_id)]


def test_a_split_still_makes_a_new_segment(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    left, right = _pair(bench, article_id)
    merged = bench.segments.merge_with_next(ADMIN, left.id, left.version)
    row = bench.reading.segment(ADMIN, merged).row
    _, new = bench.segments.split_segment(ADMIN, merged, len(left.current), row.version)
    assert new != right.id
    with pytest.raises(InputError):  # the split took the merge's place
        bench.segments.unmerge(ADMIN, merged,
                               bench.reading.segment(ADMIN, merged).row.version)


def test_an_id_handed_out_again_meanwhile_gets_the_segment_a_new_one(
        any_bench: Workbench, wuzhen_bytes: bytes) -> None:
    bench = any_bench
    article_id = import_wuzhen(bench, ADMIN)
    left, right = _rows(bench, article_id)[-2:]
    bench.flags.add_flag(ADMIN, right.id, "Style/Awkward", "Minor")
    flags = [f.id for f in bench.reading.segment(ADMIN, right.id).flags]
    merged = bench.segments.merge_with_next(ADMIN, left.id, left.version)
    bench.imports.import_file(ADMIN, wuzhen_bytes, "copy.txt", None,  # SQLite may give
                              ReadOptions(target_lang="en"), again=True)  # it the freed id
    version = bench.reading.segment(ADMIN, merged).row.version
    _, back = bench.segments.unmerge(ADMIN, merged, version)
    restored = bench.reading.segment(ADMIN, back)
    assert (restored.row.mt, restored.row.position) == (right.mt, right.position)
    assert [f.id for f in restored.flags] == flags
    assert [r.id for r in _rows(bench, article_id)][-2:] == [left.id, back]
    if str(bench.store.url).startswith("sqlite"):
        assert back != right.id  # the case this test is about did happen


def test_two_undos_of_one_merge_at_once_give_one_conflict(any_bench: Workbench) -> None:
    bench = any_bench
    article_id = import_wuzhen(bench, ADMIN)
    left, right = _pair(bench, article_id)
    merged = bench.segments.merge_with_next(ADMIN, left.id, left.version)
    version = bench.reading.segment(ADMIN, merged).row.version
    start = threading.Barrier(2)

    def undo() -> str:
        start.wait()
        try:
            bench.segments.unmerge(ADMIN, merged, version)
        except ConflictError:
            return "conflict"
        return "done"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(lambda _: undo(), range(2)))
    assert outcomes == ["conflict", "done"]
    assert [r.id for r in _rows(bench, article_id)].count(right.id) == 1


def test_a_row_whose_other_parent_went_meanwhile_stays_gone(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    left, right = _pair(bench, article_id)
    bench.accounts.add_user(ADMIN, "rita", "reviewer", "rita-password")
    assignment = bench.assignments.assign(ADMIN, article_id, "rita")
    with bench.store.write() as session:
        session.add(AttentionCheck(assignment_id=assignment.id, segment_id=right.id,
                                   after_position=right.position, kind="omission",
                                   text="x", start=0, end=1))
    merged = bench.segments.merge_with_next(ADMIN, left.id, left.version)
    with bench.store.write() as session:  # the assignment ends while the merge lasts
        session.execute(delete(Assignment).where(Assignment.id == assignment.id))
    version = bench.reading.segment(ADMIN, merged).row.version
    bench.segments.unmerge(ADMIN, merged, version)
    with bench.store.read() as session:
        assert session.scalars(select(AttentionCheck)).all() == []
    assert bench.reading.segment(ADMIN, right.id).row.mt == right.mt


def test_a_flag_made_on_the_second_part_after_the_merge_goes_back_with_it(
        bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    left, right = _pair(bench, article_id)
    merged = bench.segments.merge_with_next(ADMIN, left.id, left.version)
    row = bench.reading.segment(ADMIN, merged).row
    start = row.mt.index("3/5")
    flag_id = bench.workspace.add_span_flag(ADMIN, merged, "target", start, start + 3,
                                            "Accuracy/Mistranslation", "Major")
    row = bench.reading.segment(ADMIN, merged).row
    bench.segments.unmerge(ADMIN, merged, row.version)
    back = bench.reading.segment(ADMIN, right.id)
    flag = next(f for f in back.flags if f.id == flag_id)
    assert back.row.mt[flag.start:flag.end] == "3/5"
    assert flag_id not in [f.id for f in bench.reading.segment(ADMIN, left.id).flags]
