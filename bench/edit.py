"""Cost of saving one edit on a 2,000-segment article vs a 20-segment one.

A save rescoring its segment, rerunning the checks on it and writing a revision must not
grow with the article. Both articles live in one fresh SQLite file; saves alternate
between them so machine noise hits both alike.

    .venv/bin/python -m bench.edit [--saves 60]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from review.accounts.permissions import SYSTEM_ACTOR  # noqa: E402
from review.db.store import Store  # noqa: E402
from review.formats.base import DocArticle, DocSegment  # noqa: E402
from review.services import Workbench  # noqa: E402

SENTENCE = ("In 2023, the digital economy of the Yangtze River Delta grew by {n}% and "
            "accounted for nearly 30% of the national total, the report said.")


def article(size: int) -> DocArticle:
    return DocArticle(title=f"{size} segments", source_lang="zh", target_lang="en",
                      segments=[DocSegment(mt=SENTENCE.format(n=i % 97), paragraph=i // 5)
                                for i in range(size)])


def time_saves(bench: Workbench, article_id: int, saves: int, offset: int) -> list[float]:
    rows = bench.reading.article(SYSTEM_ACTOR, article_id).rows
    times = []
    for i in range(saves):
        row = rows[(i * 7) % len(rows)]
        current = bench.reading.segment(SYSTEM_ACTOR, row.id).row
        start = time.perf_counter()
        bench.editing.save_segment(SYSTEM_ACTOR, row.id, f"{current.mt} (edit {i + offset})",
                           current.version, 3.0)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.db'}")
        store.migrate()
        bench = Workbench(store)
        small = bench.imports.import_articles(SYSTEM_ACTOR, [article(20)]).articles[0].id
        large = bench.imports.import_articles(SYSTEM_ACTOR, [article(2000)]).articles[0].id
        time_saves(bench, small, 3, 0)  # warm caches (metric objects, article norms)
        time_saves(bench, large, 3, 0)
        small_times, large_times = [], []
        for round_ in range(args.saves // 10):
            small_times += time_saves(bench, small, 10, 100 * round_)
            large_times += time_saves(bench, large, 10, 100 * round_)
        store.dispose()
    s, big = statistics.median(small_times), statistics.median(large_times)
    print(f"save on a 20-segment article:    median {s * 1000:7.2f} ms "
          f"({len(small_times)} saves)")
    print(f"save on a 2,000-segment article: median {big * 1000:7.2f} ms "
          f"({len(large_times)} saves)")
    print(f"ratio 2,000 / 20: {big / s:.2f}x (budget: about 1x)")


if __name__ == "__main__":
    main()
