"""Metric scores of stored segments.

Kept with their signatures and recomputed only when the texts they were computed from change.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from review.digests import pair_digest
from review.errors import InputError
from review.models import (
    Article,
    Candidate,
    Segment,
    SegmentScore,
)
from review.permissions import Actor
from review.services.base import ServiceBase
from review.services.views import (
    ArticleScores,
    CorpusScore,
)
from review.vocab import (
    CONTENT_KINDS,
    MT_VS_CORRECTED,
)


def rescore_segment(session: Session, seg: Segment, article: Article) -> None:
    """Score one segment's MT against its corrected text and store it with signatures."""
    from review import metrics

    if seg.kind not in CONTENT_KINDS:
        return
    digest = pair_digest(seg.mt, seg.current)
    values = metrics.score_segment(seg.mt, seg.current, article.target_lang)
    session.execute(delete(SegmentScore).where(
        SegmentScore.segment_id == seg.id, SegmentScore.comparison == MT_VS_CORRECTED))
    session.execute(SegmentScore.__table__.insert(), [
        dict(segment_id=seg.id, comparison=MT_VS_CORRECTED, metric=name,
             value=score.value, signature=score.signature, text_hash=digest)
        for name, score in values.items()])



class ScoringServices(ServiceBase):
    """Segment and article scores."""

    def score_article(self, actor: Actor, article_id: int,
                      comparison: str = MT_VS_CORRECTED) -> ArticleScores:
        """Segment and article scores; only segments whose texts changed are recomputed."""
        from review import metrics

        with self.store.write() as session:
            article = self._require_article(session, actor, article_id)
            segments = list(session.scalars(
                select(Segment).where(Segment.article_id == article_id,
                                      Segment.kind.in_(CONTENT_KINDS))
                .order_by(Segment.position)))
            pairs = self._comparison_pairs(session, segments, comparison)
            names = metrics.segment_metrics()
            stored: dict[int, dict[str, SegmentScore]] = defaultdict(dict)
            for s in session.scalars(select(SegmentScore).where(
                    SegmentScore.segment_id.in_([seg.id for seg in segments]),
                    SegmentScore.comparison == comparison)):
                stored[s.segment_id][s.metric] = s
            stale = [(seg_id, hyp, ref) for seg_id, (hyp, ref) in pairs.items()
                     if any(stored[seg_id].get(m) is None
                            or stored[seg_id][m].text_hash != pair_digest(hyp, ref)
                            for m in names)]
            if stale:
                results = metrics.score_pairs([h for _, h, _ in stale], [r for _, _, r in stale],
                                              article.target_lang, names)
                session.execute(delete(SegmentScore).where(
                    SegmentScore.segment_id.in_([s[0] for s in stale]),
                    SegmentScore.comparison == comparison))
                rows = []
                for metric_name, (values, corpus) in results.items():
                    for (seg_id, hyp, ref), value in zip(stale, values):
                        rows.append(dict(segment_id=seg_id, comparison=comparison,
                                         metric=metric_name, value=value,
                                         signature=corpus.signature,
                                         text_hash=pair_digest(hyp, ref)))
                session.execute(SegmentScore.__table__.insert(), rows)
                for row in rows:
                    stored[row["segment_id"]][row["metric"]] = SegmentScore(**row)
            hyps = [hyp for hyp, _ in pairs.values()]
            refs = [ref for _, ref in pairs.values()]
            corpus = {}
            signatures = {}
            for name in names:
                if hyps:
                    score = metrics.METRICS[name].corpus(hyps, refs, article.target_lang)
                    corpus[name] = CorpusScore(name, score.value, score.signature)
                    signatures[name] = score.signature
            seg_scores = {seg_id: {m: s.value for m, s in stored[seg_id].items()}
                          for seg_id in pairs}
        return ArticleScores(article_id=article_id, comparison=comparison,
                             segments=seg_scores, corpus=corpus, segment_signatures=signatures)

    def _comparison_pairs(self, session: Session, segments: list[Segment],
                          comparison: str) -> dict[int, tuple[str, str]]:
        """(hypothesis, reference) per segment for a named comparison."""
        if comparison == MT_VS_CORRECTED:
            return {s.id: (s.mt, s.current) for s in segments}
        if comparison.startswith("mt_vs_candidate:") or comparison.startswith(
                "corrected_vs_candidate:"):
            prefix, system = comparison.split(":", 1)
            texts = dict(session.execute(select(Candidate.segment_id, Candidate.text).where(
                Candidate.segment_id.in_([s.id for s in segments]),
                Candidate.system == system)).all())
            use_mt = prefix == "mt_vs_candidate"
            return {s.id: (s.mt if use_mt else s.current, texts[s.id])
                    for s in segments if s.id in texts}
        raise InputError(f"unknown comparison {comparison!r}")
