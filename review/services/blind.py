"""Side-by-side systems on one segment: blind and shuffled for reviewers, named for leads.

The names are dropped here, in the service, so no page (or a page's hidden state) can leak
a system name to a reviewer."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor, can
from review.db.models import Article, Candidate, Segment
from review.db.rows import existing
from review.quality.blind import blind_order
from review.services.views import SegmentDetail

MT_SYSTEM = "MT"
"""What the article's own translation is called when its system has no name."""


def blind_names(count: int) -> list[str]:
    """What a reviewer is told about an article's systems: how many, not which."""
    return [f"System {chr(ord('A') + i) if i < 26 else i + 1}" for i in range(count)]


@dataclass(frozen=True)
class SystemText:
    label: str
    text: str
    system: str | None
    """The system's name; None for reviewers."""


@dataclass(frozen=True)
class SideBySide:
    segment_id: int
    blind: bool
    systems: list[SystemText]


def _systems(session: Session, seg: Segment, article: Article) -> dict[str, str]:
    """System -> text: the article's MT and every other translation but references."""
    texts = {article.mt_system or MT_SYSTEM: seg.mt}
    for system, text in session.execute(
            select(Candidate.system, Candidate.text)
            .where(Candidate.segment_id == seg.id, Candidate.kind != "reference")):
        texts.setdefault(system, text)
    return texts


def _order(actor: Actor, seg: Segment, article: Article,
           texts: dict[str, str]) -> list[tuple[str, str]]:
    return blind_order(list(texts), actor.name, str(seg.id), article.batch or str(article.id))


def blind_labels(session: Session, actor: Actor, seg: Segment) -> dict[str, str]:
    """System -> "System A"... as this reviewer sees this segment; empty for leads."""
    if can(actor, "article.read_all"):
        return {}
    article = existing(session, Article, seg.article_id)
    return {system: f"System {label}"
            for label, system in _order(actor, seg, article, _systems(session, seg, article))}


def blind_detail(detail: SegmentDetail, labels: dict[str, str]) -> SegmentDetail:
    """The segment with every other system's name replaced by its blind label (references
    are called "Reference")."""
    if not labels:
        return detail
    names = {c.system: (labels.get(c.system) or "Reference") for c in detail.candidates}
    return replace(detail,
                   candidates=[replace(c, system=names[c.system]) for c in detail.candidates],
                   flags=[replace(f, target=names.get(f.target, f.target))
                          for f in detail.flags])


def unblind_target(session: Session, actor: Actor, seg: Segment, target: str) -> str:
    """The system a reviewer's blind label ("System B") stands for; other targets as given."""
    for system, label in blind_labels(session, actor, seg).items():
        if label == target:
            return system
    return target
