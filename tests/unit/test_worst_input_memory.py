"""The worst input the import still accepts stays under 1 GiB from import to save.

Worst for memory and time is the longest segment allowed, with texts that make every
metric and check work hardest: a correction that reverses the MT's word order (TER's
shift search), doubled words everywhere (the doubled-word check) and Chinese text scored
per character. A few such segments go through import, scoring and a reviewer's save in a
fresh process, whose peak resident memory is read from the kernel.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_DIR

ONE_GIB_KB = 1024 * 1024
CHILD = """
import csv, io, json, resource, sys, time
from review.limits import MAX_SEGMENT_CHARS, MAX_SEGMENT_WORDS
from review.permissions import SYSTEM_ACTOR
from review.services import Workbench
from review.store import Store

url = sys.argv[1]
store = Store(url)
store.migrate()
bench = Workbench(store)
words = [f"w{i % 997:03d}" for i in range(MAX_SEGMENT_WORDS)]     # 1,000 words
mt = " ".join(words)[:MAX_SEGMENT_CHARS]
corrected = " ".join(reversed(words))[:MAX_SEGMENT_CHARS]
doubled = " ".join(w for w in words[: MAX_SEGMENT_WORDS // 2] for _ in (0, 1))
chinese = ("中文测试的句子" * MAX_SEGMENT_CHARS)[:MAX_SEGMENT_CHARS]
out = io.StringIO()
writer = csv.writer(out)
writer.writerow(["source", "mt", "corrected", "system:other"])
for i in range(4):
    writer.writerow([chinese, mt, corrected, doubled])
    writer.writerow([chinese, doubled, mt, corrected])
started = time.time()
report = bench.import_file(SYSTEM_ACTOR, out.getvalue().encode(), "worst.csv", "csv")
article_id = report.articles[0].id
bench.score_article(SYSTEM_ACTOR, article_id)
bench.score_article(SYSTEM_ACTOR, article_id, "mt_vs_candidate:other")
row = bench.article(SYSTEM_ACTOR, article_id).rows[0]
bench.save_segment(SYSTEM_ACTOR, row.id, " ".join(reversed(doubled.split())), row.version)
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"peak_kb": peak_kb, "seconds": time.time() - started,
                  "suggested": report.suggested_flags}))
"""


def test_the_worst_allowed_input_peaks_under_one_gib(tmp_path: Path) -> None:
    """Issue 13, item 1: a 10,000-word line took 1.75 GB to score; 5 MB took 23 GB."""
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR)}
    done = subprocess.run([sys.executable, "-c", CHILD, f"sqlite:///{tmp_path / 'w.db'}"],
                          capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["peak_kb"] <= ONE_GIB_KB, result
    assert result["seconds"] < 120, result
