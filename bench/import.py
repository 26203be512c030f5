"""The whole import path into the store, and the MQM report, vs ``pandas.read_csv``.

Imports the WMT 2023 zh->en MQM file (25,060 rows: 38 documents, 10 systems, 3 raters) and
a generated 100,000-segment CSV into a fresh SQLite database through the services (parse,
validate, store, QA checks), then computes the MQM report by system. The baseline is
``pandas.read_csv`` of the same bytes in the same run.

    .venv/bin/python -m bench.import [--wmt PATH] [--rows 100000]
"""

from __future__ import annotations

import argparse
import csv
import io
import resource
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pandas as pd  # noqa: E402

from bench.parse import big_csv  # noqa: E402
from review.accounts.permissions import SYSTEM_ACTOR  # noqa: E402
from review.db.store import Store  # noqa: E402
from review.formats.base import ReadOptions  # noqa: E402
from review.services import Workbench  # noqa: E402


def fresh_bench(folder: str, name: str) -> Workbench:
    store = Store(f"sqlite:///{Path(folder) / name}")
    store.migrate()
    return Workbench(store)


def timed(fn):  # noqa: ANN001, ANN201
    """(value, wall seconds, growth of the process's peak resident memory in MiB).

    tracemalloc would slow the import several times over, so memory is the high-water mark
    of the process (``ru_maxrss``): what this step added on top of everything before it.
    """
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - start
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    return value, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wmt", type=Path,
                        default=REPO.parent / "shared" / "data" / "wmt23-zhen-sxs-mqm.tsv.tar.gz")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.wmt.is_file():
            packed = args.wmt.read_bytes()
            with tarfile.open(fileobj=io.BytesIO(packed)) as archive:
                member = next(m for m in archive if m.isfile() and m.name.endswith(".tsv"))
                raw = archive.extractfile(member).read()
            bench = fresh_bench(folder, "wmt.db")
            report, seconds, peak = timed(lambda: bench.imports.import_file(
                SYSTEM_ACTOR, packed, args.wmt.name, "mqm-tsv",
                ReadOptions(source_lang="zh", target_lang="en")))
            table, report_s, _ = timed(lambda: bench.reports.mqm_report(SYSTEM_ACTOR, by="system"))
            _, base, base_mem = timed(lambda: pd.read_csv(
                io.BytesIO(raw), sep="\t", quoting=csv.QUOTE_NONE, dtype=str,
                keep_default_na=False))
            print(f"WMT23 zh->en MQM: {len(report.articles)} articles, {report.segments} "
                  f"segments, {report.flags} flags")
            print(f"  import into the store: {seconds:6.2f} s, peak RSS +{peak:6.1f} MiB")
            print(f"  MQM report by system:  {report_s:6.2f} s ({len(table['rows'])} systems)")
            print(f"  pandas.read_csv:       {base:6.2f} s, peak RSS +{base_mem:6.1f} MiB")
            print(f"  ratio (import + report) / read_csv: {(seconds + report_s) / base:.1f}x")
        data = big_csv(args.rows)
        bench = fresh_bench(folder, "csv.db")
        _, seconds, peak = timed(lambda: bench.imports.import_file(
            SYSTEM_ACTOR, data, "big.csv", "csv", ReadOptions(title="bench", source_lang="zh",
                                                              target_lang="en")))
        _, base, base_mem = timed(lambda: pd.read_csv(io.BytesIO(data), dtype=str,
                                                      keep_default_na=False))
        print(f"CSV, {args.rows} segments:")
        print(f"  import into the store: {seconds:6.2f} s, peak RSS +{peak:6.1f} MiB")
        print(f"  pandas.read_csv:       {base:6.2f} s, peak RSS +{base_mem:6.1f} MiB")
        print(f"  ratio: {seconds / base:.1f}x")


if __name__ == "__main__":
    main()
