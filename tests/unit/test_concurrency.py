"""No lost edits: several processes save the same segments at once.

Each worker is a separate process (spawn, like separate app servers), so SQLite's file
locking and PostgreSQL's row locking are exercised for real. Every save must either land
or be refused with a ConflictError; the history must hold exactly the landed saves.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections import defaultdict

import pytest
from sqlalchemy import select

from review.accounts.permissions import SYSTEM_ACTOR, Actor
from review.core.errors import ConflictError
from review.db.models import AuditEvent, Revision, Segment
from review.db.store import Store
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench

pytestmark = pytest.mark.system

WORKERS = 3
SAVES_PER_WORKER = 60  # 180 saves per database in all
STALE_EVERY = 5
"""Every fifth save deliberately reuses a version from before the worker's previous save,
so refusals are certain, not just likely."""
TIMEOUT_S = 240


def edit_worker(url: str, worker: int, segment_ids: list[int], saves: int,
                barrier, results) -> None:  # noqa: ANN001 - multiprocessing objects
    """Save ``saves`` edits round-robin over the segments; report every outcome."""
    store = Store(url)
    bench = Workbench(store)
    actor = Actor(f"worker{worker}", "lead")
    outcomes = []
    previous: dict[int, int] = {}

    def version_of(segment_id: int) -> int:
        with store.read() as session:
            return session.scalar(select(Segment.version).where(Segment.id == segment_id))

    barrier.wait(timeout=120)
    for k in range(saves):
        segment_id = segment_ids[(k + worker) % len(segment_ids)]
        version = version_of(segment_id)
        if k % STALE_EVERY == STALE_EVERY - 1 and segment_id in previous:
            version = previous[segment_id]
        text = f"worker {worker} save {k}"
        try:
            detail = bench.editing.save_segment(actor, segment_id, text, version)
            outcomes.append((segment_id, text, version, "landed", detail.row.version))
            previous[segment_id] = version
        except ConflictError as exc:
            outcomes.append((segment_id, text, version, "conflict", exc.theirs_version))
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails
            outcomes.append((segment_id, text, version, "error",
                             f"{type(exc).__name__}: {exc}"))
    store.dispose()
    results.put((worker, outcomes))


def test_concurrent_saves_land_or_conflict(url_and_bench: tuple[str, Workbench]) -> None:
    url, bench = url_and_bench
    doc = DocArticle(title="Race", source_lang="zh", target_lang="en", segments=[
        DocSegment(mt="Playing a game of chess together."),
        DocSegment(mt="In 2022 it will account for 1% of the total."),
        DocSegment(mt="Share so more people can see it", kind="boilerplate")])
    article_id = bench.imports.import_articles(SYSTEM_ACTOR, [doc]).articles[0].id
    segment_ids = [r.id for r in bench.reading.article(SYSTEM_ACTOR, article_id).rows[:2]]

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    procs = [ctx.Process(target=edit_worker, daemon=True,
                         args=(url, w, segment_ids, SAVES_PER_WORKER, barrier, results))
             for w in range(WORKERS)]
    for p in procs:
        p.start()
    outcomes = []
    try:
        for _ in procs:
            outcomes.extend(results.get(timeout=TIMEOUT_S)[1])
    except queue.Empty:
        pytest.fail("a worker did not finish in time")
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()

    assert len(outcomes) == WORKERS * SAVES_PER_WORKER
    errors = [o for o in outcomes if o[3] == "error"]
    assert errors == []  # no "database is locked", no deadlock, nothing but the two outcomes
    landed = [o for o in outcomes if o[3] == "landed"]
    refused = [o for o in outcomes if o[3] == "conflict"]
    assert landed and refused
    assert all(theirs > expected for _, _, expected, _, theirs in refused)

    by_segment: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for segment_id, text, expected, _, new_version in landed:
        assert new_version == expected + 1
        by_segment[segment_id].append((new_version, text))
    with bench.store.read() as session:
        for segment_id in segment_ids:
            saves = sorted(by_segment[segment_id])
            # versions 2, 3, ... with no gap and no duplicate: nothing overwritten unseen
            assert [v for v, _ in saves] == list(range(2, len(saves) + 2))
            history = sorted(tuple(r) for r in session.execute(
                select(Revision.version, Revision.text)
                .where(Revision.segment_id == segment_id)))
            assert history == saves
            segment = session.get(Segment, segment_id)
            assert (segment.version, segment.current) == saves[-1]
        edits = session.scalars(select(AuditEvent.segment_id).where(
            AuditEvent.action == "edit", AuditEvent.article_id == article_id)).all()
        assert len(edits) == len(landed)
