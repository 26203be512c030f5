"""Imports stream: a million-unit file stays under 300 MiB, and a late bad row leaves nothing.

The big test writes a 1,000,000-unit TMX file (about 240 MiB) with the benchmark's
generator and imports it through the command line in a fresh process, whose peak resident
set is read from the kernel at the end: memory must not grow with the file. It takes 2 to 3
minutes on a shared 2-core machine and runs with every other test, because a reader that
holds the whole file again would pass every small test.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.stream_import import mt_text, source_text, write_file
from review.cli import main
from review.models import Article, Segment
from review.services.staging import discard_stale_stages
from review.store import Store
from tests.conftest import REPO_DIR

PEAK_BUDGET_KIB = 300 * 1024
MILLION = 1_000_000
PEAK_MARK = "peak-rss-kib="

# The command line's own main, in a process that reports its peak resident set at the end:
# VmHWM, which starts afresh with the new program (ru_maxrss would carry the peak of the
# test process that forked it, over 900 MiB after the browser suite).
CLI_WITH_PEAK = f"""
import resource, sys
from review.cli import main
code = main(sys.argv[1:])
try:
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("{PEAK_MARK}%d" % peak, file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.system
def test_a_million_unit_tmx_imports_under_300_mib(tmp_path: Path) -> None:
    """2 to 3 minutes on a shared 2-core machine: the size is the point."""
    path = tmp_path / "million.tmx"
    assert write_file("tmx", path, MILLION) == MILLION
    db = f"sqlite:///{tmp_path / 'million.db'}"
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", CLI_WITH_PEAK, "import", str(path), "--db", db, "--json",
         "--source-lang", "zh", "--target-lang", "en"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["segments"] == MILLION
    assert report["format"] == "tmx"
    peak_kib = int(done.stderr.rsplit(PEAK_MARK, 1)[1].split()[0])
    print(f"1,000,000-unit TMX import: peak resident set {peak_kib / 1024:.0f} MiB")
    assert peak_kib <= PEAK_BUDGET_KIB, f"peak {peak_kib / 1024:.0f} MiB"


def _counts(store: Store) -> tuple[int, int]:
    with store.read() as session:
        return (session.scalar(select(func.count()).select_from(Article)),
                session.scalar(select(func.count()).select_from(Segment)))


@pytest.mark.system
def test_a_bad_row_near_the_end_leaves_nothing(tmp_path: Path, store: Store, sqlite_url: str,
                                               capsys: pytest.CaptureFixture) -> None:
    """All or nothing: the 99,990th of 100,000 rows is refused after dozens of batches were
    already written; the error names its line and every staged segment is gone."""
    rows, bad = 100_000, 99_990
    path = tmp_path / "late.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "source", "mt", "kind"])
        for i in range(rows):
            kind = "nonsense" if i + 1 == bad else "body"
            writer.writerow([f"s{i + 1}", source_text(i), mt_text(i), kind])

    assert main(["import", str(path), "--db", sqlite_url, "--source-lang", "zh",
                 "--target-lang", "en"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("error: ") and f"line {bad + 1}" in err and "nonsense" in err, err
    assert _counts(store) == (0, 0)
    assert discard_stale_stages(store, older_than=timedelta(0)) == 0
    assert _counts(store) == (0, 0)
