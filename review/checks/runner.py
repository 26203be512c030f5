"""Runs the QA check registry over stored segments: the bridge between store and checks.

Checks see the text under review (the corrected text, which starts as the MT) with the
source and the other translations of the segment, plus article-wide norms.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Protocol

from review.checks import (
    ArticleStats,
    CheckContext,
    Suggestion,
    article_stats,
    neighbour_suggestions,
    residue_suggestion,
    run_checks,
)
from review.core.caching import LRUCache
from review.core.vocab import CONTENT_KINDS, RESIDUE_KINDS
from review.db.models import Article


class SegmentText(Protocol):
    """What the checks read of a stored segment (an ORM object or a plain row)."""

    id: int
    position: int
    paragraph: int
    kind: str
    source: str
    mt: str
    current: str
    meta: dict


def _contexts(article: Article, segments: Iterable[SegmentText],
              candidates: dict[int, dict[str, str]]) -> list[tuple[int, CheckContext]]:
    out = []
    for seg in segments:
        others = {system: text for system, text in candidates.get(seg.id, {}).items()
                  if system != article.mt_system}
        out.append((seg.id, CheckContext(mt=seg.current, source=seg.source, candidates=others,
                                         kind=seg.kind, source_lang=article.source_lang,
                                         target_lang=article.target_lang)))
    return out


_STATS: LRUCache[ArticleStats] = LRUCache(limit=64)
"""Article-wide norms per (article id, version of its segments and candidates), kept per
process so one edit does not reread the whole article; another process's import or
retranslation changes the version, so this one never serves stale norms."""


def stats_for(article: Article, version: Hashable,
              load_all: Callable[[], tuple[list[SegmentText], dict[int, dict[str, str]]]],
              stored: Callable[[], ArticleStats | None] | None = None,
              keep: Callable[[ArticleStats], None] | None = None) -> ArticleStats:
    """Article norms (length ratios, term renderings), computed once per article version.

    ``stored`` reads norms kept by an earlier process (None when it has none for this
    version), so a fresh process does not reread the article; ``keep`` stores what was
    computed for the next one."""
    key = (article.id, version)
    cached = _STATS.get(key)
    if cached is None and stored is not None:
        cached = stored()
    if cached is None:
        segments, candidates = load_all()
        cached = article_stats([ctx for _, ctx in _contexts(article, segments, candidates)])
        if keep is not None:
            keep(cached)
    _STATS.put(key, cached)
    return cached


def forget(article_id: int) -> None:
    _STATS.drop(lambda key: key[0] == article_id)


def suggest(article: Article, segments: list[SegmentText], candidates: dict[int, dict[str, str]],
            stats: ArticleStats,
            neighbours: dict[int, tuple[SegmentText | None, SegmentText | None]]
            ) -> list[tuple[int, Suggestion]]:
    """Suggestions for ``segments`` (with their candidates) under the article's norms.

    ``neighbours`` maps a segment id to the (previous, next) segments of its paragraph, for
    the checks that read across a sentence boundary.
    """
    found: list[tuple[int, Suggestion]] = []
    for seg, (seg_id, ctx) in zip(segments, _contexts(article, segments, candidates)):
        before, after = neighbours.get(seg_id, (None, None))
        if before is not None:  # glued to the previous sentence ("Conference.Photo")
            _, theirs = neighbour_suggestions(before.current, seg.current, _sep(seg))
            found.extend((seg_id, s) for s in theirs)
        if seg.kind in RESIDUE_KINDS:
            if seg.current.strip():
                found.append((seg_id, residue_suggestion(seg.current, seg.kind)))
            continue
        ctx.article = stats
        found.extend((seg_id, s) for s in run_checks(ctx))
        if after is not None and after.kind in CONTENT_KINDS:
            mine, _ = neighbour_suggestions(seg.current, after.current, _sep(after))
            found.extend((seg_id, s) for s in mine)
    return found


def _sep(seg: SegmentText) -> str:
    return (seg.meta or {}).get("sep", " ")
