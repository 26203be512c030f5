"""Jobs run in this process on the embedded queue (SQLite) and, when
REVIEW_TEST_BROKER_URL is set, on PostgreSQL with that broker (Redis in CI)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from review.accounts.permissions import SYSTEM_ACTOR as ADMIN
from review.core.errors import NotFound
from review.db.models import Candidate, Segment
from review.formats.base import DocArticle, DocSegment
from review.jobs.broker import JobsUnavailable, broker_for
from review.services import Workbench
from review.worker.loop import attach
from tests.conftest import fresh_postgres_store, migrated_sqlite_store
from tests.jobs_support import (
    BrokenTranslator,
    GatedTranslator,
    install,
    test_broker_url,
    use_queue,
)


def _doc(title: str, n: int = 4) -> DocArticle:
    return DocArticle(title=title, source_lang="zh", target_lang="en", segments=[
        DocSegment(mt=f"Sentence {i} of {title}.", source=f"第{i}句。") for i in range(n)])


@pytest.fixture(params=["embedded", "broker"])
def jobs_bench(request: pytest.FixtureRequest, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> Workbench:
    """A Workbench whose jobs this process runs: SQLite with the embedded queue, or
    PostgreSQL with the test broker."""
    monkeypatch.setenv("REVIEW_JOB_STALE_S", "2")
    if request.param == "embedded":
        use_queue(monkeypatch, None)
        store = migrated_sqlite_store(tmp_path / "jobs.db")
    else:
        use_queue(monkeypatch, test_broker_url())
        store = fresh_postgres_store()
    attach(store)
    yield Workbench(store)
    broker_for(store.url).huey.flush()
    store.dispose()


def _run(bench: Workbench) -> int:
    return broker_for(bench.store.url).run_pending()


def _candidates(bench: Workbench, article_ids: list[int]) -> int:
    with bench.store.read() as session:
        return session.scalar(select(func.count()).select_from(Candidate).join(Segment)
                              .where(Segment.article_id.in_(article_ids)))


def _articles(bench: Workbench, n: int) -> list[int]:
    report = bench.imports.import_articles(ADMIN, [_doc(f"article {i}") for i in range(n)])
    return [a.id for a in report.articles]


def test_retranslation_job_batches_articles_and_stores_them(jobs_bench: Workbench) -> None:
    ids = _articles(jobs_bench, 2)
    job = jobs_bench.jobs.start_retranslation_job(ADMIN, ids, mode="source", model="echo")
    assert job.state == "queued"
    assert [j.id for j in jobs_bench.jobs.jobs(ADMIN)] == [job.id]
    assert _run(jobs_bench) == 1
    done = jobs_bench.jobs.job(ADMIN, job.id)
    assert (done.state, done.error, done.done, done.total) == ("done", "", 8, 8)
    assert done.result["segments"] == 8
    assert [a["article_id"] for a in done.result["articles"]] == ids
    assert _candidates(jobs_bench, ids) == 8


def test_scoring_and_checks_jobs(jobs_bench: Workbench) -> None:
    ids = _articles(jobs_bench, 2)
    scoring = jobs_bench.jobs.start_scoring_job(ADMIN, ids)
    checks = jobs_bench.jobs.start_checks_job(ADMIN, ids)
    assert _run(jobs_bench) == 2
    scored = jobs_bench.jobs.job(ADMIN, scoring.id)
    assert scored.state == "done", scored.error
    assert set(scored.result["corpus"]) == {str(i) for i in ids}
    assert jobs_bench.jobs.job(ADMIN, checks.id).state == "done"
    assert jobs_bench.jobs.job(ADMIN, checks.id).result["articles"] == 2


def test_cancelling_a_queued_job_runs_nothing(jobs_bench: Workbench) -> None:
    ids = _articles(jobs_bench, 1)
    job = jobs_bench.jobs.start_retranslation_job(ADMIN, ids, mode="source", model="echo")
    assert "before it started" in jobs_bench.jobs.cancel_job(ADMIN, job.id)
    _run(jobs_bench)
    assert jobs_bench.jobs.job(ADMIN, job.id).state == "cancelled"
    assert _candidates(jobs_bench, ids) == 0


def test_cancelling_a_running_job_stores_nothing(jobs_bench: Workbench) -> None:
    ids = _articles(jobs_bench, 2)
    gated = GatedTranslator()
    install(gated)
    job = jobs_bench.jobs.start_retranslation_job(ADMIN, ids, mode="source", model="gated")
    runner = threading.Thread(target=_run, args=(jobs_bench,))
    runner.start()
    try:
        assert gated.started.wait(30)
        assert "next step" in jobs_bench.jobs.cancel_job(ADMIN, job.id)
        time.sleep(1.5)  # the job's heartbeat picks the cancel up
    finally:
        gated.release.set()
        runner.join(30)
    ended = jobs_bench.jobs.job(ADMIN, job.id)
    assert ended.state == "cancelled"
    assert _candidates(jobs_bench, ids) == 0


def test_a_failing_model_fails_the_job_in_one_line_and_stores_nothing(
        jobs_bench: Workbench) -> None:
    ids = _articles(jobs_bench, 2)
    install(BrokenTranslator("broken"))
    job = jobs_bench.jobs.start_retranslation_job(ADMIN, ids, mode="source", model="broken")
    _run(jobs_bench)
    failed = jobs_bench.jobs.job(ADMIN, job.id)
    assert failed.state == "failed"
    assert failed.error == "model broken is not available offline; fetch it first"
    assert _candidates(jobs_bench, ids) == 0


def test_a_job_for_a_deleted_article_ends_with_a_clear_error(jobs_bench: Workbench) -> None:
    kept, deleted = _articles(jobs_bench, 2)
    job = jobs_bench.jobs.start_retranslation_job(ADMIN, [kept, deleted], mode="source",
                                             model="echo")
    jobs_bench.library.delete_article(ADMIN, deleted)
    _run(jobs_bench)
    failed = jobs_bench.jobs.job(ADMIN, job.id)
    assert failed.state == "failed"
    assert failed.error.startswith(f"no article with id {deleted}")
    assert _candidates(jobs_bench, [kept]) == 0
    with pytest.raises(NotFound):
        jobs_bench.jobs.start_retranslation_job(ADMIN, [deleted], model="echo")


def test_cancelling_a_finished_job_is_a_no_op_with_a_message(jobs_bench: Workbench) -> None:
    ids = _articles(jobs_bench, 1)
    job = jobs_bench.jobs.start_retranslation_job(ADMIN, ids, mode="source", model="echo")
    _run(jobs_bench)
    assert jobs_bench.jobs.cancel_job(ADMIN, job.id) == \
        f"job {job.id} already ended (done); nothing to cancel"
    assert jobs_bench.jobs.job(ADMIN, job.id).state == "done"


def test_a_failed_job_can_be_retried(jobs_bench: Workbench) -> None:
    ids = _articles(jobs_bench, 1)
    install(BrokenTranslator("flaky"))
    job = jobs_bench.jobs.start_retranslation_job(ADMIN, ids, mode="source", model="flaky")
    _run(jobs_bench)
    install(GatedTranslator("flaky"))
    from review.worker import translators

    translators._LOADED["flaky"].release.set()
    again = jobs_bench.jobs.retry_job(ADMIN, job.id)
    _run(jobs_bench)
    assert jobs_bench.jobs.job(ADMIN, again.id).state == "done"
    assert _candidates(jobs_bench, ids) == 4


def test_an_unreachable_broker_is_one_line_within_seconds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    use_queue(monkeypatch, f"redis://127.0.0.1:{port}/0")
    store = migrated_sqlite_store(tmp_path / "nobroker.db")
    bench = Workbench(store)
    ids = _articles(bench, 1)
    started = time.monotonic()
    reason = bench.jobs.jobs_unavailable(ADMIN)
    with pytest.raises(JobsUnavailable) as err:
        bench.jobs.start_retranslation_job(ADMIN, ids, model="echo")
    assert time.monotonic() - started < 6
    assert reason == str(err.value)
    assert reason.startswith(f"jobs are unavailable: the job queue at redis://127.0.0.1:{port}/0 "
                             "cannot be reached")
    assert "\n" not in reason
    assert bench.jobs.jobs(ADMIN) == []
    store.dispose()


def test_an_import_job_stores_the_file_or_nothing(jobs_bench: Workbench) -> None:
    good = jobs_bench.jobs.start_import_job(ADMIN, b"A title\n\nOne sentence. Another one.\n",
                                       "a.txt", "text")
    bad = jobs_bench.jobs.start_import_job(ADMIN, b'{"mt": "x"}\n{not json\n', "b.jsonl", "jsonl")
    _run(jobs_bench)
    imported = jobs_bench.jobs.job(ADMIN, good.id)
    assert imported.state == "done", imported.error
    assert len(imported.result["articles"]) == 1
    failed = jobs_bench.jobs.job(ADMIN, bad.id)
    assert failed.state == "failed"
    assert failed.error and "\n" not in failed.error
    assert [a.id for a in jobs_bench.reading.summaries(ADMIN)] == imported.result["articles"]


def test_one_retranslation_job_batches_all_its_articles_into_one_model_call(
        jobs_bench: Workbench) -> None:
    from review.retranslate import EchoTranslator

    counting = EchoTranslator("counting")
    install(counting)
    ids = _articles(jobs_bench, 3)
    jobs_bench.jobs.start_retranslation_job(ADMIN, ids, mode="source", model="counting")
    _run(jobs_bench)
    assert counting.calls == 1  # 12 segments of 3 articles in one batch, then cache hits
    assert _candidates(jobs_bench, ids) == 12


def test_a_job_whose_workers_keep_dying_fails_with_a_line_saying_so(
        jobs_bench: Workbench) -> None:
    from sqlalchemy import update

    from review.db.models import Job, utcnow
    from review.jobs import records

    ids = _articles(jobs_bench, 1)
    job = jobs_bench.jobs.start_retranslation_job(ADMIN, ids, mode="source", model="echo")
    for attempt in range(1, records.MAX_ATTEMPTS + 1):
        assert records.claim(jobs_bench.store, job.id, f"dead-{attempt}") is not None
        with jobs_bench.store.write() as session:  # its heartbeat stopped long ago
            session.execute(update(Job).where(Job.id == job.id).values(
                heartbeat_at=utcnow() - timedelta(minutes=5)))
        again = records.requeue_stale(jobs_bench.store)
        assert again == ([job.id] if attempt < records.MAX_ATTEMPTS else [])
    ended = jobs_bench.jobs.job(ADMIN, job.id)
    assert (ended.state, ended.attempts) == ("failed", records.MAX_ATTEMPTS)
    assert ended.error == "its worker stopped 3 times during this job; see the workers' logs"
    assert _candidates(jobs_bench, ids) == 0
