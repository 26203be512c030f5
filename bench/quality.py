"""Quality control at scale: attention checks for a 2,000-segment assignment, and the
second-pass (R1/R2) agreement on the WMT 2023 sample next to the dashboard's inter-rater
agreement.

1. Attention checks. A 2,000-segment article (the WMT sample's translations, repeated) is
   assigned to one reviewer; measured (wall seconds, best of 3): ``set_attention_checks`` at
   5% and at 50%, the reviewer's mixed queue (``review_queue``) with the 50% checks in it,
   and, as the yardstick, ``article`` (the Review page's read of the same article).
2. Agreement. ``samples/wmt23/wmt23-zhen-sample.tsv`` is imported; for the pair of raters
   who share the most units, one is treated as R1 and the other as R2 (and the other way
   round). R2's decisions are inferred from the spans (``decisions_from_two_raters``), and
   the kept / changed / rejected / added counts are printed next to the dashboard's Kendall
   tau and span F1 for the same pair, and Krippendorff's alpha over all raters.

    .venv/bin/python -m bench.quality
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also as `python bench/...`

import pandas as pd  # noqa: E402
from sqlalchemy import select  # noqa: E402

from review.accounts.permissions import SYSTEM_ACTOR, Actor  # noqa: E402
from review.core import mqm  # noqa: E402
from review.db.models import Flag  # noqa: E402
from review.db.store import Store  # noqa: E402
from review.formats.base import DocArticle, DocSegment  # noqa: E402
from review.quality.agreement import agreement_table, decisions_from_two_raters  # noqa: E402
from review.services import Workbench  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "wmt23" / "wmt23-zhen-sample.tsv"
SEGMENTS = 2000


def wall_best(fn, repeat: int = 3) -> tuple[float, object]:  # noqa: ANN001
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def attention_bench(bench: Workbench) -> None:
    rows = mqm.read_tsv(SAMPLE)
    texts = rows["target"].str.replace(r"</?v>", "", regex=True).drop_duplicates().tolist()
    doc = DocArticle(title="2,000 segments", source_lang="zh", target_lang="en", segments=[
        DocSegment(mt=texts[i % len(texts)]) for i in range(SEGMENTS)])
    article_id = bench.imports.import_articles(SYSTEM_ACTOR, [doc]).articles[0].id
    user = bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", None)
    rita = Actor("rita", "reviewer", user.id)
    assignment = bench.assignments.assign(SYSTEM_ACTOR, article_id, "rita")
    read, _ = wall_best(lambda: bench.reading.article(rita, article_id))
    print(f"| read the article (`article`), yardstick | {read * 1000:.0f} ms | 1.0x |")
    for rate in (0.05, 0.5):
        took, made = wall_best(lambda r=rate: bench.attention.set_attention_checks(
            SYSTEM_ACTOR, assignment.id, r, "silent"))
        print(f"| `set_attention_checks` at {rate:.0%} ({len(made)} checks) | "
              f"{took * 1000:.0f} ms | {took / read:.2f}x |")
    took, queue = wall_best(lambda: bench.attention.review_queue(rita, assignment.id))
    print(f"| `review_queue` ({len(queue)} items) | {took * 1000:.0f} ms | {took / read:.2f}x |")


def agreement_bench(bench: Workbench) -> None:
    bench.imports.import_file(SYSTEM_ACTOR, SAMPLE.read_bytes(), SAMPLE.name, "mqm-tsv")
    with bench.store.read() as session:
        flags = pd.DataFrame(session.execute(select(
            Flag.segment_id, Flag.candidate_id, Flag.author, Flag.category, Flag.severity,
            Flag.start, Flag.end, Flag.span_in).where(Flag.origin == "import")).all(),
            columns=["segment_id", "candidate_id", "rater", "category", "severity", "start",
                     "end", "span_in"])
    flags["unit"] = list(zip(flags["segment_id"], flags["candidate_id"]))
    rated = flags.groupby("rater")["unit"].agg(set)
    pairs = sorted(((len(rated[a] & rated[b]), a, b) for a in rated.index
                    for b in rated.index if a < b), reverse=True)
    shared, r1, r2 = pairs[0]
    errors = flags[[mqm.is_error(c, s) for c, s in zip(flags["category"], flags["severity"])]]
    dashboard = bench.reports.dashboard_data(SYSTEM_ACTOR, with_metrics=False).reviewers.agreement
    pair = dashboard.pairs[(dashboard.pairs["rater_a"] == min(r1, r2))
                           & (dashboard.pairs["rater_b"] == max(r1, r2))].iloc[0]
    print(f"\nraters {r1} and {r2}: {shared} units rated by both")
    print(f"dashboard: Kendall tau {pair['tau']:.3f}, span F1 {pair['span_f1']:.3f} "
          f"(this pair); Krippendorff's alpha {dashboard.alpha:.3f} over "
          f"{dashboard.raters} raters")
    print("\n| R1 → R2 | R1 errors | kept | changed | rejected | added | kept share | "
          "flag F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    units = rated[r1] & rated[r2]
    took = []
    for first, second in ((r1, r2), (r2, r1)):
        started = time.perf_counter()
        decisions = decisions_from_two_raters(errors[errors["rater"] == first],
                                              errors[errors["rater"] == second], units)
        took.append(time.perf_counter() - started)
        total = agreement_table(decisions, "category").set_index("group").loc["all"]
        matched = total["kept"] + total["changed"]
        f1 = 2 * matched / (2 * matched + total["rejected"] + total["added"])
        print(f"| {first} → {second} | {int(total['flags'])} | {int(total['kept'])} | "
              f"{int(total['changed'])} | {int(total['rejected'])} | {int(total['added'])} | "
              f"{total['kept_share']:.2f} | {f1:.3f} |")
    print(f"\n(inferring the decisions took {max(took) * 1000:.0f} ms)")
    print(agreement_table(decisions, "category").to_string(index=False))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'quality.db'}")
        store.migrate()
        bench = Workbench(store)
        print("| step (2,000-segment assignment) | wall, best of 3 | vs reading the article |")
        print("|---|---:|---:|")
        attention_bench(bench)
        agreement_bench(bench)
        store.dispose()


if __name__ == "__main__":
    main()
