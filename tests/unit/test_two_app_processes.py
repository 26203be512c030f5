"""A team's set-up end to end: two app processes and two workers on one PostgreSQL database
and one Redis broker.

App A imports articles and starts retranslation jobs; the two workers run them; app B,
another process, polls and sees them finished with their candidates. Meanwhile both apps
save different segments of the same article many times, and once the same segment with
the version both read: one of those two saves is refused as a conflict, never lost.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import select

from review.db.models import Job, Revision, Segment
from review.db.store import Store
from tests.conftest import fresh_postgres_store
from tests.jobs_support import REPO, start_worker, test_broker_url, use_queue, wait_for

pytestmark = pytest.mark.system

SLEEP_S = "3"
"""Each job's translation waits this long, so the saves happen while the jobs run."""
MIN_SAVES = 20
"""Saves per app at least; each app goes on saving until the jobs have ended."""
SHARED = 8
"""Segments of the article both apps edit."""


class AppProcess:
    """One app server stand-in (``tests/app_process.py``) in its own OS process."""

    def __init__(self, name: str, role: str, env: dict[str, str], log: Path) -> None:
        self.name = name
        with log.open("ab") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.app_process", name, role], cwd=REPO,
                env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err,
                text=True, start_new_session=True)
        self.log = log
        ready = self.answer()
        assert ready == {"ready": True, "embedded_jobs": False}, ready  # jobs go to workers

    def send(self, do: str, **args: object) -> None:
        stdin: IO[str] = self.proc.stdin
        stdin.write(json.dumps({"do": do, **args}) + "\n")
        stdin.flush()

    def answer(self) -> dict:
        line = self.proc.stdout.readline()
        assert line, f"app {self.name} ended: {self.log.read_text()}"
        reply = json.loads(line)
        assert "error" not in reply, (self.name, reply["error"])
        return reply

    def ask(self, do: str, **args: object) -> dict:
        self.send(do, **args)
        return self.answer()

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send("quit")
                self.proc.wait(30)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(30)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Store, dict[str, str]]:
    """A fresh PostgreSQL database, a fresh queue on the test broker, and the environment
    every process of the team gets (the same database, broker and queue)."""
    broker = test_broker_url()
    queue = use_queue(monkeypatch, broker)
    store = fresh_postgres_store()
    env = {**os.environ, "PYTHONPATH": str(REPO), "REVIEW_DATABASE_URL": store.url,
           "REVIEW_BROKER_URL": broker, "REVIEW_QUEUE_NAME": queue, "REVIEW_SEED": "0"}
    yield store, env
    store.dispose()


def test_two_apps_and_two_workers_share_jobs_and_saves(
        team: tuple[Store, dict[str, str]], tmp_path: Path) -> None:
    store, env = team
    log = tmp_path / "processes.log"
    workers = [start_worker(store.url, {**env, "REVIEW_TEST_SLEEP_S": SLEEP_S}, log)
               for _ in range(2)]
    apps: list[AppProcess] = []
    try:
        apps = [AppProcess("lena", "lead", env, log), AppProcess("omar", "lead", env, log)]
        app_a, app_b = apps
        wait_for(lambda: log.read_text().count("worker ready") == 2, timeout=120)

        shared = {"title": "Shared", "segments": [
            [f"Sentence {i}.", f"第{i}句。"] for i in range(SHARED)]}
        others = [{"title": f"Other {n}", "segments": [
            [f"Other {n}.{i}.", f"其他{n}.{i}。"] for i in range(3)]} for n in range(3)]
        imported = app_a.ask("import", articles=[shared, *others])["articles"]
        article_ids = [int(a) for a in imported]
        shared_segments = imported[str(article_ids[0])]
        job_ids = app_a.ask("start_jobs", article_ids=article_ids, model="sleepy")["jobs"]

        # the same segment, both apps holding the version they read: one save only lands
        contested = shared_segments[0]
        read = [app.ask("read", segment_id=contested) for app in apps]
        assert read[0]["version"] == read[1]["version"] == 1
        for app in apps:
            app.send("save", segment_id=contested, text=f"{app.name}'s fix",
                     version=read[0]["version"])
        competing = [app.answer() for app in apps]
        assert sorted(c["outcome"] for c in competing) == ["conflict", "landed"], competing
        winner = next(a for a, c in zip(apps, competing, strict=True)
                      if c["outcome"] == "landed")
        refused = next(c for c in competing if c["outcome"] == "conflict")
        assert (refused["theirs_version"], refused["theirs_text"]) == (2, f"{winner.name}'s fix")

        # meanwhile each app saves its own segments of the article again and again
        own = {app_a: shared_segments[1::2], app_b: shared_segments[2::2]}
        for app in apps:
            app.send("edit_while_jobs_run", segment_ids=own[app], job_ids=job_ids,
                     min_saves=MIN_SAVES, tag=app.name)
        edits = {app: app.answer() for app in apps}

        seen = app_b.ask("wait_jobs", job_ids=job_ids, article_ids=article_ids)
    finally:
        for app in apps:
            app.stop()
        for proc in workers:
            _stop(proc)

    # app B sees every job done, with a retranslation on every segment of every article
    assert seen["states"] == ["done"] * len(job_ids), (seen, log.read_text())
    for article_id in article_ids:
        rows = seen["retranslations"][str(article_id)]
        assert rows and all(r and r.startswith("[en] ") for r in rows), rows

    # both workers took jobs (host:pid of each)
    with store.read() as session:
        ran_by = {w.rsplit(":", 1)[0] for w in session.scalars(
            select(Job.worker).where(Job.id.in_(job_ids)))}
    assert len(ran_by) == 2, (ran_by, log.read_text())

    # the saves overlapped the jobs, and every one of them landed
    for app in apps:
        saves = edits[app]["saves"]
        assert edits[app]["saw_running"] and edits[app]["jobs_finished"]
        assert len(saves) >= MIN_SAVES
        assert [s for s in saves if s["outcome"] != "landed"] == []
        assert all(s["version"] == s["read_version"] + 1 for s in saves)

    # each segment's history holds exactly the saves that landed, in order, nothing lost
    expected: dict[int, list[list]] = {contested: [[2, f"{winner.name}'s fix"]]}
    for app in apps:
        for s in edits[app]["saves"]:
            expected.setdefault(s["segment_id"], []).append([s["version"], s["text"]])
    assert sorted(expected) == sorted(shared_segments)
    for segment_id, landed in expected.items():
        landed.sort()
        version, text, revisions = _stored(store, segment_id)
        assert revisions == landed
        assert [v for v, _ in landed] == list(range(2, len(landed) + 2))
        assert [version, text] == landed[-1]


def _stored(store: Store, segment_id: int) -> tuple[int, str, list[list]]:
    """A segment's version, text and revisions, read over a connection of the test's own."""
    with store.read() as session:
        seg = session.get(Segment, segment_id)
        revisions = sorted([r.version, r.text] for r in session.scalars(
            select(Revision).where(Revision.segment_id == segment_id)))
        return seg.version, seg.current, revisions
