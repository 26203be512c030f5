"""Shared helpers of the scoring benchmarks: where the data is, how to read the WMT files."""

from __future__ import annotations

import io
import os
import re
import tarfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from review.core import mqm

REPO = Path(__file__).resolve().parents[1]


def shared_data() -> Path:
    """The shared sample data folder (``REVIEW_SHARED_DATA`` or ``../shared/data``)."""
    env = os.environ.get("REVIEW_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def read_wmt23_zhen(path: Path | None = None) -> pd.DataFrame:
    """Annotation rows of the WMT 2023 zh->en side-by-side MQM file, read from its tarball."""
    path = path or shared_data() / "wmt23-zhen-sxs-mqm.tsv.tar.gz"
    with tarfile.open(path) as tar:
        member = next(m for m in tar.getmembers() if m.isfile() and m.name.endswith(".tsv"))
        raw = tar.extractfile(member).read().decode("utf-8")
    return mqm.read_tsv(io.StringIO(raw))


_TAG = re.compile(r"</?v>")


def segments_with_scores(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (doc, seg_id, system): clean source/target text and the expert MQM score."""
    rows = rows.assign(src=rows["source"].str.replace(_TAG, "", regex=True),
                       tgt=rows["target"].str.replace(_TAG, "", regex=True))
    keys = ["system", "doc", "seg_id"]
    # span tags sometimes leave a stray space: take the most common clean text
    text = rows.groupby(keys).agg(
        source=("src", lambda s: s.mode().iloc[0]),
        target=("tgt", lambda s: s.mode().iloc[0]),
    ).reset_index()
    scores = mqm.segment_scores(rows)
    out = text.merge(scores, on=keys)
    out["seg_num"] = pd.to_numeric(out["seg_id"], errors="coerce")
    return out.sort_values(["doc", "seg_num", "system"]).reset_index(drop=True)


def best_of(fn: Callable[[], object], repeat: int = 3,
            clock: Callable[[], float] = time.process_time) -> tuple[float, object]:
    """Smallest time of ``repeat`` runs (and the last result).

    CPU time of this process by default: single-threaded work measured that way is not
    disturbed by other programs sharing the machine.
    """
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = clock()
        result = fn()
        best = min(best, clock() - t0)
    return best, result
