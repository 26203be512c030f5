"""Rules that editing checks before a change lands: no self-approval when a second pass is
required, and no post-editing on a rating-only assignment. A helper below the use cases."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor, can
from review.core.errors import PermissionDenied
from review.db.models import Article, Assignment, Flag, FlagReview, Revision, Segment
from review.db.rows import existing


def second_pass_required(article: Article) -> bool:
    return bool((article.meta or {}).get("second_pass"))


def refuse_self_approval(session: Session, actor: Actor, seg: Segment) -> None:
    """When the article needs a second pass, whoever edited or flagged a segment in the first
    pass may not approve it: the approval is the second reviewer's."""
    article = existing(session, Article, seg.article_id)
    if not second_pass_required(article):
        return
    edited = session.scalar(select(Revision.id).where(
        Revision.segment_id == seg.id, Revision.author == actor.name).limit(1))
    added = select(FlagReview.flag_id).where(FlagReview.decision == "add")
    flagged = session.scalar(select(Flag.id).where(
        Flag.segment_id == seg.id, Flag.author == actor.name, Flag.origin == "reviewer",
        Flag.id.not_in(added)).limit(1))
    if edited is not None or flagged is not None:
        raise PermissionDenied(
            f"segment {seg.position + 1} needs a second pass: {actor.name} worked on it in the "
            "first pass and cannot approve their own work; the second reviewer approves it")


def refuse_rating_only_edit(session: Session, actor: Actor, seg: Segment) -> None:
    """A reviewer whose every assignment on the article is rating-only annotates the MT and
    scores it, but does not correct it."""
    if can(actor, "article.read_all") or actor.user_id is None:
        return
    modes = set(session.scalars(select(Assignment.mode).where(
        Assignment.article_id == seg.article_id, Assignment.user_id == actor.user_id)))
    if modes == {"rating"}:
        raise PermissionDenied(
            f"{actor.name}'s assignment on this article is rating only: flag the errors and "
            "score the segment, without correcting it")
