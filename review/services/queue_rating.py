"""Scoring items of a reviewer's queue (rating-only work): a segment's score is stored, a
check's is accepted and dropped, so the answer never tells the reviewer which was which."""

from __future__ import annotations

from review.accounts.permissions import Actor
from review.services.attention import AttentionServices
from review.services.ratings import RatingServices


class QueueRatingServices(AttentionServices, RatingServices):  # builds on both
    """ESA scores given through the opaque queue references."""

    def rate_queue_item(self, actor: Actor, assignment_id: int, ref: str,
                        score: int | None) -> int | None:
        with self.store.read() as session:
            assignment = self._own_assignment(session, actor, assignment_id)
            kind, item_id = self._resolve(session, assignment, ref)
        if kind == "c":
            return score
        return self.rate_segment(actor, item_id, score)
