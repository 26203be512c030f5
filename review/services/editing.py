"""Editing segments: saves under optimistic locking, restores, status changes."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor
from review.core.errors import ConflictError, InputError, NotFound
from review.core.vocab import (
    CONTENT_KINDS,
    SEGMENT_STATUSES,
)
from review.db.models import (
    Article,
    Revision,
    Segment,
    utcnow,
)
from review.db.rows import existing
from review.db.store import INTERACTIVE_WAIT_S
from review.services.base import Service, audit
from review.services.checking import suggest_for_segments
from review.services.guards import refuse_rating_only_edit, refuse_self_approval
from review.services.reading import segment_detail
from review.services.scoring import rescore_segment
from review.services.views import (
    SegmentDetail,
)


class EditingServices(Service):
    """Change a segment's text or status."""

    def save_segment(self, actor: Actor, segment_id: int, text: str, expected_version: int,
                     seconds_spent: float = 0.0, *, action: str = "edit") -> SegmentDetail:
        """Store a new text for the segment, unless somebody saved since ``expected_version``."""
        with self.store.write(wait_s=INTERACTIVE_WAIT_S) as session:
            seg = self.access.require_segment(session, actor, segment_id)
            refuse_rating_only_edit(session, actor, seg)
            if text == seg.current and seg.version == expected_version:
                return segment_detail(session, seg, existing(session, Article, seg.article_id),
                                      actor)
            new_version = expected_version + 1
            status = seg.status
            if status in ("todo", "flagged") and text != seg.mt:
                status = "fixed"
            reopened = status == "approved" and text != seg.current
            if reopened:  # an approval covers the text it saw, not a later edit
                status = "fixed"
            # an UPDATE hands back a CursorResult, which the stubs widen to Result
            landed = cast(CursorResult[Any], session.execute(
                update(Segment)
                .where(Segment.id == segment_id, Segment.version == expected_version)
                .values(current=text, version=new_version, status=status,
                        updated_at=utcnow(), updated_by=actor.name)
                .execution_options(synchronize_session=False))).rowcount
            if landed != 1:
                session.refresh(seg)
                raise ConflictError(
                    f"{seg.updated_by or 'someone'} saved segment {seg.position + 1} while you "
                    f"were editing (their version {seg.version}, yours {expected_version}); "
                    "compare the two texts and choose which to keep",
                    theirs_text=seg.current, theirs_version=seg.version,
                    theirs_author=seg.updated_by)
            session.add(Revision(segment_id=segment_id, version=new_version, text=text,
                                 action=action, author=actor.name,
                                 seconds_spent=max(0.0, float(seconds_spent))))
            audit(session, actor, action, article_id=seg.article_id, segment_id=segment_id,
                   version=new_version, chars=len(text))
            if reopened:
                audit(session, actor, "unapprove", article_id=seg.article_id,
                      segment_id=segment_id, version=new_version, was="approved",
                      status=status, reason="edited after approval: needs approval again")
            session.refresh(seg)
            article = existing(session, Article, seg.article_id)
            if article.status == "new":
                article.status = "in_review"
            rescore_segment(session, seg, article)
            suggest_for_segments(session, article, [seg.id])
            return segment_detail(session, seg, article, actor)

    def restore_revision(self, actor: Actor, segment_id: int, revision_id: int | None,
                         expected_version: int) -> SegmentDetail:
        """Bring back an earlier text (``None``: the original MT) as a new revision."""
        with self.store.read() as session:
            seg = self.access.require_segment(session, actor, segment_id)
            if revision_id is None:
                text = seg.mt
            else:
                revision = session.get(Revision, revision_id)
                if revision is None or revision.segment_id != segment_id:
                    raise NotFound(f"segment {segment_id} has no revision {revision_id}")
                text = revision.text
        return self.save_segment(actor, segment_id, text, expected_version, action="restore")

    def set_status(self, actor: Actor, segment_id: int, status: str,
                   expected_version: int) -> SegmentDetail:
        if status not in SEGMENT_STATUSES:
            raise InputError(f"unknown status {status!r}; use one of {', '.join(SEGMENT_STATUSES)}")
        with self.store.write(wait_s=INTERACTIVE_WAIT_S) as session:
            seg = self.access.require_segment(session, actor, segment_id)
            if status == "approved":
                refuse_self_approval(session, actor, seg)
            landed = cast(CursorResult[Any], session.execute(
                update(Segment)
                .where(Segment.id == segment_id, Segment.version == expected_version)
                .values(status=status, version=expected_version + 1, updated_at=utcnow(),
                        updated_by=actor.name)
                .execution_options(synchronize_session=False))).rowcount
            if landed != 1:
                session.refresh(seg)
                raise ConflictError(
                    f"{seg.updated_by or 'someone'} changed segment {seg.position + 1} first; "
                    "reload it and try again", theirs_text=seg.current,
                    theirs_version=seg.version, theirs_author=seg.updated_by)
            audit(session, actor, "status", article_id=seg.article_id, segment_id=segment_id,
                   status=status)
            session.refresh(seg)
            article = existing(session, Article, seg.article_id)
            self._update_article_status(session, article)
            return segment_detail(session, seg, article, actor)

    def _update_article_status(self, session: Session, article: Article) -> None:
        remaining = session.scalar(
            select(func.count()).select_from(Segment)
            .where(Segment.article_id == article.id, Segment.kind.in_(CONTENT_KINDS),
                   Segment.status != "approved"))
        article.status = "done" if remaining == 0 else "in_review"
