"""Offline, retranslating with a hub model asks the hub once, briefly, and says so in one
line within seconds (the hub library's own retries took 32 s and ten lines of warnings)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from review.retranslate import hub_probe
from tests.conftest import REPO_DIR, WUZHEN
from tests.unit.test_models_pull import _closed_port


@pytest.mark.system  # starts processes
def test_retranslate_with_an_unreachable_hub_fails_in_one_line_within_5_s(
        tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR), "HF_ENDPOINT": "http://127.0.0.1:9",
           "HF_HOME": str(tmp_path / "hf"), "TRANSFORMERS_OFFLINE": "0"}
    env.pop("HF_HUB_OFFLINE", None)
    imported = subprocess.run([sys.executable, "-m", "review", "import", str(WUZHEN),
                               "--db", db], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=300)
    assert imported.returncode == 0, imported.stderr
    started = time.monotonic()
    listed = subprocess.run([sys.executable, "-m", "review", "list", "--db", db],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    start_up = time.monotonic() - started  # the command line's own start on this machine now
    assert listed.returncode == 0, listed.stderr
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "review", "retranslate", "1", "--model",
                           "Helsinki-NLP/opus-mt-zh-en", "--db", db], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)
    seconds = time.monotonic() - started
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "127.0.0.1:9 cannot be reached" in lines[0] and "HF_ENDPOINT" in lines[0], lines
    print(f"offline retranslate: one line after {seconds:.1f} s ({start_up:.1f} s to list)")
    # under 5 s; on a machine so loaded that starting the command line alone takes seconds,
    # the probe may add at most its own bound to that start
    assert seconds < max(5.0, start_up + hub_probe.PROBE_TIMEOUT_S + 1), f"{seconds:.1f} s"


def test_the_probe_is_bounded_and_names_the_reason() -> None:
    started = time.monotonic()
    reason = hub_probe.unreachable_reason(f"http://127.0.0.1:{_closed_port()}", timeout=1)
    assert reason and time.monotonic() - started < 2
    assert hub_probe.unreachable_reason("http://host.invalid", timeout=1)
