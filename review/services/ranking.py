"""Review risk per segment: what to read first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update

from review.accounts.permissions import Actor
from review.core.digests import pair_digest
from review.core.vocab import (
    CONTENT_KINDS,
    base_lang,
)
from review.db.models import (
    Candidate,
    Flag,
    Segment,
    SegmentScore,
)
from review.metrics import get_metric
from review.services.base import Service
from review.services.views import retranslations_of


class RankingServices(Service):
    """Rank an article's segments by review risk."""

    def risk_ranking(self, actor: Actor, article_id: int) -> list[dict]:
        """Per-segment risk (0..1, review first what is high): the reading order of
        review.ranking (expected error points per word read, from disagreement with one
        retranslation, the checks' open and confirmed suggestions, length, and a QE model
        when configured); residue and captions get 0. The risk is stored on the segments;
        rows come back riskiest first, with their components, ``ranked_by`` (the signals
        used) and ``ranking_note`` (why a configured signal is missing), for the segments
        the actor may read."""
        with self.store.read() as session:
            article = self.access.require_article(session, actor, article_id)
            visible = {s.id for s in self.access.visible_segments(session, actor, article_id)}
            segments = list(session.scalars(select(Segment).where(
                Segment.article_id == article_id).order_by(Segment.position)))
            seg_ids = [s.id for s in segments]
            cands = session.execute(
                select(Candidate.segment_id, Candidate.id, Candidate.system, Candidate.kind,
                       Candidate.text)
                .join(Segment, Segment.id == Candidate.segment_id)
                .where(Segment.article_id == article_id).order_by(Candidate.id)).all()
            suggestions = session.execute(
                select(Flag.segment_id, Flag.check_name, Flag.category, Flag.severity,
                       Flag.start, Flag.end, Flag.note)
                .join(Segment, Segment.id == Flag.segment_id)
                .where(Segment.article_id == article_id, Flag.origin == "check",
                       Flag.state.in_(("open", "confirmed")))).all()
            stored = session.execute(
                select(SegmentScore.segment_id, SegmentScore.comparison, SegmentScore.value,
                       SegmentScore.text_hash)
                .join(Segment, Segment.id == SegmentScore.segment_id)
                .where(Segment.article_id == article_id, SegmentScore.metric == "chrf",
                       SegmentScore.comparison.like("mt_vs_candidate:%"))).all()
            info = ArticleInfo(article.mt_system, article.source_lang, article.target_lang)
        inputs = risk_inputs(segments, cands, suggestions, stored, info)
        ranking, note = inputs.ranking()
        values = ranking.risks
        self._store_risk(seg_ids, values, inputs.new_scores, info.target_lang)
        out = []
        for seg, value, parts in zip(segments, values, inputs.components()):
            if seg.id not in visible:
                continue
            out.append({"segment_id": seg.id, "position": seg.position, "kind": seg.kind,
                        "risk": round(float(value), 6), **parts, "ranked_by": ranking.label,
                        "ranking_note": note})
        out.sort(key=lambda r: (-r["risk"], r["position"]))
        return out

    def _store_risk(self, seg_ids: list[int], values: list[float],
                    new_scores: list[tuple[int, str, float, str, str]], lang: str) -> None:


        with self.store.write() as session:
            for seg_id, value in zip(seg_ids, values):
                session.execute(update(Segment).where(Segment.id == seg_id)
                                .values(risk=float(value))
                                .execution_options(synchronize_session=False))
            if new_scores:
                signature = get_metric("chrf").segment_signature(lang)
                for seg_id, comparison, *_ in new_scores:
                    session.execute(delete(SegmentScore).where(
                        SegmentScore.segment_id == seg_id, SegmentScore.comparison == comparison,
                        SegmentScore.metric == "chrf"))
                session.execute(insert(SegmentScore), [
                    dict(segment_id=seg_id, comparison=comparison, metric="chrf", value=value,
                         signature=signature, text_hash=pair_digest(hyp, ref))
                    for seg_id, comparison, value, hyp, ref in new_scores])


# ----------------------------------------------------------------------------- risk inputs

@dataclass(frozen=True)
class ArticleInfo:
    mt_system: str
    source_lang: str
    target_lang: str


@dataclass
class RiskInputs:
    """What review.ranking.risk weighs for each segment of one article."""

    contexts: list
    suggestions: list[list]
    agreement: list[float | None]  # chrF of the MT against the retranslation
    partners: list[str | None]  # the system it was compared with
    similarity: list[float | None] | None
    new_scores: list[tuple[int, str, float, str, str]]  # chrF computed now, to store
    retranslations: list[str | None] | None = None  # the text it was compared with

    def ranking(self, qe_model: str | None = None):  # noqa: ANN201
        """(review.ranking's Ranking, a one-line note when a configured QE model failed)."""
        from review.core.settings import load_settings
        from review.ranking.article import rank_article
        from review.ranking.qe import estimate

        ctxs = self.contexts
        content = [i for i, c in enumerate(ctxs) if c.kind in CONTENT_KINDS]
        scores, note = estimate(load_settings().qe_model if qe_model is None else qe_model,
                                [ctxs[i].source for i in content], [ctxs[i].mt for i in content])
        qe: list[float | None] | None = None
        if scores is not None:
            qe = [None] * len(ctxs)
            for i, value in zip(content, scores):
                qe[i] = value
        lang = ctxs[0].target_lang if ctxs else "en"
        ranking, _ = rank_article([c.kind for c in ctxs], [c.mt for c in ctxs],
                                  self.retranslations or [None] * len(ctxs), self.agreement,
                                  self.suggestions, lang, qe)
        return ranking, note

    def components(self) -> list[dict]:
        from review.ranking import risk as risk_model

        out = []
        for i, (ctx, sugg) in enumerate(zip(self.contexts, self.suggestions)):
            out.append({
                "checks": round(risk_model.check_signal(sugg), 6),
                "suggestions": len(sugg),
                "agreement_chrf": self.agreement[i],
                "compared_with": self.partners[i],
                "similarity": None if self.similarity is None else self.similarity[i],
                "length": risk_model.length_signal(ctx),
            })
        return out




def risk_inputs(segments: Sequence[Segment], cands: Sequence, suggestions: Sequence,
                stored: Sequence, info: ArticleInfo) -> RiskInputs:
    """The risk model's inputs, reusing stored chrF scores whose texts have not changed."""
    from review.checks import CheckContext, Suggestion, article_stats

    others: dict[int, dict[str, str]] = {}
    for seg_id, _cid, system, _kind, text in cands:
        if system != info.mt_system:
            others.setdefault(seg_id, {})[system] = text
    contexts = [CheckContext(mt=seg.current, source=seg.source,
                             candidates=others.get(seg.id, {}), kind=seg.kind,
                             source_lang=info.source_lang, target_lang=info.target_lang)
                for seg in segments]
    stats = article_stats(contexts)
    for ctx in contexts:
        ctx.article = stats

    found = {(seg_id, comparison): (value, digest)
             for seg_id, comparison, value, digest in stored}
    by_segment: dict[int, list] = {}
    for seg_id, check, category, severity, start, end, note in suggestions:
        by_segment.setdefault(seg_id, []).append(Suggestion(
            check=check, category=category, severity=severity, start=start, end=end,
            explanation=note))
    partner = retranslations_of(cands, info.mt_system)
    agreement: list[float | None] = [None] * len(segments)
    partners: list[str | None] = [None] * len(segments)
    missing: list[tuple[int, int, str, str, str]] = []
    for i, seg in enumerate(segments):
        if seg.id not in partner or seg.kind not in CONTENT_KINDS:
            continue
        system, text = partner[seg.id]
        partners[i] = system
        comparison = f"mt_vs_candidate:{system}"
        hit = found.get((seg.id, comparison))
        if hit is not None and hit[1] == pair_digest(seg.mt, text):
            agreement[i] = float(hit[0])
        else:
            missing.append((i, seg.id, comparison, seg.mt, text))
    new_scores = []
    if missing:
        values = get_metric("chrf").segment([m[3] for m in missing], [m[4] for m in missing],
                                            info.target_lang)
        for (i, seg_id, comparison, hyp, ref), value in zip(missing, values):
            agreement[i] = float(value)
            new_scores.append((seg_id, comparison, float(value), hyp, ref))

    similarity: list[float | None] | None = None
    pairs = [(i, seg.mt, partner[seg.id][1]) for i, seg in enumerate(segments)
             if partners[i] is not None]
    if pairs and base_lang(info.target_lang) == "en":
        from review.metrics import similarity as embedding_similarity

        cosines = embedding_similarity([p[1] for p in pairs], [p[2] for p in pairs])
        if cosines is not None:
            similarity = [None] * len(segments)
            for (i, _, _), cosine in zip(pairs, cosines):
                similarity[i] = cosine
    texts = [partner[seg.id][1] if partners[i] is not None else None
             for i, seg in enumerate(segments)]
    return RiskInputs(contexts, [by_segment.get(seg.id, []) for seg in segments], agreement,
                      partners, similarity, new_scores, texts)
