"""The worst input the import still accepts stays under 1 GiB, from import to save.

The import streams in batches, so what it holds grows with the rows of one batch, not of
the file: the projection stops the import's growth there.

Worst for memory and time is text at every limit at once: segments at the longest allowed
length whose correction reverses the MT's word order (TER's shift search), doubled words
everywhere (the doubled-word check) and Chinese sources, as many as the import's character
budget allows. Running that whole file would take minutes, so the test runs the same rows
at two small sizes in fresh processes, reads their peak resident memory from the kernel
after the import and after scoring and a save, and projects the import's growth per
segment to the largest allowed file. Scoring works in chunks of ``STATS_CHUNK`` pairs, so
its extra memory is projected from one chunk.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from review.core.limits import MAX_IMPORT_CHARS, MAX_IMPORT_SEGMENTS, MAX_SEGMENT_CHARS
from tests.conftest import REPO_DIR

pytestmark = pytest.mark.system

ONE_GIB_KB = 1024 * 1024
TEXTS_PER_ROW = 4
CHILD = """
import csv, io, json, resource, sys, time
from review.core.limits import MAX_SEGMENT_CHARS, MAX_SEGMENT_WORDS
from review.accounts.permissions import SYSTEM_ACTOR
from review.services import Workbench
from review.db.store import Store

url, rows = sys.argv[1], int(sys.argv[2])
store = Store(url)
store.migrate()
bench = Workbench(store)
words = [f"w{i % 997:03d}" for i in range(MAX_SEGMENT_WORDS)]
mt = " ".join(words)[:MAX_SEGMENT_CHARS]
corrected = " ".join(reversed(words))[:MAX_SEGMENT_CHARS]
doubled = " ".join(w for w in words[: MAX_SEGMENT_WORDS // 2] for _ in (0, 1))
chinese = ("中文测试的句子" * MAX_SEGMENT_CHARS)[:MAX_SEGMENT_CHARS]
out = io.StringIO()
writer = csv.writer(out)
writer.writerow(["source", "mt", "corrected", "system:other"])
for i in range(rows):
    writer.writerow([chinese, mt, corrected, doubled] if i % 2 else
                    [chinese, doubled, mt, corrected])
data = out.getvalue().encode()
del out
started = time.time()
report = bench.imports.import_file(SYSTEM_ACTOR, data, "worst.csv", "csv")
def peak_kb():
    # VmHWM starts afresh with this program; ru_maxrss can carry the forking test
    # process's peak from before exec
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
after_import = peak_kb()
article_id = report.articles[0].id
bench.scoring.score_article(SYSTEM_ACTOR, article_id)
row = bench.reading.article(SYSTEM_ACTOR, article_id).rows[0]
bench.editing.save_segment(SYSTEM_ACTOR, row.id, " ".join(reversed(doubled.split())), row.version)
print(json.dumps({"rows": rows, "import_kb": after_import,
                  "peak_kb": peak_kb(),
                  "seconds": time.time() - started, "suggested": report.suggested_flags}))
"""


def _run(tmp_path: Path, rows: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR)}
    done = subprocess.run([sys.executable, "-c", CHILD, f"sqlite:///{tmp_path / f'{rows}.db'}",
                           str(rows)], capture_output=True, text=True, timeout=300, env=env,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_worst_allowed_input_peaks_under_one_gib(tmp_path: Path) -> None:
    """A 10,000-word line took 1.75 GB to score; 5 MB took 23 GB."""
    from review.services.scoring import STATS_CHUNK

    few, more = 2, 6
    small, large = _run(tmp_path, few), _run(tmp_path, more)
    assert large["peak_kb"] <= ONE_GIB_KB, large
    worst_rows = min(MAX_IMPORT_SEGMENTS,
                     MAX_IMPORT_CHARS // (TEXTS_PER_ROW * MAX_SEGMENT_CHARS))
    from review.services.staging import BATCH_CHARS

    # The import streams: it holds at most one batch of rows (BATCH_CHARS of text) before
    # writing them, so its growth per row stops at a batch, whatever the file's size.
    rows_per_batch = -(-BATCH_CHARS // (TEXTS_PER_ROW * MAX_SEGMENT_CHARS))
    held_rows = min(worst_rows, rows_per_batch)
    per_row_kb = max(0.0, (large["import_kb"] - small["import_kb"]) / (more - few))
    scoring_per_row_kb = max(0.0, (large["peak_kb"] - large["import_kb"]) / more)
    projected = (large["import_kb"] + per_row_kb * max(0, held_rows - more)
                 + scoring_per_row_kb * STATS_CHUNK)
    print(f"worst allowed input: {worst_rows} rows at the length limit; peak "
          f"{large['peak_kb'] / 1024:.0f} MiB measured for {more} rows, "
          f"{projected / 1024:.0f} MiB projected for the whole file")
    assert projected <= ONE_GIB_KB, (small, large, projected)
