"""Import parsing speed and memory: our readers vs a plain ``pandas.read_csv`` of the same bytes.

Parsing only (no store): the WMT 2023 zh->en MQM file (25,060 rows, read from its tar.gz by
the ``mqm-tsv`` reader, from the unpacked bytes by pandas) and a generated 100,000-row CSV.
Our readers build the whole document model (articles, segments, candidates, flags with
spans) and validate every row; pandas only splits cells, so the ratio is the price of that.

    .venv/bin/python -m bench.parse [--wmt PATH] [--rows 100000]

Prints best-of-3 wall seconds, peak traced memory (tracemalloc, a separate run) and ratios.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tarfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pandas as pd  # noqa: E402

from review.formats.base import ReadOptions  # noqa: E402
from review.formats.mqm_tsv import FORMAT as MQM  # noqa: E402
from review.formats.table import CSV_FORMAT  # noqa: E402


def _shared_data() -> Path:
    env = os.environ.get("REVIEW_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def _measure(fn: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """(best wall seconds, peak traced MiB)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak


def _unpacked(data: bytes) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        member = next(m for m in archive if m.isfile() and m.name.endswith(".tsv"))
        return archive.extractfile(member).read()  # type: ignore[union-attr]


def big_csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "source", "mt", "system:B"])
    for i in range(rows):
        writer.writerow([i, f"欧盟峰会为难民政策争论 {i}", f"EU summit debates refugee policy {i}",
                         f"candidate, with \"quotes\" {i}"])
    return out.getvalue().encode("utf-8")


def _report(name: str, ours: tuple[float, float], theirs: tuple[float, float]) -> None:
    print(f"{name}")
    print(f"  ours:   {ours[0]:7.3f} s  peak {ours[1]:7.1f} MiB")
    print(f"  pandas: {theirs[0]:7.3f} s  peak {theirs[1]:7.1f} MiB")
    print(f"  ratio:  {ours[0] / theirs[0]:7.2f}x time, {ours[1] / theirs[1]:5.2f}x memory")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wmt", type=Path,
                        default=_shared_data() / "wmt23-zhen-sxs-mqm.tsv.tar.gz")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    if args.wmt.is_file():
        packed = args.wmt.read_bytes()
        tsv = _unpacked(packed) if packed[:2] == b"\x1f\x8b" else packed

        def ours_mqm() -> object:
            return list(MQM.read(io.BytesIO(packed), ReadOptions()))

        def pandas_mqm() -> object:
            raw = _unpacked(packed) if packed[:2] == b"\x1f\x8b" else packed
            return pd.read_csv(io.BytesIO(raw), sep="\t", quoting=csv.QUOTE_NONE, dtype=str,
                               keep_default_na=False)

        rows = len(pandas_mqm())
        _report(f"MQM TSV {args.wmt.name}: {rows} rows, {len(tsv) / 2**20:.1f} MiB unpacked",
                _measure(ours_mqm), _measure(pandas_mqm))
    else:
        print(f"skipped MQM TSV: {args.wmt} not found (set REVIEW_SHARED_DATA)")

    data = big_csv(args.rows)

    def ours_csv() -> object:
        return list(CSV_FORMAT.read(io.BytesIO(data), ReadOptions(title="bench")))

    def pandas_csv() -> object:
        return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)

    _report(f"CSV: {args.rows} rows, {len(data) / 2**20:.1f} MiB", _measure(ours_csv),
            _measure(pandas_csv))


if __name__ == "__main__":
    main()
