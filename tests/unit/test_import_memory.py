"""Imports stream: memory does not grow with the file, and a late bad row leaves nothing.

The big test writes TMX files of 60,000 and 300,000 units (15 and 74 MiB) with the
benchmark's generator and imports each through the command line in a fresh process, whose
peak resident set is read from the kernel at the end. The larger peak must stay under
300 MiB and within 32 MiB of the smaller one: an import that kept what it read would grow by
about the 59 MiB of text in between. Both sizes take the path of big imports (checks queued,
not run inline), and 300,000 units are more than SQLite's 250,000 bound parameters, so an
unbatched statement fails too. The peak was flat (about 180 MiB) from 40,000 to 300,000 units,
so a million units (the import limit) would only take longer. It runs with every other test,
because a reader that holds the whole file again would pass every small test.
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
from review.cli.main import main
from review.db.models import Article, Segment
from review.db.store import Store
from review.services.staging import discard_stale_stages
from tests.conftest import REPO_DIR

PEAK_BUDGET_KIB = 300 * 1024
GROWTH_BUDGET_KIB = 32 * 1024
SMALL, LARGE = 60_000, 300_000
PEAK_MARK = "peak-rss-kib="

# The command line's own main, in a process that reports its peak resident set at the end:
# VmHWM, which starts afresh with the new program (ru_maxrss would carry the peak of the
# test process that forked it, over 900 MiB after the browser suite).
CLI_WITH_PEAK = f"""
import resource, sys
from review.cli.main import main
code = main(sys.argv[1:])
try:
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("{PEAK_MARK}%d" % peak, file=sys.stderr)
sys.exit(code)
"""


def _import_peak_kib(tmp_path: Path, units: int) -> int:
    """Import a generated ``units``-unit TMX file through the command line; its peak (KiB)."""
    path = tmp_path / f"{units}.tmx"
    assert write_file("tmx", path, units) == units
    db = f"sqlite:///{tmp_path / f'{units}.db'}"
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", CLI_WITH_PEAK, "import", str(path), "--db", db, "--json",
         "--source-lang", "zh", "--target-lang", "en"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["segments"] == units
    assert report["format"] == "tmx"
    path.unlink()
    return int(done.stderr.rsplit(PEAK_MARK, 1)[1].split()[0])


@pytest.mark.system
def test_a_big_tmx_imports_in_flat_memory_under_300_mib(tmp_path: Path) -> None:
    """About a minute on a shared 2-core machine: the size is the point."""
    small, large = (_import_peak_kib(tmp_path, units) for units in (SMALL, LARGE))
    print(f"TMX import peaks: {SMALL:,} units {small / 1024:.0f} MiB, "
          f"{LARGE:,} units {large / 1024:.0f} MiB")
    assert large <= PEAK_BUDGET_KIB, f"peak {large / 1024:.0f} MiB"
    assert large - small <= GROWTH_BUDGET_KIB, (
        f"{LARGE - SMALL:,} more units took {(large - small) / 1024:.0f} MiB more")


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
