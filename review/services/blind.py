"""Side-by-side systems on one segment: blind and shuffled for reviewers, named for leads.

The names are dropped here, in the service, so no page (or a page's hidden state) can leak
a system name to a reviewer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from review.models import Article, Candidate
from review.permissions import Actor, can
from review.quality.blind import blind_order
from review.services.base import ServiceBase

MT_SYSTEM = "MT"
"""What the article's own translation is called when its system has no name."""


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


class BlindServices(ServiceBase):
    """The several translations of a segment as the acting user may see them."""

    def side_by_side(self, actor: Actor, segment_id: int) -> SideBySide:
        with self.store.read() as session:
            seg = self._require_segment(session, actor, segment_id, "article.read")
            article = session.get(Article, seg.article_id)
            texts = {article.mt_system or MT_SYSTEM: seg.mt}
            for system, text in session.execute(
                    select(Candidate.system, Candidate.text)
                    .where(Candidate.segment_id == segment_id,
                           Candidate.kind != "reference")):
                texts.setdefault(system, text)
            campaign = article.batch or str(article.id)
        blind = not can(actor, "article.read_all")
        order = blind_order(list(texts), actor.name, str(segment_id), campaign)
        return SideBySide(segment_id, blind, [
            SystemText(label, texts[system], None if blind else system)
            for label, system in order])
