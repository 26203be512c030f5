"""Reads and writes of big articles bind at most a batch of ids per statement.

PostgreSQL refuses a statement with more than 65,535 parameters ("number of parameters
must be between 0 and 65535") and SQLite one with about 250,000 ("too many SQL
variables"): an article of 66,000 segments failed to export on PostgreSQL, one of 262,000
on the Review and Export pages on SQLite. On SQLite the tests shrink the batch and count
the parameters of every statement; on PostgreSQL a 66,001-segment article is exported and
opened for real.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event

from review.accounts.permissions import SYSTEM_ACTOR
from review.db import batching
from review.db.models import Candidate, Flag, Segment, utcnow
from review.db.store import Store
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench
from tests.conftest import fresh_postgres_store


def _big_article(bench: Workbench, segments: int) -> int:
    """An article of ``segments`` segments, each with a candidate and a flag, written with
    bulk inserts (an import would check and score them all, which is not the point)."""
    report = bench.imports.import_articles(SYSTEM_ACTOR, [DocArticle(
        title="big", source_lang="zh", target_lang="en", mt_system="mt",
        segments=[DocSegment(mt="Segment zero.", source="零")])])
    article_id = report.articles[0].id
    now = utcnow()
    step = 5_000
    with bench.store.write() as session:
        for low in range(1, segments, step):
            session.execute(Segment.__table__.insert(), [dict(
                article_id=article_id, position=p, paragraph=p // 10, kind="body",
                source="源文", mt=f"Segment {p}.", status="todo",
                current=f"Segment {p}{'!' if p % 2 else '.'}",
                external_id=f"s{p}", meta={}, version=1, updated_at=now, updated_by="t")
                for p in range(low, min(segments, low + step))])
        ids = [i for (i,) in session.execute(
            Segment.__table__.select().with_only_columns(Segment.id)
            .where(Segment.article_id == article_id))]
        for low in range(0, len(ids), step):
            batch = ids[low:low + step]
            session.execute(Candidate.__table__.insert(), [dict(
                segment_id=i, system="other", kind="import", text="Other.", meta={},
                created_at=now) for i in batch])
            session.execute(Flag.__table__.insert(), [dict(
                segment_id=i, candidate_id=None, span_in="target", start=0, end=7,
                category="Fluency/Grammar", severity="Minor", note="", author="t",
                origin="import", check_name="", state="open", created_at=now,
                updated_at=now) for i in batch])
    return article_id


def _open_and_export(bench: Workbench, article_id: int) -> None:
    doc = bench.exports.document(SYSTEM_ACTOR, article_id)
    assert len(doc.segments) == _segments_of(bench, article_id)
    assert all(len(s.flags) == 1 and s.candidates for s in doc.segments[1:])
    assert bench.exports.export_article(SYSTEM_ACTOR, article_id, "csv").data.count(b"\r\n") > 1
    rows = bench.workspace.workspace_rows(SYSTEM_ACTOR, article_id)
    assert len(rows) == len(doc.segments) and rows[-1]["flags"]
    view = bench.reading.article(SYSTEM_ACTOR, article_id)
    assert len(view.rows) == len(doc.segments)
    assert bench.reading.summaries(SYSTEM_ACTOR)[0].open_flags == len(doc.segments)


def _check_all(bench: Workbench, article_id: int) -> None:
    from review.db.models import Article
    from review.services.checking import suggest_for_segments

    with bench.store.write() as session:
        suggest_for_segments(session, session.get(Article, article_id), None)


def _segments_of(bench: Workbench, article_id: int) -> int:
    return bench.reading.summaries(SYSTEM_ACTOR, [article_id])[0].segments


def test_no_statement_binds_more_than_a_batch_reading_or_exporting(
        bench: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    """On SQLite: with a batch of 50, a 600-segment article is read and exported with no
    statement carrying more than the batch and a few other parameters."""
    monkeypatch.setattr(batching, "IN_BATCH", 50)
    article_id = _big_article(bench, 600)
    most: list[int] = [0]

    def count(_conn, _cursor, _statement, parameters, _context, executemany) -> None:  # noqa: ANN001
        sets = parameters if executemany else [parameters]
        most[0] = max([most[0], *(len(p) for p in sets)])

    engines = {bench.store.read_engine, bench.store.write_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        _open_and_export(bench, article_id)
        bench.reading.summaries(SYSTEM_ACTOR, range(1, 700))
        _check_all(bench, article_id)
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)
    assert 0 < most[0] <= 50 + 10, most[0]


def test_staged_rows_are_deleted_in_batches(store: Store, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    from review.services.staging import _delete_articles

    monkeypatch.setattr(batching, "IN_BATCH", 3)
    bench = Workbench(store)
    ids = [bench.imports.import_articles(SYSTEM_ACTOR, [DocArticle(title=f"a{i}", segments=[
        DocSegment(mt=f"Text {i}.")])]).articles[0].id for i in range(7)]
    with store.write() as session:
        _delete_articles(session, ids)
    assert bench.reading.summaries(SYSTEM_ACTOR) == []


@pytest.mark.postgres
@pytest.mark.slow
def test_an_article_over_65535_segments_exports_and_opens_on_postgresql() -> None:
    """"number of parameters must be between 0 and 65535" on export, before batching.
    About a minute: the size is the point."""
    store = fresh_postgres_store()
    try:
        bench = Workbench(store)
        article_id = _big_article(bench, 66_001)
        exported = bench.exports.export_article(SYSTEM_ACTOR, article_id, "jsonl").data
        assert exported.count(b"\n") == 66_001
        rows = bench.workspace.workspace_rows(SYSTEM_ACTOR, article_id)
        assert len(rows) == 66_001 and all(r["flags"] for r in rows)
    finally:
        store.dispose()
