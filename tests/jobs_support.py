"""Helpers for the job tests: a broker per test, translators that wait or fail on cue, and
a worker subprocess that uses them."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from review.core.errors import ModelUnavailable
from review.retranslate import EchoTranslator
from review.worker import translators

BROKER_ENV = "REVIEW_TEST_BROKER_URL"
REPO = Path(__file__).resolve().parents[1]


def test_broker_url() -> str:
    url = os.environ.get(BROKER_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {BROKER_ENV} is not set: the broker runs are required")
        pytest.skip(f"broker runs need {BROKER_ENV} (e.g. redis://127.0.0.1:6379/15)")
    return url


test_broker_url.__test__ = False  # a helper, not a test


def use_queue(monkeypatch: pytest.MonkeyPatch, broker_url: str | None) -> str:
    """Point the job services at a fresh queue (a unique name, so tests never share one)."""
    name = f"test-{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("REVIEW_QUEUE_NAME", name)
    if broker_url:
        monkeypatch.setenv("REVIEW_BROKER_URL", broker_url)
    else:
        monkeypatch.delenv("REVIEW_BROKER_URL", raising=False)
    return name


class GatedTranslator(EchoTranslator):
    """Echo that signals when it starts and waits for the test's go-ahead."""

    def __init__(self, name: str = "gated") -> None:
        super().__init__(name)
        self.started = threading.Event()
        self.release = threading.Event()

    def translate(self, texts: list[str], src_lang: str, tgt_lang: str) -> list[str]:
        self.started.set()
        assert self.release.wait(30), "the test never released the translator"
        return super().translate(texts, src_lang, tgt_lang)


class BrokenTranslator(EchoTranslator):
    def translate(self, texts: list[str], src_lang: str, tgt_lang: str) -> list[str]:
        raise ModelUnavailable(f"model {self.name} is not available offline; fetch it first")


class SleepyTranslator(EchoTranslator):
    """Echo that sleeps ``REVIEW_TEST_SLEEP_S`` per call and leaves a marker file."""

    def translate(self, texts: list[str], src_lang: str, tgt_lang: str) -> list[str]:
        marker = os.environ.get("REVIEW_TEST_MARKER")
        if marker:
            Path(marker).write_text(str(os.getpid()))
        time.sleep(float(os.environ.get("REVIEW_TEST_SLEEP_S", "0")))
        return super().translate(texts, src_lang, tgt_lang)


def install(translator: EchoTranslator) -> None:
    translators._LOADED[translator.name] = translator


def start_worker(db_url: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """A worker process whose model "sleepy" is a SleepyTranslator."""
    code = ("from tests.jobs_support import SleepyTranslator, install; "
            "install(SleepyTranslator('sleepy')); "
            "from review.cli.main import main; "
            f"raise SystemExit(main(['worker', '--db', {db_url!r}]))")
    full = {**os.environ, "PYTHONPATH": str(REPO), **env}
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=full,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def wait_for(condition, timeout: float = 60, every: float = 0.2):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {condition}")
