"""A generated article of any length, each segment with a source and one retranslation: the
long-article case of the Review page's benchmark (a reviewer's 2,000-segment article, and
more).

    .venv/bin/python -m bench.long_article --segments 5000 --db sqlite:///long.db
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from review.accounts.permissions import SYSTEM_ACTOR  # noqa: E402
from review.formats.base import DocArticle, DocSegment  # noqa: E402
from review.services import Workbench  # noqa: E402

WORDS = ("the delta region economy digital growth industry council report said will "
         "account for nearly percent of total output in next five years local officials "
         "expect investment companies research laboratory data network platform "
         "cooperation development conference city province government").split()
SOURCE = "长三角数字经济发展报告指出未来五年地区产业增长投资合作平台研究实验室网络"


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def long_article(segments: int, seed: int = 0, title: str = "") -> DocArticle:
    """``segments`` body segments of 18-30 words, a Chinese source, one retranslation each
    that differs from the MT in a few words (so suspect spans and diffs have work)."""
    rng = random.Random(seed)
    rows = []
    for i in range(segments):
        mt = sentence(rng, rng.randint(18, 30))
        words = mt.split()
        for _ in range(3):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        source = "".join(rng.choice(SOURCE) for _ in range(rng.randint(20, 40))) + "。"
        rows.append(DocSegment(mt=mt, source=source, paragraph=i // 5,
                               candidates={"retranslation-model": " ".join(words)}))
    return DocArticle(title=title or f"Generated article of {segments} segments",
                      source_lang="zh", target_lang="en", mt_system="mt", segments=rows)


def load(workbench: Workbench, segments: int, seed: int = 0) -> int:
    """Import the generated article; returns its id."""
    return workbench.imports.import_articles(SYSTEM_ACTOR, [long_article(segments,
                                                                         seed)]).articles[0].id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=5000)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    from review.db.store import open_store

    bench = Workbench(open_store(args.db))
    try:
        print(load(bench, args.segments))
    finally:
        bench.store.dispose()


if __name__ == "__main__":
    main()
