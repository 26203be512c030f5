"""AppTest: the Library's Retranslate button starts a job the app's own job thread runs,
and the Jobs page shows it finished (from the database, as after a reload)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.store import open_store
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench
from tests.jobs_support import use_queue

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench(empty_app_db: str, monkeypatch: pytest.MonkeyPatch) -> Workbench:
    use_queue(monkeypatch, None)
    bench = Workbench(open_store(empty_app_db))
    doc = DocArticle(title="Chess", source_lang="zh", target_lang="en", segments=[
        DocSegment(mt="Playing a game of chess together.", source="一起下棋。"),
        DocSegment(mt="The ratios are about 3/5 and 1/3.", source="比例约为3/5和1/3。")])
    bench.imports.import_articles(SYSTEM_ACTOR, [doc])
    return bench


def test_retranslate_button_starts_a_job_that_the_jobs_page_shows_done(
        bench: Workbench) -> None:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    at.switch_page("review/ui/pages/library.py").run()
    assert not at.exception, at.exception
    at.radio(key="retranslate_mode").set_value("source").run()
    at.text_input(key="retranslate_model_source").input("echo").run()
    at.button(key="retranslate_run").click().run()
    assert not at.exception, at.exception
    assert any("Retranslation job" in s.value for s in at.success), [s.value for s in at.success]
    deadline = time.monotonic() + 60
    while bench.jobs.jobs(SYSTEM_ACTOR)[0].state in ("queued", "running"):
        assert time.monotonic() < deadline, "the app's job thread never ran the job"
        time.sleep(0.2)
    job = bench.jobs.jobs(SYSTEM_ACTOR)[0]
    assert (job.kind, job.state, job.error) == ("retranslate", "done", "")
    fresh = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    fresh.switch_page("review/ui/pages/jobs.py").run()
    assert not fresh.exception, fresh.exception
    assert "2 segments retranslated by echo" in [s.value for s in fresh.success]


def test_without_a_queue_the_library_says_so_and_retranslates_in_the_page(
        bench: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("REVIEW_BROKER_URL", f"redis://127.0.0.1:{port}/0")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    at.switch_page("review/ui/pages/library.py").run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("jobs are unavailable: the job queue at redis://127.0.0.1:") for w
               in warnings), warnings
    at.radio(key="retranslate_mode").set_value("source").run()
    at.text_input(key="retranslate_model_source").input("echo").run()
    at.button(key="retranslate_run").click().run()
    assert not at.exception, at.exception
    assert any("2 segments retranslated by echo" in s.value for s in at.success), \
        [s.value for s in at.success]


def test_the_jobs_page_starts_scoring_and_retries_a_cancelled_job(bench: Workbench) -> None:
    """Scoring could be started only from the command line, and a failed or cancelled job
    could not be run again from the page."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    at.switch_page("review/ui/pages/jobs.py").run()
    assert not at.exception, at.exception
    at.button(key="jobs_score").click().run()
    assert not at.exception, at.exception
    assert any("Scoring job" in s.value for s in at.success), [s.value for s in at.success]
    deadline = time.monotonic() + 60
    while bench.jobs.jobs(SYSTEM_ACTOR)[0].state in ("queued", "running"):
        assert time.monotonic() < deadline, "the app's job thread never ran the job"
        time.sleep(0.2)
    scored = bench.jobs.jobs(SYSTEM_ACTOR)[0]
    assert (scored.kind, scored.state) == ("score", "done")
    job = bench.jobs.start_checks_job(SYSTEM_ACTOR)
    bench.jobs.cancel_job(SYSTEM_ACTOR, job.id)
    while bench.jobs.job(SYSTEM_ACTOR, job.id).state in ("queued", "running"):
        assert time.monotonic() < deadline + 60
        time.sleep(0.2)
    at.switch_page("review/ui/pages/jobs.py").run()
    retry = f"jobs_retry_{job.id}"
    assert bench.jobs.job(SYSTEM_ACTOR, job.id).state == "cancelled"
    at.button(key=retry).click().run()
    assert not at.exception, at.exception
    again = bench.jobs.jobs(SYSTEM_ACTOR)[0]
    assert again.id > job.id and again.kind == "checks"
