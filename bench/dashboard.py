"""Dashboard speed at scale: every view over 250,000 flag rows vs a plain pandas group-by.

Data: the WMT 2023 zh->en MQM file (25,060 rows: 10 systems, 3 raters per segment) imported
into a SQLite store as many times as it takes to hold 250,000 annotation rows (10 copies, each
its own batch of 38 articles). Measured, CPU seconds, best of 3:

- baseline: a plain pandas group-by computing the MQM system table from the same rows held in
  memory (weight per row, sum per rater and segment, mean per segment, mean per system);
- views: ``dash.build_dashboard`` on the loaded rows: every view of the page (overview with a
  bootstrap interval, errors, systems with win/tie/loss and rank agreement, reviewers with
  Krippendorff's alpha, Kendall's tau and span F1 between raters, trends, worst segments);
- service: ``Workbench.dashboard_data`` as the page calls it after a filter change (rows
  already loaded for this data version; chrF/BLEU statistics of the texts already known):
  texts read from the store, corpus metrics summed, every view built;
- loading the rows from the store, which happens after each change of the data (CPU, best
  of 3), and, once per process (wall seconds), the first load (it also counts the words of
  every text) and the first call (sacrebleu computes chrF and BLEU statistics of every text
  pair; the copies share their texts, so this is the cost of one copy).

    .venv/bin/python -m bench.dashboard [--data PATH] [--rows 250000] [--db sqlite:///x.db]

``--db`` keeps the built database for the next run (building it takes about a minute).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also as `python bench/...`

import pandas as pd  # noqa: E402

from bench._common import best_of, shared_data  # noqa: E402
from review import dashboard as dash  # noqa: E402
from review import mqm  # noqa: E402
from review.formats.base import ReadOptions  # noqa: E402
from review.models import Flag  # noqa: E402
from review.permissions import SYSTEM_ACTOR  # noqa: E402
from review.services import Workbench  # noqa: E402
from review.services.pair_stats import PAIR_STATS  # noqa: E402
from review.store import open_store  # noqa: E402


def build(bench: Workbench, data: Path, rows: int) -> int:
    """Import the file until the store holds ``rows`` imported annotations; returns them."""
    payload = data.read_bytes()
    while (have := _imported(bench)) < rows:
        t0 = time.perf_counter()
        bench.import_file(SYSTEM_ACTOR, payload, data.name, "mqm-tsv",
                          ReadOptions(source_lang="zh", target_lang="en"))
        print(f"  imported a copy ({time.perf_counter() - t0:.1f} s, "
              f"{_imported(bench):,} rows)", flush=True)
    return have


def _imported(bench: Workbench) -> int:
    from sqlalchemy import func, select

    with bench.store.read() as session:
        return session.scalar(select(func.count()).select_from(Flag)
                              .where(Flag.origin == "import"))


def baseline(flags: pd.DataFrame) -> pd.DataFrame:
    """MQM per system the plain way: weight each row, then three group-bys."""
    pairs = flags[["category", "severity"]].drop_duplicates()
    weights = pairs.assign(weight=[mqm.error_weight(c, s) for c, s in
                                   zip(pairs["category"], pairs["severity"])])
    rows = flags.merge(weights, on=["category", "severity"])
    per_rater = rows.groupby(["system", "segment_id", "rater"])["weight"].sum()
    per_segment = per_rater.groupby(["system", "segment_id"]).mean()
    return per_segment.groupby("system").mean().rename("mqm").reset_index()


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None, help="wmt23 zh-en MQM .tsv.tar.gz")
    ap.add_argument("--rows", type=int, default=250_000, help="annotation rows to reach")
    ap.add_argument("--db", default=None, help="database URL to build or reuse")
    args = ap.parse_args(argv)
    data = Path(args.data) if args.data else shared_data() / "wmt23-zhen-sxs-mqm.tsv.tar.gz"

    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'dashboard.db'}"
    bench = Workbench(open_store(url))
    print(f"building {url} ...", flush=True)
    build(bench, data, args.rows)

    t0 = time.perf_counter()
    bench._frames()  # the first load also counts the words of every text, once per process
    load_first_s = time.perf_counter() - t0

    def reload() -> object:
        bench.__dict__.pop("_frames_cache", None)
        return bench._frames()[1]

    load_s, frames = best_of(reload)
    PAIR_STATS.clear()
    t0 = time.perf_counter()
    first = bench.dashboard_data(SYSTEM_ACTOR)
    first_s = time.perf_counter() - t0

    rows = dash.mqm_rows(frames)
    n_rows = len(rows)
    in_memory = rows[["system", "segment_id", "rater", "category", "severity"]].copy()
    base_s, base_table = best_of(lambda: baseline(in_memory))
    views_s, views = best_of(lambda: dash.build_dashboard(frames))
    one_system = dash.DashboardFilters(systems=(first.options.systems[0],))
    service_s, _ = best_of(lambda: bench.dashboard_data(SYSTEM_ACTOR))
    filtered_s, _ = best_of(lambda: bench.dashboard_data(SYSTEM_ACTOR, one_system))

    ours = views.systems.table.set_index("system")["mqm"]
    theirs = base_table.set_index("system")["mqm"]
    assert (ours.reindex(theirs.index) - theirs).abs().max() < 1e-9, "the two disagree"

    result = {
        "flag_rows": n_rows, "articles": len(frames.articles),
        "segments": len(frames.segments), "units": int(views.overview.mqm.segments),
        "baseline_s": base_s, "views_s": views_s, "service_s": service_s,
        "filtered_s": filtered_s, "load_s": load_s, "load_first_s": load_first_s,
        "first_s": first_s,
    }
    print(f"\n{n_rows:,} annotation rows, {result['articles']:,} articles, "
          f"{result['segments']:,} segments, {result['units']:,} rated system-segments")
    print(f"plain pandas group-by (MQM per system):     {base_s:7.3f} s CPU")
    print(f"every dashboard view (build_dashboard):     {views_s:7.3f} s CPU  "
          f"ratio {views_s / base_s:5.1f}x")
    print(f"service call, all filters open:             {service_s:7.3f} s CPU  "
          f"ratio {service_s / base_s:5.1f}x")
    print(f"service call, one system:                   {filtered_s:7.3f} s CPU  "
          f"ratio {filtered_s / base_s:5.1f}x")
    print(f"once per data change: load rows from store  {load_s:7.3f} s CPU")
    print(f"first load in a process (counts words)      {load_first_s:7.3f} s wall")
    print(f"first call in a process (chrF/BLEU stats)   {first_s:7.3f} s wall")
    tmp.cleanup()
    return result


if __name__ == "__main__":
    main()
