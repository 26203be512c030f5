"""Reading articles and segments: summaries, the review rows, one segment's detail."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor, can, require
from review.core.limits import MAX_FLAGS_SHOWN
from review.core.vocab import (
    NO_ERROR,
    RESIDUE_KINDS,
    SEGMENT_STATUSES,
)
from review.db.batching import in_batches
from review.db.models import (
    Article,
    Candidate,
    Flag,
    Revision,
    Segment,
    SegmentScore,
)
from review.db.rows import existing
from review.services.base import Service, as_utc, listed
from review.services.blind import blind_detail, blind_labels, blind_names
from review.services.views import (
    ArticleSummary,
    ArticleView,
    CandidateView,
    RevisionView,
    SegmentDetail,
    flag_view,
    retranslations_of,
    row_view,
)


class ReadingServices(Service):
    """What a reviewer or lead may read."""

    def summaries(self, actor: Actor, article_ids: Iterable[int] | None = None
                  ) -> list[ArticleSummary]:
        require(actor, "article.read")
        with self.store.read() as session:
            query = select(Article).where(listed(), self.access.readable(actor)).order_by(
                Article.id)
            if article_ids is None:
                articles = list(session.scalars(query))
            else:
                articles = sorted(in_batches(session, lambda batch: query.where(
                    Article.id.in_(batch)), sorted(set(article_ids)), scalars=True),
                    key=lambda a: a.id)
            ids = [a.id for a in articles]
            status_counts: dict[int, Counter] = defaultdict(Counter)
            kind_counts: dict[int, Counter] = defaultdict(Counter)
            for art_id, kind, status, n in in_batches(session, lambda batch: select(
                    Segment.article_id, Segment.kind, Segment.status, func.count())
                    .where(Segment.article_id.in_(batch))
                    .group_by(Segment.article_id, Segment.kind, Segment.status), ids):
                kind_counts[art_id][kind] += n
                if kind not in RESIDUE_KINDS:
                    status_counts[art_id][status] += n
            open_flags = dict(in_batches(session, lambda batch: select(
                Segment.article_id, func.count()).join(Flag, Flag.segment_id == Segment.id)
                .where(Segment.article_id.in_(batch), Flag.state != "dismissed",
                       Flag.category != NO_ERROR)
                .group_by(Segment.article_id), ids))
            systems: dict[int, list[str]] = defaultdict(list)
            for art_id, system in in_batches(session, lambda batch: select(
                    Segment.article_id, Candidate.system).distinct()
                    .join(Candidate, Candidate.segment_id == Segment.id)
                    .where(Segment.article_id.in_(batch)).order_by(Candidate.system), ids):
                systems[art_id].append(system)
        named = can(actor, "article.read_all")  # reviewers rate systems blind
        out = []
        for a in articles:
            kinds = kind_counts[a.id]
            residue = sum(kinds[k] for k in RESIDUE_KINDS)
            out.append(ArticleSummary(
                id=a.id, title=a.title, source_lang=a.source_lang, target_lang=a.target_lang,
                status=a.status, origin=a.origin, mt_system=a.mt_system if named else "",
                created_at=as_utc(a.created_at), segments=sum(kinds.values()),
                body_segments=sum(kinds.values()) - residue, residue_segments=residue,
                by_status={s: status_counts[a.id][s] for s in SEGMENT_STATUSES},
                open_flags=open_flags.get(a.id, 0),
                systems=systems[a.id] if named else blind_names(len(systems[a.id]))))
        return out

    def article(self, actor: Actor, article_id: int) -> ArticleView:
        with self.store.read() as session:
            article = self.access.require_article(session, actor, article_id)
            segments = self.access.visible_segments(session, actor, article_id)
            flag_counts: dict[int, Counter] = defaultdict(Counter)
            for seg_id, state, n in session.execute(
                    select(Flag.segment_id, Flag.state, func.count())
                    .join(Segment, Segment.id == Flag.segment_id)
                    .where(Segment.article_id == article_id, Flag.category != NO_ERROR)
                    .group_by(Flag.segment_id, Flag.state)):
                flag_counts[seg_id][state] += n
            cands = session.execute(
                select(Candidate.segment_id, Candidate.id, Candidate.system, Candidate.kind,
                       Candidate.text)
                .join(Segment, Segment.id == Candidate.segment_id)
                .where(Segment.article_id == article_id).order_by(Candidate.id)).all()
            systems = {system for _, _, system, _, _ in cands}
            retranslations = {seg_id: text for seg_id, (_, text) in
                              retranslations_of(cands, article.mt_system).items()}
            summary_id = article.id
            rows = [row_view(s, retranslations.get(s.id), flag_counts[s.id], article.target_lang)
                    for s in segments]
        summary = self.summaries(actor, [summary_id])[0]
        return ArticleView(summary=summary, rows=rows, candidate_systems=(
            sorted(systems) if self.access.reads_all(actor) else blind_names(len(systems))))

    def data_version(self, actor: Actor, article_id: int) -> str:
        """A cheap token that changes whenever the article's segments or flags change."""
        with self.store.read() as session:
            self.access.require_article(session, actor, article_id)
            seg = session.execute(
                select(func.count(), func.sum(Segment.version), func.max(Segment.updated_at),
                       func.count(Segment.risk), func.sum(Segment.risk))
                .where(Segment.article_id == article_id)).one()
            flags = session.execute(
                select(func.count(), func.max(Flag.updated_at), func.max(Flag.id))
                .join(Segment, Segment.id == Flag.segment_id)
                .where(Segment.article_id == article_id)).one()
            cands = session.execute(
                select(func.count(), func.max(Candidate.id))
                .join(Segment, Segment.id == Candidate.segment_id)
                .where(Segment.article_id == article_id)).one()
        return f"{tuple(seg)}|{tuple(flags)}|{tuple(cands)}"

    def segment(self, actor: Actor, segment_id: int) -> SegmentDetail:
        with self.store.read() as session:
            seg = self.access.require_segment(session, actor, segment_id, "article.read")
            article = existing(session, Article, seg.article_id)
            return segment_detail(session, seg, article, actor)



def segment_detail(session: Session, seg: Segment, article: Article,
                   actor: Actor | None = None) -> SegmentDetail:
    """The segment with its translations, flags, revisions and scores; for a reviewer
    (``actor`` without the lead's view) other systems carry blind labels, not names."""
    detail = _segment_detail(session, seg, article)
    return blind_detail(detail, blind_labels(session, actor, seg)) if actor else detail


def _segment_detail(session: Session, seg: Segment, article: Article) -> SegmentDetail:
    candidates = list(session.scalars(
        select(Candidate).where(Candidate.segment_id == seg.id)
        .order_by(Candidate.created_at.desc(), Candidate.id.desc())))
    systems = {c.id: c.system for c in candidates}
    flags = sorted(session.scalars(  # a bounded number; the counts below cover them all
        select(Flag).where(Flag.segment_id == seg.id)
        .order_by(Flag.state == "dismissed", Flag.id).limit(MAX_FLAGS_SHOWN)),
        key=lambda f: f.id)
    revisions = list(session.scalars(
        select(Revision).where(Revision.segment_id == seg.id)
        .order_by(Revision.version.desc(), Revision.id.desc())))
    scores: dict[str, dict[str, float]] = defaultdict(dict)
    signatures: dict[str, str] = {}
    for s in session.scalars(select(SegmentScore).where(SegmentScore.segment_id == seg.id)):
        scores[s.comparison][s.metric] = s.value
        signatures[s.metric] = s.signature
    counts = Counter(dict(session.execute(
        select(Flag.state, func.count()).where(Flag.segment_id == seg.id,
                                               Flag.category != NO_ERROR)
        .group_by(Flag.state)).all()))
    partner = retranslations_of(
        [(seg.id, c.id, c.system, c.kind, c.text) for c in sorted(candidates, key=lambda c: c.id)],
        article.mt_system).get(seg.id)
    retranslation = partner[1] if partner else None
    return SegmentDetail(
        row=row_view(seg, retranslation, counts, article.target_lang), article_id=article.id,
        target_lang=article.target_lang, source_lang=article.source_lang,
        candidates=[CandidateView(c.id, c.system, c.kind, c.text, c.meta or {})
                    for c in candidates],
        flags=[flag_view(f, systems) for f in flags],
        revisions=[RevisionView(r.id, r.version, r.text, r.action, r.author,
                                r.seconds_spent, as_utc(r.created_at)) for r in revisions],
        scores=dict(scores), signatures=signatures)
