"""The library's data version: bumped by every write that changes what a view shows, by
nothing else, and read without scanning any table."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from review.accounts.permissions import SYSTEM_ACTOR
from review.db import data_version
from review.db.models import Job, Presence, Segment
from review.db.store import Store
from review.services import Workbench
from tests.factories import short_article


def version(store: Store) -> int:
    with store.read() as session:
        return data_version.current(session)


def test_every_changing_write_bumps_it_once_per_transaction(any_bench: Workbench) -> None:
    store = any_bench.store
    before = version(store)
    article_id = short_article(any_bench)
    after_import = version(store)
    assert after_import > before
    seg_id = any_bench.reading.article(SYSTEM_ACTOR, article_id).rows[0].id
    row = any_bench.reading.segment(SYSTEM_ACTOR, seg_id).row
    any_bench.editing.save_segment(SYSTEM_ACTOR, seg_id, row.current + " (fixed)", row.version)
    assert version(store) == after_import + 1
    with store.write() as session:  # a statement, not an object, also counts
        session.execute(Segment.__table__.update().where(Segment.id == seg_id)
                        .values(kind="metadata"))
    assert version(store) == after_import + 2


def test_reads_heartbeats_and_job_records_leave_it_alone(any_bench: Workbench) -> None:
    article_id = short_article(any_bench)
    store = any_bench.store
    seg_id = any_bench.reading.article(SYSTEM_ACTOR, article_id).rows[0].id
    start = version(store)
    any_bench.reports.dashboard_version(SYSTEM_ACTOR)
    any_bench.reading.article(SYSTEM_ACTOR, article_id)
    with store.write() as session:
        session.add(Presence(segment_id=seg_id, user_name="ana"))
        session.add(Job(kind="check"))
    with store.write() as session:  # a transaction that writes nothing
        session.execute(select(Segment.id))
    assert version(store) == start


def test_a_rolled_back_write_does_not_bump_it(any_bench: Workbench) -> None:
    article_id = short_article(any_bench)
    store = any_bench.store
    start = version(store)
    with pytest.raises(RuntimeError), store.write() as session:
        seg = session.scalars(select(Segment).where(Segment.article_id == article_id)).first()
        assert seg is not None
        seg.current = "gone"
        session.flush()
        raise RuntimeError("the save failed half way")
    assert version(store) == start


def test_the_dashboards_version_is_one_lookup_that_follows_a_save(bench: Workbench) -> None:
    article_id = short_article(bench)
    seen = bench.reports.dashboard_version(SYSTEM_ACTOR)
    assert bench.reports.dashboard_version(SYSTEM_ACTOR) == seen
    statements: list[str] = []

    def record(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        statements.append(sql)

    event.listen(bench.store.read_engine, "before_cursor_execute", record)
    try:
        bench.reports.dashboard_version(SYSTEM_ACTOR)
    finally:
        event.remove(bench.store.read_engine, "before_cursor_execute", record)
    asked = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(asked) == 1 and "data_versions" in asked[0]
    seg_id = bench.reading.article(SYSTEM_ACTOR, article_id).rows[1].id
    row = bench.reading.segment(SYSTEM_ACTOR, seg_id).row
    bench.editing.save_segment(SYSTEM_ACTOR, seg_id, row.current + " !", row.version)
    assert bench.reports.dashboard_version(SYSTEM_ACTOR) != seen

