"""A process killed with SIGKILL mid-write leaves the database consistent.

The child process signals once it is inside the transaction (a statement that writes
segments has run) and then either waits to be killed there, or carries on and is killed a
moment later wherever it happens to be. Afterwards no article lacks its segments and no
revision lacks the segment update it belongs to.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, text

from review.accounts.permissions import SYSTEM_ACTOR
from review.core.vocab import STAGED_STATUS
from review.db.models import Article, AuditEvent, Revision, Segment
from review.db.store import Store
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench
from review.services.staging import discard_stale_stages

pytestmark = pytest.mark.system

ARTICLES = 40  # the killed import would take seconds: the kill lands inside it
SEGMENTS = 150
WAIT_S = 120


def _docs(tag: str) -> list[DocArticle]:
    return [DocArticle(title=f"{tag} {a}", source_lang="zh", target_lang="en", segments=[
        DocSegment(mt=f"Sentence {i} of {tag} article {a}, which is long enough to matter.",
                   source=f"第{i}句。") for i in range(SEGMENTS)]) for a in range(ARTICLES)]


def _signal_on(store: Store, prefix: str, started, hold: bool) -> None:  # noqa: ANN001
    """Set ``started`` after the first statement starting with ``prefix``; then hold the
    open transaction (sleep until killed) or go on."""
    @event.listens_for(store.write_engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith(prefix) and not started.is_set():
            started.set()
            if hold:
                time.sleep(WAIT_S)


def import_worker(url: str, started, hold: bool) -> None:  # noqa: ANN001
    store = Store(url)
    _signal_on(store, "INSERT INTO SEGMENTS", started, hold)
    Workbench(store).imports.import_articles(SYSTEM_ACTOR, _docs("killed"))


def save_worker(url: str, segment_ids: list[int], started, hold: bool) -> None:  # noqa: ANN001
    store = Store(url)
    _signal_on(store, "UPDATE SEGMENTS", started, hold)
    bench = Workbench(store)
    for k in range(10_000):
        for segment_id in segment_ids:
            version = bench.reading.segment(SYSTEM_ACTOR, segment_id).row.version
            bench.editing.save_segment(SYSTEM_ACTOR, segment_id, f"save {k}", version)


def _kill_after_start(target, args: tuple, delay: float) -> None:  # noqa: ANN001
    ctx = multiprocessing.get_context("spawn")
    started = ctx.Event()
    proc = ctx.Process(target=target, args=(*args, started, delay == 0), daemon=True)
    proc.start()
    try:
        assert started.wait(WAIT_S), "the child never started writing"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(timeout=30)
        assert proc.exitcode == -signal.SIGKILL, "the child finished before it was killed"
    finally:
        if proc.is_alive():
            proc.kill()


def _check_consistent(bench: Workbench) -> None:
    with bench.store.read() as session:
        if bench.store.is_sqlite:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert session.execute(text("PRAGMA foreign_key_check")).all() == []
        # no half article: every article a page can show has all the segments it was
        # imported with (a killed import's staged rows are hidden until cleaned up)
        counts = dict(session.execute(
            select(Article.id, func.count(Segment.id))
            .outerjoin(Segment, Segment.article_id == Article.id)
            .where(Article.status != STAGED_STATUS).group_by(Article.id)).all())
        assert all(n == SEGMENTS for n in counts.values()), counts
        # no revision without its segment update: the segment is at its newest revision
        for segment in session.scalars(select(Segment).where(Segment.version > 1)):
            newest = session.execute(
                select(Revision.version, Revision.text).where(Revision.segment_id == segment.id)
                .order_by(Revision.version.desc()).limit(1)).one()
            assert tuple(newest) == (segment.version, segment.current)
            versions = session.scalars(select(Revision.version)
                                       .where(Revision.segment_id == segment.id)).all()
            assert sorted(versions) == list(range(2, segment.version + 1))
        imports = session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "import"))
        assert imports == len(counts)  # no audit entry for an import that did not land


@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_killed_import_leaves_no_half_article(url_and_bench: tuple[str, Workbench],
                                              delay: float) -> None:
    url, bench = url_and_bench
    bench.imports.import_articles(SYSTEM_ACTOR, _docs("kept")[:1])
    _kill_after_start(import_worker, (url,), delay)
    _check_consistent(bench)
    titles = [a.title for a in bench.reading.summaries(SYSTEM_ACTOR)]
    assert titles[0] == "kept 0"
    assert len(titles) in (1, 1 + ARTICLES)  # all of the killed import, or none of it
    # what the killed import staged is deleted once stale, by the next import
    discard_stale_stages(bench.store, older_than=timedelta(0))
    with bench.store.read() as session:
        assert not session.scalar(select(func.count()).select_from(Article)
                                  .where(Article.status == STAGED_STATUS))
        assert session.scalar(select(func.count()).select_from(Segment)) == SEGMENTS * len(
            titles)
    # the database is usable at once: a new import and a save go through
    more = bench.imports.import_articles(SYSTEM_ACTOR, _docs("after")[:1]).articles[0].id
    row = bench.reading.article(SYSTEM_ACTOR, more).rows[0]
    bench.editing.save_segment(SYSTEM_ACTOR, row.id, "After the crash.", row.version)
    _check_consistent(bench)


@pytest.mark.parametrize("delay", [0.0, 0.2])
def test_killed_save_leaves_no_orphan_revision(url_and_bench: tuple[str, Workbench],
                                               delay: float) -> None:
    url, bench = url_and_bench
    article_id = bench.imports.import_articles(SYSTEM_ACTOR, _docs("edited")[:1]).articles[0].id
    segment_ids = [r.id for r in bench.reading.article(SYSTEM_ACTOR, article_id).rows[:3]]
    _kill_after_start(save_worker, (url, segment_ids), delay)
    _check_consistent(bench)
    detail = bench.reading.segment(SYSTEM_ACTOR, segment_ids[0])
    bench.editing.save_segment(SYSTEM_ACTOR, segment_ids[0], "After the crash.", detail.row.version)
    _check_consistent(bench)
