"""Per-process caches are bounded and keyed by the data version they were computed from."""

from __future__ import annotations

from types import SimpleNamespace

from review.checks import runner as qa
from review.core.caching import LRUCache


def test_lru_cache_is_bounded_and_keeps_the_recently_used() -> None:
    cache: LRUCache[int] = LRUCache(limit=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert len(cache) == 2
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3


def _article(article_id: int) -> SimpleNamespace:
    return SimpleNamespace(id=article_id, mt_system="MT", source_lang="zh", target_lang="en")


def test_article_norms_are_recomputed_when_the_version_changes() -> None:
    loads = []

    def load_all():
        loads.append(1)
        return [], {}

    article = _article(10_001)
    qa.forget(article.id)
    qa.stats_for(article, ("v1",), load_all)
    qa.stats_for(article, ("v1",), load_all)
    assert len(loads) == 1
    # another process imported or retranslated: the version differs, the norms are stale
    qa.stats_for(article, ("v2",), load_all)
    assert len(loads) == 2


def test_article_norms_cache_is_bounded() -> None:
    for article_id in range(20_000, 20_000 + qa._STATS.limit + 10):
        qa.stats_for(_article(article_id), ("v",), lambda: ([], {}))
    assert len(qa._STATS) == qa._STATS.limit


def test_dashboard_word_counts_follow_merges_and_splits(bench) -> None:  # noqa: ANN001
    """Merge and split rewrite texts under the same ids; the counted words must follow."""
    from review.accounts.permissions import SYSTEM_ACTOR
    from review.formats.base import DocArticle, DocSegment

    doc = DocArticle(title="t", source_lang="zh", target_lang="en", segments=[
        DocSegment(mt="One two three.", candidates={"other": "Uno dos."}),
        DocSegment(mt="Four five six seven.", candidates={"other": "Tres cuatro cinco."})])
    article_id = bench.imports.import_articles(SYSTEM_ACTOR, [doc]).articles[0].id

    def words() -> tuple[list[int], list[int]]:
        frames = bench.reports._frames()[1]
        return (frames.segments.sort_values("position")["words"].astype(int).tolist(),
                frames.candidates.sort_values("segment_id")["words"].astype(int).tolist())

    assert words() == ([3, 4], [2, 3])
    first = bench.reading.article(SYSTEM_ACTOR, article_id).rows[0]
    bench.segments.merge_with_next(SYSTEM_ACTOR, first.id, first.version)
    assert words() == ([7], [5])
    merged = bench.reading.article(SYSTEM_ACTOR, article_id).rows[0]
    bench.segments.split_segment(SYSTEM_ACTOR, merged.id, len("One two three."), merged.version)
    assert words()[0] == [3, 4]
