"""A segment with a huge number of flags opens quickly: the Review page and the segment's
detail carry at most ``MAX_FLAGS_SHOWN`` of them with exact counts (one with 100,000 flags
took 28.6 s to open, most of it per flag), while exports still write every flag."""

from __future__ import annotations

import time

from review.accounts.permissions import SYSTEM_ACTOR
from review.core.limits import MAX_FLAGS_SHOWN
from review.db.models import Flag, utcnow
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench


def _segment_with_flags(bench: Workbench, count: int, dismissed: int = 0) -> tuple[int, int]:
    report = bench.imports.import_articles(SYSTEM_ACTOR, [DocArticle(
        title="flags", source_lang="zh", segments=[DocSegment(mt="Hello world.", source="你好"),
                                                   DocSegment(mt="Second.", source="二")])])
    article_id = report.articles[0].id
    seg_id = bench.reading.article(SYSTEM_ACTOR, article_id).rows[0].id
    now = utcnow()
    with bench.store.write() as session:
        session.execute(Flag.__table__.insert(), [dict(
            segment_id=seg_id, candidate_id=None, span_in="target", start=i % 6,
            end=6 + i % 6, category="Accuracy/Mistranslation", severity="Minor", note="",
            author="t", origin="import", check_name="",
            state="dismissed" if i < dismissed else "open", created_at=now, updated_at=now)
            for i in range(count)])
    return article_id, seg_id


def test_a_segment_with_many_flags_carries_a_bounded_number_with_exact_counts(
        any_bench: Workbench) -> None:
    count = MAX_FLAGS_SHOWN * 10
    article_id, seg_id = _segment_with_flags(any_bench, count, dismissed=MAX_FLAGS_SHOWN)
    detail = any_bench.reading.segment(SYSTEM_ACTOR, seg_id)
    assert len(detail.flags) == MAX_FLAGS_SHOWN
    assert all(f.state == "open" for f in detail.flags)  # decisions to make come first
    assert [f.id for f in detail.flags] == sorted(f.id for f in detail.flags)
    assert detail.row.flags == detail.row.open_flags == count - MAX_FLAGS_SHOWN
    rows = any_bench.workspace.workspace_rows(SYSTEM_ACTOR, article_id)
    assert len(rows[0]["flags"]) == MAX_FLAGS_SHOWN
    assert rows[0]["flags_more"] == count - MAX_FLAGS_SHOWN
    assert (rows[1]["flags"], rows[1]["flags_more"]) == ([], 0)
    exported = any_bench.exports.document(SYSTEM_ACTOR, article_id)
    assert len(exported.segments[0].flags) == count - MAX_FLAGS_SHOWN  # all but dismissed


def test_opening_a_segment_with_100000_flags_takes_well_under_a_second_per_step(
        bench: Workbench) -> None:
    article_id, seg_id = _segment_with_flags(bench, 100_000)
    started = time.monotonic()
    bench.reading.segment(SYSTEM_ACTOR, seg_id)
    bench.workspace.workspace_rows(SYSTEM_ACTOR, article_id)
    bench.reading.article(SYSTEM_ACTOR, article_id)
    seconds = time.monotonic() - started
    print(f"a segment with 100,000 flags opens in {seconds:.2f} s")
    assert seconds < 3, seconds
