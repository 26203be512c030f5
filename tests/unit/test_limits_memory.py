"""The largest accepted many-articles and metadata inputs stay under 1 GiB, in a fresh
process whose peak resident set (VmHWM) is read from the kernel after the import.

Running the largest inputs whole would take many minutes (every article is checked), so
each test imports the same kind of file at two sizes and projects the growth per article
(or per line) to the largest file the limits accept. Before the fix, 9,000 one-row
articles of 12,000 astral-plane characters peaked at 1,071 MiB and 150 JSONL lines with a
4 MB unknown key at 1,421 MiB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from review.core import limits
from review.formats.base import MAX_TABLE_IMPORT_BYTES
from review.formats.streams import MAX_RECORD_CHARS
from tests.conftest import REPO_DIR

ONE_GIB_KB = 1024 * 1024
ASTRAL_CHARS = limits.MAX_SEGMENT_CHARS
META_CHARS = MAX_RECORD_CHARS - 1_000

CHILD = f"""
import csv, json, sys, time
from pathlib import Path
from review.accounts.permissions import SYSTEM_ACTOR
from review.services import Workbench
from review.db.store import Store

url, kind, count, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
store = Store(url)
store.migrate()
bench = Workbench(store)
with open(path, "w", encoding="utf-8", newline="") as out:
    if kind == "articles":  # one article per row, source and MT of astral-plane CJK
        writer = csv.writer(out)
        writer.writerow(["article", "source", "mt"])
        for i in range(count):
            text = "".join(chr(0x20000 + (i * 7 + k) % 40000) for k in range({ASTRAL_CHARS}))
            writer.writerow([f"a{{i}}", text, text[::-1]])
    else:  # one line per segment, each with an unknown key as long as a line may be
        for i in range(count):
            out.write(json.dumps({{"id": str(i), "mt": f"Text {{i}}.",
                                   "extra": chr(0x41 + i % 26) * {META_CHARS}}}) + "\\n")
started = time.time()
report = bench.imports.import_path(SYSTEM_ACTOR, path)
with open("/proc/self/status") as status:
    peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
print(json.dumps({{"count": count, "peak_kb": peak, "seconds": time.time() - started,
                   "articles": len(report.articles), "segments": report.segments,
                   "notes": len(report.notes)}}))
"""


def _run(tmp_path: Path, kind: str, count: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR), "HF_HUB_OFFLINE": "1"}
    name = f"{kind}-{count}"
    suffix = ".csv" if kind == "articles" else ".jsonl"
    done = subprocess.run([sys.executable, "-c", CHILD, f"sqlite:///{tmp_path / name}.db",
                           kind, str(count), str(tmp_path / f"{name}{suffix}")],
                          capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    (tmp_path / f"{name}{suffix}").unlink()
    return json.loads(done.stdout.strip().splitlines()[-1])


def _projected(small: dict, large: dict, largest: int) -> float:
    per_item = max(0.0, (large["peak_kb"] - small["peak_kb"]) / (large["count"]
                                                                 - small["count"]))
    return large["peak_kb"] + per_item * max(0, largest - large["count"])


@pytest.mark.slow
def test_the_most_articles_an_import_accepts_stay_under_one_gib(tmp_path: Path) -> None:
    """Memory grew with the articles (each kept its whole source as a language sample)."""
    largest = min(limits.MAX_IMPORT_ARTICLES,
                  limits.MAX_IMPORT_CHARS // (2 * ASTRAL_CHARS))
    # both sizes past the first full write batch (staging.BATCH_CHARS), which every import
    # of this kind holds once whatever its size
    small, large = _run(tmp_path, "articles", 250), _run(tmp_path, "articles", 550)
    assert large["articles"] == 550 and large["notes"] <= 101, large
    projected = _projected(small, large, largest)
    print(f"{largest:,} articles: {large['peak_kb'] / 1024:.0f} MiB measured for 550 "
          f"({large['seconds']:.0f} s), {projected / 1024:.0f} MiB projected")
    assert large["peak_kb"] <= ONE_GIB_KB and projected <= ONE_GIB_KB, (small, large)


@pytest.mark.slow
def test_the_largest_accepted_metadata_stays_under_one_gib(tmp_path: Path) -> None:
    """150 JSONL lines with a 4 MB unknown key took the import to 1,421 MiB."""
    largest = MAX_TABLE_IMPORT_BYTES // (META_CHARS + 50)
    small, large = _run(tmp_path, "meta", 10), _run(tmp_path, "meta", 60)
    assert large["segments"] == 60, large
    projected = _projected(small, large, largest)
    print(f"{largest:,} lines of {META_CHARS:,}-character metadata: "
          f"{large['peak_kb'] / 1024:.0f} MiB measured for 60, {projected / 1024:.0f} MiB "
          "projected")
    assert large["peak_kb"] <= ONE_GIB_KB and projected <= ONE_GIB_KB, (small, large)
