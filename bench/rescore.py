"""Rescoring an article: the first run, an unchanged rescore and one edited segment.

An article of generated MT segments whose corrections differ from the MT (so every metric
has work to do) is scored three times through the services: once from nothing, once with
nothing changed, once after one segment was edited. Budgets: an unchanged rescore costs
at most 1 s, a one-segment change at most 2% of the first run. Wall-clock seconds.

    .venv/bin/python -m bench.rescore [--segments 20000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.scoring import make_pairs
from review.accounts.permissions import SYSTEM_ACTOR
from review.db.store import Store
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench


def build(bench: Workbench, segments: int) -> int:
    hyps, refs = make_pairs(segments)
    doc = DocArticle(title="Rescore benchmark", source_lang="zh", target_lang="en",
                     segments=[DocSegment(mt=h, corrected=r) for h, r in zip(hyps, refs)])
    return bench.imports.import_articles(SYSTEM_ACTOR, [doc]).articles[0].id


def timed(action) -> float:  # noqa: ANN001
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.db'}")
        store.migrate()
        bench = Workbench(store)
        article_id = build(bench, args.segments)
        first = timed(lambda: bench.scoring.score_article(SYSTEM_ACTOR, article_id))
        unchanged = timed(lambda: bench.scoring.score_article(SYSTEM_ACTOR, article_id))
        rows = [r for r in bench.reading.article(SYSTEM_ACTOR, article_id).rows]
        row = rows[len(rows) // 2]
        bench.editing.save_segment(SYSTEM_ACTOR, row.id, row.current + " Edited.", row.version)
        one_change = timed(lambda: bench.scoring.score_article(SYSTEM_ACTOR, article_id))
        store.dispose()
    print(f"segments            {args.segments:>10,}")
    print(f"first score         {first:>10.2f} s")
    print(f"unchanged rescore   {unchanged:>10.2f} s   ratio {unchanged / first:.4f}"
          f"   budget <= 1 s: {'ok' if unchanged <= 1 else 'OVER'}")
    print(f"one segment changed {one_change:>10.2f} s   ratio {one_change / first:.4f}"
          f"   budget <= 0.02: {'ok' if one_change / first <= 0.02 else 'OVER'}")


if __name__ == "__main__":
    main()
