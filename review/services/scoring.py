"""Metric scores of stored segments, kept with their sufficient statistics.

Each stored segment score carries the metric's statistics for its pair and the digest of
the texts it came from. A rescore reads them, computes statistics only for pairs whose
texts changed, and gets every corpus score by summing statistics: an unchanged article
costs a read, one edited segment one pair. Metrics run outside any transaction and
results are written in small batches, so a reviewer's save never waits behind a scoring
run for long.
"""

from __future__ import annotations

import json
import typing
from typing import NamedTuple

import numpy as np
from sqlalchemy import Table, Text, cast, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor
from review.core.digests import pair_digest
from review.core.errors import InputError
from review.core.vocab import CONTENT_KINDS, MT_VS_CORRECTED
from review.db.models import Article, Candidate, ScoreCache, Segment, SegmentScore
from review.services import score_cache as cache
from review.services.base import Service
from review.services.views import ArticleScores, CorpusScore

WRITE_BATCH = 500
"""Segments whose scores one write transaction replaces."""
STATS_CHUNK = 64
"""Pairs whose statistics are computed together: sacrebleu keeps every reference's n-grams
of a call in memory (about 1 MB for a segment at the length limit)."""
_SCORES = typing.cast(Table, SegmentScore.__table__)  # the stubs type __table__ as FromClause


class Stored(NamedTuple):
    value: float
    digest: str
    stats: list[float] | None


def _stats(score: Stored) -> list[float]:
    """The statistics of a score that was just checked or recomputed, so has them."""
    if score.stats is None:
        raise ValueError("a score without statistics was not recomputed")
    return score.stats


def score_rows(seg_ids: list[int], pairs: list[tuple[str, str]], lang: str,
               comparison: str, names: tuple[str, ...]) -> list[dict]:
    """Rows for ``segment_scores``: value, statistics and signature per pair and metric."""
    from review import metrics

    rows: list[dict] = []
    for start in range(0, len(pairs), STATS_CHUNK):
        part = pairs[start:start + STATS_CHUNK]
        hyps = [h for h, _ in part]
        refs = [r for _, r in part]
        for name in names:
            metric = metrics.get_metric(name)
            stats = metric.stats(hyps, refs, lang)
            values, corpus = metric.score_stats(stats, lang)
            for seg_id, (hyp, ref), value, row in zip(seg_ids[start:], part, values, stats):
                rows.append(dict(segment_id=seg_id, comparison=comparison, metric=name,
                                 value=value, signature=corpus.signature,
                                 text_hash=pair_digest(hyp, ref),
                                 stats=[float(x) for x in row]))
    return rows


def rescore_segment(session: Session, seg: Segment, article: Article) -> None:
    """Score one segment's MT against its corrected text and store it with statistics."""
    from review import metrics

    if seg.kind not in CONTENT_KINDS:
        return
    rows = score_rows([seg.id], [(seg.mt, seg.current)], article.target_lang,
                      MT_VS_CORRECTED, metrics.segment_metrics())
    session.execute(delete(SegmentScore).where(
        SegmentScore.segment_id == seg.id, SegmentScore.comparison == MT_VS_CORRECTED))
    session.execute(_SCORES.insert(), rows)


class ScoringServices(Service):
    """Segment and article scores."""

    def score_article(self, actor: Actor, article_id: int,
                      comparison: str = MT_VS_CORRECTED) -> ArticleScores:
        """Segment and article scores. Only blocks of segments that changed since the last
        run are read again, and only segments whose texts changed are recomputed."""
        from review import metrics

        names = metrics.segment_metrics()
        with self.store.read() as session:
            article = self.access.require_article(session, actor, article_id)
            lang = article.target_lang
            shared = cache.shared_print(session, article_id, comparison,
                                        [metrics.get_metric(n).signature(lang) for n in names])
            prints = cache.block_prints(session, article_id)
            payload = session.scalar(select(ScoreCache.payload).where(
                ScoreCache.article_id == article_id, ScoreCache.comparison == comparison))
        kept = (payload or {}).get("blocks", {}) if (payload or {}).get("shared") == shared \
            else {}
        blocks = {b: kept[b] for b, p in prints.items() if b in kept and kept[b]["print"] == p}
        changed = [int(b) for b in prints if b not in blocks]
        for b, block in self._score_blocks(article_id, comparison, lang, names, changed):
            blocks[str(b)] = {**block, "print": prints[str(b)]}
        if changed or len(blocks) != len(kept):
            try:
                with self.store.write() as session:
                    session.execute(delete(ScoreCache).where(
                        ScoreCache.article_id == article_id,
                        ScoreCache.comparison == comparison))
                    session.add(ScoreCache(article_id=article_id, comparison=comparison,
                                           fingerprint=shared,
                                           payload={"shared": shared, "blocks": blocks}))
            except IntegrityError:
                pass  # a concurrent run stored its result first; the next run checks it
        return _scores(article_id, comparison, names, lang, blocks)

    def _score_blocks(self, article_id: int, comparison: str, lang: str,
                      names: tuple[str, ...], numbers: list[int]):  # noqa: ANN202
        """(block number, block payload) for each block: values, ids and summed stats."""
        for start in range(0, len(numbers), max(1, WRITE_BATCH // cache.BLOCK)):
            group = numbers[start:start + max(1, WRITE_BATCH // cache.BLOCK)]
            with self.store.read() as session:
                pairs = self._comparison_pairs(session, article_id, comparison, group)
                stored = self._stored(session, article_id, comparison, list(pairs))
            stale = [seg_id for seg_id, (hyp, ref, _) in pairs.items()
                     if any((s := stored.get((seg_id, m))) is None
                            or s.digest != pair_digest(hyp, ref) or s.stats is None
                            for m in names)]
            if stale:
                rows = score_rows(stale, [pairs[i][:2] for i in stale], lang, comparison,
                                  names)
                with self.store.write() as session:
                    session.execute(delete(SegmentScore).where(
                        SegmentScore.segment_id.in_(stale),
                        SegmentScore.comparison == comparison))
                    session.execute(_SCORES.insert(), rows)
                for row in rows:
                    stored[(row["segment_id"], row["metric"])] = Stored(
                        row["value"], row["text_hash"], row["stats"])
            for b in group:
                ids = [i for i, p in pairs.items() if p[2] // cache.BLOCK == b]
                yield b, {
                    "ids": ids,
                    "values": {m: [cache.clean(stored[(i, m)].value) for i in ids]
                               for m in names},
                    "totals": {m: np.sum([_stats(stored[(i, m)]) for i in ids], axis=0).tolist()
                               if ids else [] for m in names},
                }

    def _stored(self, session: Session, article_id: int, comparison: str,
                segment_ids: list[int]) -> dict[tuple[int, str], Stored]:
        """The stored scores of the article: one query, the statistics parsed in one call
        (per-row JSON decoding would cost more than everything else in a rescore)."""
        rows = session.connection().execute(
            select(SegmentScore.segment_id, SegmentScore.metric, SegmentScore.value,
                   SegmentScore.text_hash, cast(SegmentScore.stats, Text))
            .join(Segment, Segment.id == SegmentScore.segment_id)
            .where(Segment.article_id == article_id, SegmentScore.comparison == comparison,
                   SegmentScore.segment_id.in_(segment_ids))
        ).all()
        parsed = json.loads("[" + ",".join(row[4] or "null" for row in rows) + "]")
        return {(row[0], row[1]): Stored(row[2], row[3], stats)
                for row, stats in zip(rows, parsed)}

    def _comparison_pairs(self, session: Session, article_id: int, comparison: str,
                          blocks: list[int]) -> dict[int, tuple[str, str, int]]:
        """(hypothesis, reference, position) per content segment of the given blocks."""
        block = Segment.position // cache.BLOCK
        segments = session.connection().execute(
            select(Segment.id, Segment.mt, Segment.current, Segment.position)
            .where(Segment.article_id == article_id, Segment.kind.in_(CONTENT_KINDS),
                   block.in_(blocks))
            .order_by(Segment.position)).all()
        if comparison == MT_VS_CORRECTED:
            return {seg_id: (mt, current, pos) for seg_id, mt, current, pos in segments}
        if comparison.startswith("mt_vs_candidate:") or comparison.startswith(
                "corrected_vs_candidate:"):
            prefix, system = comparison.split(":", 1)
            texts = dict(session.execute(
                select(Candidate.segment_id, Candidate.text)
                .where(Candidate.segment_id.in_([s[0] for s in segments]),
                       Candidate.system == system)).all())
            use_mt = prefix == "mt_vs_candidate"
            return {seg_id: (mt if use_mt else current, texts[seg_id], pos)
                    for seg_id, mt, current, pos in segments if seg_id in texts}
        raise InputError(f"unknown comparison {comparison!r}")


def _scores(article_id: int, comparison: str, names: tuple[str, ...], lang: str,
            blocks: dict[str, dict]) -> ArticleScores:
    """ArticleScores from the blocks: segment values in article order, corpus scores from
    the summed statistics."""
    from review import metrics

    ordered = [blocks[b] for b in sorted(blocks, key=int)]
    segments = {seg_id: {m: cache.unclean(block["values"][m][k]) for m in names}
                for block in ordered for k, seg_id in enumerate(block["ids"])}
    corpus: dict[str, CorpusScore] = {}
    if segments:
        for name in names:
            metric = metrics.get_metric(name)
            totals = np.sum([block["totals"][name] for block in ordered if block["ids"]],
                            axis=0)
            corpus[name] = CorpusScore(name, metric.from_totals(totals, lang),
                                       metric.signature(lang))
    return ArticleScores(article_id=article_id, comparison=comparison, segments=segments,
                         corpus=corpus,
                         segment_signatures={n: c.signature for n, c in corpus.items()})
