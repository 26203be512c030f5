"""Fetching models: from a mirror on 127.0.0.1 (HF_ENDPOINT) with progress, and a clear
line within seconds when the hub cannot be reached."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from review.core.errors import ModelUnavailable
from review.jobs import hub
from tests.hub_mirror import serve_mirror
from tests.tiny_marian import build_tiny_marian

REPO = Path(__file__).resolve().parents[2]
NAME = "tiny-org/tiny-marian"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pull(tmp_path: Path, endpoint: str, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_ENDPOINT": endpoint,
           "HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "0", "TRANSFORMERS_OFFLINE": "0"}
    return subprocess.run([sys.executable, "-m", "review", "models", "pull", NAME, *extra,
                           "--db", f"sqlite:///{tmp_path / 'm.db'}"],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=300)


@pytest.mark.system
def test_pull_from_a_mirror_fills_the_cache_and_the_model_loads_offline(tmp_path: Path) -> None:
    folder = build_tiny_marian(tmp_path / "built", seed=0)
    server = serve_mirror(folder, NAME)
    try:
        endpoint = f"http://127.0.0.1:{server.server_port}"
        done = _pull(tmp_path, endpoint, "--json")
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        expected = sum(p.stat().st_size for p in folder.iterdir() if p.is_file()
                       and not p.name.endswith(hub.SKIPPED_SUFFIXES))
        assert (result["name"], result["bytes"]) == (NAME, expected)
        assert any("/resolve/" in r for r in server.requests)
        again = _pull(tmp_path, endpoint)  # the second pull finds everything cached
        assert again.returncode == 0, again.stderr
        assert f"{NAME}: {expected / 1e6:.1f} MB in" in again.stdout
    finally:
        server.shutdown()
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HOME": str(tmp_path / "hf"),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    code = ("from review.services.retranslation import translator_for; "
            f"t = translator_for({NAME!r}); print(t.translate(['数字经济'], 'zh', 'en'))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, env=env, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip().startswith("[")


@pytest.mark.system
def test_progress_reports_bytes_and_speed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = build_tiny_marian(tmp_path / "built", seed=0)
    server = serve_mirror(folder, NAME)
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    seen: list[tuple[int, int, str]] = []
    try:
        result = _in_subprocess_free_pull(tmp_path, seen)
    finally:
        server.shutdown()
    assert seen[-1][0] == seen[-1][1] == result["bytes"]
    assert "MB at" in seen[-1][2] and "MB/s" in seen[-1][2]


def _in_subprocess_free_pull(tmp_path: Path, seen: list) -> dict:
    """``hub.pull`` in this process with a cache of its own (passed explicitly, since
    huggingface_hub reads HF_HOME once at import)."""
    import huggingface_hub.constants as constants

    cache = str(tmp_path / "hf" / "hub")
    previous = (constants.HF_HUB_CACHE, constants.HF_HUB_OFFLINE)
    constants.HF_HUB_CACHE, constants.HF_HUB_OFFLINE = cache, False
    try:
        return hub.pull(NAME, lambda d, t, m="": seen.append((d, t, m)))
    finally:
        constants.HF_HUB_CACHE, constants.HF_HUB_OFFLINE = previous


@pytest.mark.system
def test_an_unreachable_hub_fails_within_seconds_with_one_line(tmp_path: Path) -> None:
    port = _closed_port()
    started = time.monotonic()
    done = _pull(tmp_path, f"http://127.0.0.1:{port}")
    assert done.returncode == 2
    assert time.monotonic() - started < 30  # mostly interpreter start-up on a busy machine
    lines = done.stderr.strip().splitlines()
    assert lines == [f"error: the model hub at http://127.0.0.1:{port} cannot be reached "
                     "(Connection refused): connect this machine, set HF_ENDPOINT to a mirror, "
                     "or give a local model folder"]


def test_reachability_check_takes_seconds_not_half_a_minute(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    started = time.monotonic()
    with pytest.raises(ModelUnavailable, match="cannot be reached"):
        hub.check_reachable(f"http://127.0.0.1:{_closed_port()}")
    assert time.monotonic() - started < hub.CONNECT_TIMEOUT_S + 1


def test_offline_mode_says_how_to_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailable, match="HF_HUB_OFFLINE is set"):
        hub.pull(NAME)


def test_a_retranslation_job_with_an_unreachable_hub_fails_in_seconds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from review.accounts.permissions import SYSTEM_ACTOR
    from review.db.store import Store
    from review.formats.base import DocArticle, DocSegment
    from review.jobs.broker import broker_for
    from review.services import Workbench
    from review.worker.loop import attach
    from tests.jobs_support import use_queue

    use_queue(monkeypatch, None)
    port = _closed_port()
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    store = Store(f"sqlite:///{tmp_path / 'j.db'}")
    store.migrate()
    attach(store)
    bench = Workbench(store)
    doc = DocArticle(title="t", source_lang="zh", target_lang="en",
                     segments=[DocSegment(mt="One.", source="一。")])
    article_id = bench.imports.import_articles(SYSTEM_ACTOR, [doc]).articles[0].id
    job = bench.jobs.start_retranslation_job(SYSTEM_ACTOR, [article_id], model="nobody/no-model")
    started = time.monotonic()
    broker_for(store.url).run_pending()
    assert time.monotonic() - started < 5
    failed = bench.jobs.job(SYSTEM_ACTOR, job.id)
    assert failed.state == "failed"
    assert failed.error.startswith(f"the model hub at http://127.0.0.1:{port} cannot be reached")
    store.dispose()
