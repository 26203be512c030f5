"""Job throughput with 1 and 2 worker processes on the tiny model.

Retranslation jobs (one article each, Chinese-like source text, mode source) are queued on
the embedded SQLite queue, then ``python -m review worker`` processes take them. The clock
runs from the first job queued to the last one done, with the workers started and their
model loaded (``--preload``), so it measures job throughput, not start-up.

    .venv/bin/python -m bench.jobs.jobs [--jobs 8] [--segments 100] [--threads 1] [--write FILE]

Budget (docs/architecture.md): a second worker helps, within what the machine's cores allow.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import select  # noqa: E402

from review.accounts.permissions import SYSTEM_ACTOR  # noqa: E402
from review.db.store import Store  # noqa: E402
from review.formats.base import DocArticle, DocSegment  # noqa: E402
from review.services import Workbench  # noqa: E402
from tests.tiny_marian import _chinese_line, build_tiny_marian  # noqa: E402


def _articles(jobs: int, segments: int, seed: int) -> list[DocArticle]:
    import random

    rng = random.Random(seed)
    return [DocArticle(title=f"bench {n}", source_lang="zh", target_lang="en", segments=[
        DocSegment(mt=f"Sentence {n}.{i}.", source=_chinese_line(rng)) for i in range(segments)])
        for n in range(jobs)]


def run(workers: int, jobs: int, segments: int, threads: int, model: Path, tmp: Path) -> dict:
    url = f"sqlite:///{tmp / f'bench-{workers}.db'}"
    store = Store(url)
    store.migrate()
    bench = Workbench(store)
    ids = [a.id for a in bench.imports.import_articles(SYSTEM_ACTOR, _articles(jobs, segments,
                                                                       seed=workers)).articles]
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PYTHONPATH": str(REPO), "REVIEW_QUEUE_NAME": queue,
           "HF_HUB_OFFLINE": "1", "REVIEW_NUM_BEAMS": "1", "REVIEW_MAX_NEW_TOKENS": "32",
           "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
    os.environ["REVIEW_QUEUE_NAME"] = queue
    os.environ.pop("REVIEW_BROKER_URL", None)
    procs = []
    logs = []
    for n in range(workers):
        log = tmp / f"worker-{workers}-{n}.log"
        logs.append(log)
        with log.open("wb") as out:
            procs.append(subprocess.Popen([sys.executable, "-m", "review", "worker", "--db", url,
                                           "--preload", str(model)],
                                          cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                          start_new_session=True))
    try:
        while not all("worker ready" in p.read_text() for p in logs):
            time.sleep(0.2)
        started = time.perf_counter()
        for article_id in ids:
            bench.jobs.start_retranslation_job(SYSTEM_ACTOR, [article_id], mode="source",
                                          model=str(model))
        while True:
            states = [j.state for j in bench.jobs.jobs(SYSTEM_ACTOR)]
            if all(s in ("done", "failed", "cancelled") for s in states):
                break
            time.sleep(0.1)
        wall = time.perf_counter() - started
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(60)
    jobs_seen = bench.jobs.jobs(SYSTEM_ACTOR)
    with store.read() as session:
        from review.db.models import Job

        per_worker = sorted(Counter(w.rsplit(":", 1)[-1] for w in session.scalars(
            select(Job.worker))).values(), reverse=True)
    failed = [j.error for j in jobs_seen if j.state != "done"]
    if failed:
        raise SystemExit(f"jobs failed: {failed[:3]}")
    store.dispose()
    return {"workers": workers, "wall": wall, "jobs": jobs, "per_worker": per_worker,
            "segments": jobs * segments, "jobs_per_s": jobs / wall,
            "segments_per_s": jobs * segments / wall}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--segments", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1, help="torch threads per worker")
    parser.add_argument("--write", help="also write the markdown table to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        model = build_tiny_marian(tmp / "tiny-marian", seed=0)
        results = [run(w, args.jobs, args.segments, args.threads, model, tmp) for w in (1, 2)]
    one, two = results
    lines = [
        f"{args.jobs} retranslation jobs of {args.segments} segments each (tiny Marian, "
        f"num_beams=1, max_new_tokens=32, {args.threads} torch thread(s) per worker), "
        f"embedded SQLite queue, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "| workers | wall | jobs/s | segments/s | jobs per worker | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r['workers']} | {r['wall']:.2f} s | {r['jobs_per_s']:.2f} | "
                     f"{r['segments_per_s']:.0f} | {'/'.join(map(str, r['per_worker']))} | "
                     f"{one['wall'] / r['wall']:.2f}x |")
    text = "\n".join(lines)
    print(text)
    print(f"\nsecond worker: {one['wall'] / two['wall']:.2f}x the throughput of one")
    if args.write:
        Path(args.write).write_text(text + "\n")


if __name__ == "__main__":
    main()
