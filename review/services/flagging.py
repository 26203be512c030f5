"""Flags: reviewers' MQM annotations and their decisions on the checks' suggestions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor, can
from review.core.errors import InputError, NotFound, PermissionDenied
from review.core.vocab import (
    FLAG_STATES,
    MQM_CATEGORIES,
    SEVERITIES,
)
from review.db.models import (
    Candidate,
    Flag,
    Segment,
    utcnow,
)
from review.db.store import INTERACTIVE_WAIT_S
from review.formats.spancheck import span_problem
from review.services.base import Service, audit
from review.services.blind import unblind_target
from review.services.views import (
    FlagView,
    flag_view,
)


def mark_flagged(seg: Segment, actor: Actor) -> None:
    """A segment nobody touched yet becomes "flagged" once an error on it counts (a new
    version, so an open editor notices)."""
    if seg.status == "todo":
        seg.status = "flagged"
        seg.version += 1
        seg.updated_at = utcnow()
        seg.updated_by = actor.name


def record_flag(session: Session, actor: Actor, seg: Segment, flag: Flag,
                **detail: object) -> Flag:
    """Store a reviewer's flag on a segment: the one way a flag is added, with the status
    move and the audit entry that go with it."""
    session.add(flag)
    mark_flagged(seg, actor)
    session.flush()
    audit(session, actor, "flag", article_id=seg.article_id, segment_id=seg.id,
          flag_id=flag.id, category=flag.category, severity=flag.severity, **detail)
    return flag


class FlagServices(Service):
    """Add, confirm, dismiss and delete flags."""

    def add_flag(self, actor: Actor, segment_id: int, category: str, severity: str, *,
                 span: str = "", start: int | None = None, end: int | None = None,
                 note: str = "", target: str = "mt") -> FlagView:
        if category not in MQM_CATEGORIES:
            raise InputError(f"unknown MQM category {category!r}")
        if severity not in SEVERITIES:
            raise InputError(f"unknown severity {severity!r}; use one of {', '.join(SEVERITIES)}")
        with self.store.write(wait_s=INTERACTIVE_WAIT_S) as session:
            seg = self.access.require_segment(session, actor, segment_id, "flag.edit")
            candidate_id = None
            text = seg.mt  # flags annotate the translation as delivered
            shown = target  # a reviewer's blind label stays what they see
            if target != "mt":
                target = unblind_target(session, actor, seg, target)
                cand = session.scalar(select(Candidate).where(
                    Candidate.segment_id == segment_id, Candidate.system == target))
                if cand is None:
                    raise NotFound(f"segment {seg.position + 1} has no translation by {target!r}")
                candidate_id, text = cand.id, cand.text
            if span:
                found = text.find(span)
                if found < 0:
                    raise InputError(f"the span {span!r} does not occur in the text; copy it "
                                     "exactly from the segment")
                start, end = found, found + len(span)
            problem = span_problem(start, end, len(text))
            if problem:
                raise InputError(problem)
            flag = record_flag(session, actor, seg, Flag(
                segment_id=segment_id, candidate_id=candidate_id, start=start, end=end,
                category=category, severity=severity, note=note, author=actor.name,
                origin="reviewer", state="confirmed"))
            systems = {candidate_id: shown} if candidate_id else {}
            return flag_view(flag, systems)

    def set_flag_state(self, actor: Actor, flag_id: int, state: str) -> FlagView:
        if state not in FLAG_STATES:
            raise InputError(f"unknown flag state {state!r}; use one of {', '.join(FLAG_STATES)}")
        with self.store.write(wait_s=INTERACTIVE_WAIT_S) as session:
            flag = session.get(Flag, flag_id)
            if flag is None:
                raise NotFound(f"no flag with id {flag_id}")
            seg = self.access.require_segment(session, actor, flag.segment_id, "flag.edit")
            flag.state = state
            flag.updated_at = utcnow()
            if state == "confirmed":
                mark_flagged(seg, actor)
            audit(session, actor, f"flag_{state}", article_id=seg.article_id,
                   segment_id=seg.id, flag_id=flag_id, check=flag.check_name)
            session.flush()
            return flag_view(flag, {})

    def delete_flag(self, actor: Actor, flag_id: int) -> None:
        with self.store.write(wait_s=INTERACTIVE_WAIT_S) as session:
            flag = session.get(Flag, flag_id)
            if flag is None:
                raise NotFound(f"no flag with id {flag_id}")
            seg = self.access.require_segment(session, actor, flag.segment_id, "flag.edit")
            if flag.origin != "reviewer" or (flag.author != actor.name
                                             and not can(actor, "article.read_all")):
                raise PermissionDenied("only the reviewer who added a flag (or a lead) can "
                                       "delete it; dismiss suggestions instead")
            audit(session, actor, "flag_delete", article_id=seg.article_id,
                   segment_id=seg.id, flag_id=flag_id, category=flag.category)
            session.delete(flag)
