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

    .venv/bin/python -m bench.dashboard [--data PATH] [--copies 10,100] [--db sqlite:///x.db]

``--copies`` names how many copies of the file to measure at, smallest first; the store
grows from one size to the next in the same run, and the growth of each time from the
first size to the last is printed (10x the rows taking about 10x the time is linear). The
peak resident memory of the process is measured per size, after its build. ``--db`` keeps
the built database for the next run (building 10 copies takes about a minute).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also as `python bench/...`

import pandas as pd  # noqa: E402

from bench._common import best_of, shared_data  # noqa: E402
from review import dashboard as dash  # noqa: E402
from review.accounts.permissions import SYSTEM_ACTOR  # noqa: E402
from review.core import mqm  # noqa: E402
from review.db.models import Flag  # noqa: E402
from review.db.store import open_store  # noqa: E402
from review.formats.base import ReadOptions  # noqa: E402
from review.services import Workbench  # noqa: E402
from review.services.pair_stats import PAIR_STATS  # noqa: E402


def build(bench: Workbench, data: Path, copies: int) -> int:
    """Import the file until the store holds ``copies`` copies of it (one import batch
    each); returns the imported annotation rows."""
    payload = data.read_bytes()
    while _batches(bench) < copies:  # again=True: the content gate refuses a repeat
        t0 = time.perf_counter()
        bench.imports.import_file(SYSTEM_ACTOR, payload, data.name, "mqm-tsv",
                          ReadOptions(source_lang="zh", target_lang="en"), again=True)
        print(f"  imported a copy ({time.perf_counter() - t0:.1f} s, "
              f"{_imported(bench):,} rows)", flush=True)
    return _imported(bench)


def _batches(bench: Workbench) -> int:
    from sqlalchemy import distinct, func, select

    from review.db.models import Article
    from review.services.base import listed

    with bench.store.read() as session:
        return session.scalar(select(func.count(distinct(Article.batch))).where(listed()))


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


def _reset_peak() -> bool:
    """Start the kernel's count of peak resident memory (VmHWM) again, where allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_mib() -> float:
    """Peak resident memory of this process since the last reset (or since it started)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(bench: Workbench) -> dict:
    """Every figure at the store's current size (see the module docstring)."""
    bench.reports.__dict__.pop("_frames_cache", None)
    t0 = time.perf_counter()
    bench.reports._frames()  # the first load also counts the words of every new text
    load_first_s = time.perf_counter() - t0

    def reload() -> object:
        bench.reports.__dict__.pop("_frames_cache", None)
        return bench.reports._frames()[1]

    load_s, frames = best_of(reload)
    PAIR_STATS.clear()
    t0 = time.perf_counter()
    first = bench.reports.dashboard_data(SYSTEM_ACTOR)
    first_s = time.perf_counter() - t0

    rows = dash.mqm_rows(frames)
    n_rows = len(rows)
    in_memory = rows[["system", "segment_id", "rater", "category", "severity"]].copy()
    base_s, base_table = best_of(lambda: baseline(in_memory))
    views_s, views = best_of(lambda: dash.build_dashboard(frames))
    one_system = dash.DashboardFilters(systems=(first.options.systems[0],))
    service_s, _ = best_of(lambda: bench.reports.dashboard_data(SYSTEM_ACTOR))
    filtered_s, _ = best_of(lambda: bench.reports.dashboard_data(SYSTEM_ACTOR, one_system))

    version_s, _ = best_of(lambda: bench.reports.dashboard_version(SYSTEM_ACTOR), repeat=20,
                           clock=time.perf_counter)
    one_article = int(frames.articles["id"].iloc[0])

    def article_alone() -> object:
        bench.reports.__dict__.pop("_frames_cache", None)  # the library's rows not loaded
        return bench.reports.article_mqm(SYSTEM_ACTOR, [one_article])

    article_s, _ = best_of(article_alone)

    ours = views.systems.table.set_index("system")["mqm"]
    theirs = base_table.set_index("system")["mqm"]
    assert (ours.reindex(theirs.index) - theirs).abs().max() < 1e-9, "the two disagree"
    frames_mib = sum(getattr(frames, name).memory_usage(deep=True).sum()
                     for name in ("articles", "segments", "candidates", "flags",
                                  "revisions", "decisions")) / 2**20
    return {
        "flag_rows": n_rows, "articles": len(frames.articles),
        "segments": len(frames.segments), "units": int(views.overview.mqm.segments),
        "baseline_s": base_s, "views_s": views_s, "service_s": service_s,
        "filtered_s": filtered_s, "load_s": load_s, "load_first_s": load_first_s,
        "first_s": first_s, "frames_mib": frames_mib, "version_s": version_s,
        "article_s": article_s,
    }


def report(result: dict) -> None:
    base_s = result["baseline_s"]
    print(f"\n{result['flag_rows']:,} annotation rows, {result['articles']:,} articles, "
          f"{result['segments']:,} segments, {result['units']:,} rated system-segments")
    print(f"plain pandas group-by (MQM per system):     {base_s:7.3f} s CPU")
    for key, label in (("views_s", "every dashboard view (build_dashboard):   "),
                       ("service_s", "service call, all filters open:           "),
                       ("filtered_s", "service call, one system:                 ")):
        print(f"{label}  {result[key]:7.3f} s CPU  ratio {result[key] / base_s:5.1f}x")
    print(f"one article's MQM, library not loaded     {result['article_s']:7.3f} s CPU")
    print(f"data version check (every page view)        {result['version_s'] * 1000:7.2f} ms wall")
    print(f"once per data change: load rows from store  {result['load_s']:7.3f} s CPU")
    print(f"first load at this size (counts new words)  {result['load_first_s']:7.3f} s wall")
    print(f"first call (chrF/BLEU stats, cleared)       {result['first_s']:7.3f} s wall")
    print(f"frames held (pandas, deep)                  {result['frames_mib']:7.0f} MiB")
    print(f"peak resident memory at this size           {result['peak_mib']:7.0f} MiB"
          + ("" if result["peak_reset"] else " (since the process started)"))


GROWTH = (("baseline_s", "plain pandas group-by"), ("views_s", "every dashboard view"),
          ("service_s", "service call, all filters open"),
          ("filtered_s", "service call, one system"), ("load_s", "load rows from store"),
          ("version_s", "data version check"), ("article_s", "one article's MQM"))


def growth(small: dict, large: dict) -> dict[str, float]:
    """Time at the larger size over time at the smaller, per figure; rows ratio alongside."""
    rows = large["flag_rows"] / small["flag_rows"]
    print(f"\ngrowth from {small['flag_rows']:,} to {large['flag_rows']:,} rows "
          f"({rows:.1f}x the rows; a ratio near {rows:.0f} is linear):")
    out = {}
    for key, label in GROWTH:
        out[key] = large[key] / small[key]
        print(f"  {label + ':':34s} {small[key]:7.3f} s -> {large[key]:7.3f} s  "
              f"{out[key]:5.1f}x")
    return out


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=None, help="wmt23 zh-en MQM .tsv.tar.gz")
    ap.add_argument("--copies", default="10",
                    help="copies of the file to measure at, comma-separated (e.g. 10,100)")
    ap.add_argument("--db", default=None, help="database URL to build or reuse")
    args = ap.parse_args(argv)
    data = Path(args.data) if args.data else shared_data() / "wmt23-zhen-sxs-mqm.tsv.tar.gz"
    sizes = sorted({int(c) for c in args.copies.split(",") if c.strip()})
    if not sizes or sizes[0] < 1:
        ap.error("--copies takes whole numbers of at least 1, e.g. 10,100")

    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'dashboard.db'}"
    bench = Workbench(open_store(url))
    results = []
    for copies in sizes:
        print(f"building {url} to {copies} copies ...", flush=True)
        build(bench, data, copies)
        reset = _reset_peak()
        result = measure(bench)
        result.update(copies=copies, peak_mib=_peak_mib(), peak_reset=reset)
        report(result)
        results.append(result)
    if len(results) > 1:
        results[-1]["growth"] = growth(results[0], results[-1])
    tmp.cleanup()
    return results


if __name__ == "__main__":
    main()
