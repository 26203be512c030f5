"""Worker processes: `python -m review worker` runs jobs; one killed with SIGKILL mid-job
leaves the job to be run again by the next worker, with nothing half stored."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from review.accounts.permissions import SYSTEM_ACTOR as ADMIN
from review.db.models import Candidate, Segment
from review.db.store import Store
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench
from tests.conftest import fresh_postgres_store
from tests.jobs_support import REPO, start_worker, test_broker_url, use_queue, wait_for

pytestmark = pytest.mark.system


@pytest.fixture(params=["embedded", "broker"])
def setup(request: pytest.FixtureRequest, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> tuple[Workbench, dict[str, str]]:
    monkeypatch.setenv("REVIEW_JOB_STALE_S", "2")
    if request.param == "embedded":
        name = use_queue(monkeypatch, None)
        store = Store(f"sqlite:///{tmp_path / 'w.db'}")
        store.migrate()
        env = {"REVIEW_QUEUE_NAME": name}
    else:
        url = test_broker_url()
        name = use_queue(monkeypatch, url)
        store = fresh_postgres_store()
        env = {"REVIEW_QUEUE_NAME": name, "REVIEW_BROKER_URL": url}
    env["REVIEW_JOB_STALE_S"] = "2"
    yield Workbench(store), env
    store.dispose()


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)


def _candidates(bench: Workbench) -> int:
    with bench.store.read() as session:
        return session.scalar(select(func.count()).select_from(Candidate).join(Segment))


def test_a_worker_killed_mid_job_leaves_it_to_the_next_worker(
        setup: tuple[Workbench, dict[str, str]], tmp_path: Path) -> None:
    bench, env = setup
    doc = DocArticle(title="t", source_lang="zh", target_lang="en", segments=[
        DocSegment(mt=f"Sentence {i}.", source=f"第{i}句。") for i in range(5)])
    article_id = bench.imports.import_articles(ADMIN, [doc]).articles[0].id
    job = bench.jobs.start_retranslation_job(ADMIN, [article_id], mode="source", model="sleepy")
    marker = tmp_path / "translating"
    log = tmp_path / "worker.log"
    first = start_worker(bench.store.url, {**env, "REVIEW_TEST_SLEEP_S": "120",
                                           "REVIEW_TEST_MARKER": str(marker)}, log)
    try:
        wait_for(marker.exists, timeout=120)
        assert bench.jobs.job(ADMIN, job.id).state == "running"
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(30)
    finally:
        _stop(first)
    assert bench.jobs.job(ADMIN, job.id).state == "running"
    assert _candidates(bench) == 0
    second = start_worker(bench.store.url, {**env, "REVIEW_TEST_SLEEP_S": "0"}, log)
    try:
        ended = wait_for(lambda: (j := bench.jobs.job(ADMIN, job.id)).state in
                         ("done", "failed") and j, timeout=120)
    finally:
        _stop(second)
    assert (ended.state, ended.error, ended.attempts) == ("done", "", 2), log.read_text()
    assert _candidates(bench) == 5


def test_jobs_command_lists_and_cancels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = use_queue(monkeypatch, None)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = Store(url)
    store.migrate()
    bench = Workbench(store)
    doc = DocArticle(title="t", source_lang="zh", target_lang="en",
                     segments=[DocSegment(mt="One.", source="一。")])
    article_id = bench.imports.import_articles(ADMIN, [doc]).articles[0].id
    job = bench.jobs.start_retranslation_job(ADMIN, [article_id], model="echo")
    env = {**os.environ, "PYTHONPATH": str(REPO), "REVIEW_QUEUE_NAME": name}

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "review", *args, "--db", url],
                              capture_output=True, text=True, cwd=REPO, env=env, timeout=120)

    listed = cli("jobs", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [(j["id"], j["kind"], j["state"]) for j in json.loads(listed.stdout)] == \
        [(job.id, "retranslate", "queued")]
    cancelled = cli("jobs", "cancel", str(job.id))
    assert (cancelled.returncode, cancelled.stdout.strip()) == \
        (0, f"job {job.id} cancelled before it started")
    again = cli("jobs", "cancel", str(job.id))
    assert (again.returncode, again.stdout.strip()) == \
        (0, f"job {job.id} already ended (cancelled); nothing to cancel")
    missing = cli("jobs", "cancel", "999")
    assert missing.returncode == 2
    assert missing.stderr.strip() == "error: no job with id 999; `python -m review jobs` lists them"
    store.dispose()


def test_a_worker_without_its_broker_says_so_in_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(REPO),
           "REVIEW_BROKER_URL": f"redis://127.0.0.1:{port}/0"}
    done = subprocess.run([sys.executable, "-m", "review", "worker",
                           "--db", f"sqlite:///{tmp_path / 'w.db'}"],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: jobs are unavailable: the job queue at redis://127.0.0.1:{port}/0 cannot be "
        f"reached (Error 111 connecting to 127.0.0.1:{port}. Connection refused.); start it or "
        "change REVIEW_BROKER_URL"]


def test_two_workers_share_the_jobs_and_another_app_sees_them_done(
        setup: tuple[Workbench, dict[str, str]], tmp_path: Path) -> None:
    from review.db.models import Job

    bench, env = setup
    docs = [DocArticle(title=f"t{n}", source_lang="zh", target_lang="en", segments=[
        DocSegment(mt=f"Sentence {n}.{i}.", source=f"第{n}.{i}句。") for i in range(3)])
        for n in range(4)]
    ids = [a.id for a in bench.imports.import_articles(ADMIN, docs).articles]
    log = tmp_path / "workers.log"
    workers = [start_worker(bench.store.url, {**env, "REVIEW_TEST_SLEEP_S": "2"}, log)
               for _ in range(2)]
    try:  # both take jobs from the start, so neither can drain the queue alone
        wait_for(lambda: log.read_text().count("worker ready") == 2, timeout=120)
        jobs = [bench.jobs.start_retranslation_job(ADMIN, [i], mode="source", model="sleepy")
                for i in ids]
        other_app = Workbench(Store(bench.store.url))  # another process's view of the store
        wait_for(lambda: all(other_app.jobs.job(ADMIN, j.id).state == "done" for j in jobs),
                 timeout=180)
    finally:
        for proc in workers:
            _stop(proc)
    with other_app.store.read() as session:
        ran_by = {w.rsplit(":", 1)[0] for w in session.scalars(select(Job.worker))}
    assert len(ran_by) == 2, (ran_by, log.read_text())  # host:pid of both workers
    assert _candidates(bench) == 12
    other_app.store.dispose()
