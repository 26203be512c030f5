"""Attention checks: corrupted copies of real segments placed in a reviewer's queue.

A check lives in its own table, never among the article's segments, so exports, scores,
MQM reports and progress counts cannot include one by mistake. The reviewer's queue mixes
checks and segments under opaque references, so nothing in what a reviewer is handed tells
the two apart.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor, can, require
from review.core.errors import InputError, NotFound, PermissionDenied
from review.core.vocab import CHECK_MODES, CONTENT_KINDS, CORRUPTION_LABELS, MAX_CHECK_RATE
from review.db.models import Assignment, AttentionCheck, Segment, User, utcnow
from review.db.rows import existing
from review.db.store import Store
from review.quality.attention import any_corruption, overlaps
from review.quality.stats import wilson
from review.services.access import Access, range_condition
from review.services.base import Service, as_utc, audit
from review.services.flagging import FlagServices
from review.services.ratings import RatingServices
from review.services.views import FlagView


@dataclass(frozen=True)
class QueueItem:
    """One entry of a reviewer's queue: a segment or an attention check, indistinguishable."""

    ref: str
    number: int
    kind: str
    source: str
    text: str
    status: str


@dataclass(frozen=True)
class CheckOutcome:
    """What the reviewer is told after an item (loud mode only says anything)."""

    message: str
    retry: bool


@dataclass(frozen=True)
class CheckView:
    """A check as a lead sees it."""

    id: int
    reviewer: str
    article_id: int
    segment_number: int
    kind: str
    span_text: str
    result: str
    attempts: int
    retry_passed: bool
    text: str = ""
    """The corrupted text as the reviewer sees it."""


@dataclass(frozen=True)
class CatchRate:
    reviewer: str
    checks: int
    caught: int
    rate: float
    low: float
    high: float


class AttentionServices(Service):
    """Switch checks on per assignment, serve the mixed queue, judge the reviewer's flags."""

    def __init__(self, store: Store, access: Access,
                 flags: FlagServices, ratings: RatingServices) -> None:
        super().__init__(store, access)
        self.flags = flags
        self.ratings = ratings

    def set_attention_checks(self, actor: Actor, assignment_id: int, rate: float,
                             mode: str = "silent") -> list[CheckView]:
        """Checks at ``rate`` (0-0.5: a share of the assignment's segments) in ``mode``;
        unanswered checks from an earlier setting are replaced, answered ones kept."""
        if mode not in CHECK_MODES:
            raise InputError(f"unknown attention-check mode {mode!r}; use silent or loud")
        if not 0.0 <= float(rate) <= MAX_CHECK_RATE:
            raise InputError(f"the attention-check rate must be between 0% and "
                             f"{MAX_CHECK_RATE:.0%}, not {float(rate):.0%}")
        with self.store.write() as session:
            assignment = self._assignment(session, assignment_id)
            self.access.require_article(session, actor, assignment.article_id, "article.assign")
            assignment.check_rate, assignment.check_mode = float(rate), mode
            session.execute(delete(AttentionCheck).where(
                AttentionCheck.assignment_id == assignment_id,
                AttentionCheck.result == "pending"))
            segments = _queue_segments(session, assignment)
            want = round(float(rate) * len(segments))
            if rate > 0 and segments:
                want = max(1, want)
            rng = random.Random(f"{assignment_id}:{utcnow().isoformat()}")
            for seg in rng.sample(segments, len(segments)):
                if want <= 0:
                    break
                found = any_corruption(seg.mt, rng)
                if found is None:
                    continue
                session.add(AttentionCheck(
                    assignment_id=assignment_id, segment_id=seg.id,
                    after_position=rng.choice(segments).position, kind=found.kind,
                    text=found.text, start=found.start, end=found.end))
                want -= 1
            session.flush()
            audit(session, actor, "attention_checks", article_id=assignment.article_id,
                  assignment_id=assignment_id, rate=float(rate), mode=mode)
            return self._check_views(session, assignment_id)

    def attention_checks(self, actor: Actor, assignment_id: int) -> list[CheckView]:
        """The checks of one assignment with their results, for leads."""
        with self.store.read() as session:
            assignment = self._assignment(session, assignment_id)
            self.access.require_article(session, actor, assignment.article_id, "article.assign")
            return self._check_views(session, assignment_id)

    def review_queue(self, actor: Actor, assignment_id: int) -> list[QueueItem]:
        """The assignment's segments in order with its checks placed among them."""
        with self.store.read() as session:
            assignment = self._own_assignment(session, actor, assignment_id)
            checks = session.scalars(select(AttentionCheck).where(
                AttentionCheck.assignment_id == assignment_id)).all()
            by_position: dict[int, list[AttentionCheck]] = {}
            for check in sorted(checks, key=lambda c: c.id):
                by_position.setdefault(check.after_position, []).append(check)
            items: list[QueueItem] = []
            for seg in _queue_segments(session, assignment, residue=True):
                items.append(QueueItem(_ref(assignment, "s", seg.id), len(items) + 1, seg.kind,
                                       seg.source, seg.mt, seg.status))
                for check in by_position.get(seg.position, []):
                    original = existing(session, Segment, check.segment_id)
                    status = "flagged" if check.result == "passed" or check.retry_passed \
                        else "todo"
                    items.append(QueueItem(_ref(assignment, "c", check.id), len(items) + 1,
                                           original.kind, original.source, check.text,
                                           status))
            return items

    def flag_queue_item(self, actor: Actor, assignment_id: int, ref: str, category: str,
                        severity: str, *, start: int | None = None, end: int | None = None,
                        note: str = "") -> FlagView | None:
        """A flag on a queue item: stored on a segment, judged (and not stored) on a check."""
        with self.store.write() as session:
            assignment = self._own_assignment(session, actor, assignment_id)
            kind, item_id = self._resolve(session, assignment, ref)
            if kind == "c":
                check = existing(session, AttentionCheck, item_id)
                if any(overlaps(s, e, (check.start, check.end))
                       for s, e in _occurrences(check.text, start, end)):
                    if check.result == "pending":
                        check.result, check.answered_at = "passed", utcnow()
                    elif check.result == "missed":
                        check.retry_passed = True
                check.attempts += 1
                return None
        return self.flags.add_flag(actor, item_id, category, severity, start=start, end=end,
                             note=note)

    def finish_queue_item(self, actor: Actor, assignment_id: int,
                          ref: str) -> CheckOutcome | None:
        """The reviewer moves on. An uncaught check is recorded as missed; in loud mode the
        reviewer is told, and must retry until they catch it."""
        with self.store.write() as session:
            assignment = self._own_assignment(session, actor, assignment_id)
            kind, item_id = self._resolve(session, assignment, ref)
            if kind != "c":
                return None
            check = existing(session, AttentionCheck, item_id)
            if check.result == "pending":
                check.result, check.answered_at = "missed", utcnow()
                audit(session, actor, "attention_check", article_id=assignment.article_id,
                      result="missed", kind=check.kind)
            elif check.result == "passed":
                return None
            if assignment.check_mode != "loud":
                return None
            if check.retry_passed:
                return CheckOutcome("You found the error on the second look.", retry=False)
            return CheckOutcome(
                f"This was an attention check with an injected error "
                f"({CORRUPTION_LABELS[check.kind]}). Read it again and flag the error.",
                retry=True)

    def catch_rates(self, actor: Actor) -> list[CatchRate]:
        """Per reviewer: checks answered, caught at the first look, and the Wilson 95%
        interval of the catch rate."""
        require(actor, "dashboard.view")
        with self.store.read() as session:
            rows = session.execute(
                select(User.name, AttentionCheck.result)
                .join(Assignment, Assignment.id == AttentionCheck.assignment_id)
                .join(User, User.id == Assignment.user_id)
                .where(AttentionCheck.result != "pending")).all()
        tally: dict[str, list[int]] = {}
        for name, result in rows:
            seen = tally.setdefault(name, [0, 0])
            seen[0] += 1
            seen[1] += result == "passed"
        out = []
        for name, (n, hits) in sorted(tally.items()):
            rate = wilson(hits, n)
            out.append(CatchRate(name, n, hits, rate.rate, rate.low, rate.high))
        return out

    # ------------------------------------------------------------ helpers
    def _assignment(self, session: Session, assignment_id: int) -> Assignment:
        assignment = session.get(Assignment, assignment_id)
        if assignment is None:
            raise NotFound(f"no assignment with id {assignment_id}")
        return assignment

    def _own_assignment(self, session: Session, actor: Actor,
                        assignment_id: int) -> Assignment:
        assignment = self._assignment(session, assignment_id)
        self.access.require_article(session, actor, assignment.article_id, "flag.edit")
        if assignment.user_id != actor.user_id and not can(actor, "article.read_all"):
            raise PermissionDenied(f"assignment {assignment_id} belongs to another reviewer")
        return assignment

    def _resolve(self, session: Session, assignment: Assignment, ref: str) -> tuple[str, int]:
        for seg in _queue_segments(session, assignment, residue=True):
            if _ref(assignment, "s", seg.id) == ref:
                return "s", seg.id
        for check_id in session.scalars(select(AttentionCheck.id).where(
                AttentionCheck.assignment_id == assignment.id)):
            if _ref(assignment, "c", check_id) == ref:
                return "c", check_id
        raise NotFound(f"nothing in this queue is called {ref!r}; reload the page")

    def _check_views(self, session: Session, assignment_id: int) -> list[CheckView]:
        rows = session.execute(
            select(AttentionCheck, Segment.position, Segment.article_id, User.name)
            .join(Segment, Segment.id == AttentionCheck.segment_id)
            .join(Assignment, Assignment.id == AttentionCheck.assignment_id)
            .join(User, User.id == Assignment.user_id)
            .where(AttentionCheck.assignment_id == assignment_id)
            .order_by(AttentionCheck.id)).all()
        return [CheckView(c.id, name, article_id, position + 1, c.kind, c.text[c.start:c.end],
                          c.result, c.attempts, c.retry_passed, c.text)
                for c, position, article_id, name in rows]


    def rate_queue_item(self, actor: Actor, assignment_id: int, ref: str,
                        score: int | None) -> int | None:
        with self.store.read() as session:
            assignment = self._own_assignment(session, actor, assignment_id)
            kind, item_id = self._resolve(session, assignment, ref)
        if kind == "c":
            return score
        return self.ratings.rate_segment(actor, item_id, score)

def _occurrences(text: str, start: int | None, end: int | None
                 ) -> list[tuple[int | None, int | None]]:
    """The flagged span and every other place its words occur: a reviewer who marks words
    by typing them cannot say which occurrence they meant, so any one may catch a check
    (a single character only where it stands alone, like a changed digit: inside words it
    would occur everywhere)."""
    if start is None or end is None or end <= start:
        return [(start, end)]
    needle = text[start:end]
    if not needle.strip():
        return [(start, end)]
    found: list[tuple[int | None, int | None]] = [(start, end)]
    at = text.find(needle)
    while at >= 0:
        if at != start and (len(needle.strip()) > 1 or _alone(text, at, at + len(needle))):
            found.append((at, at + len(needle)))
        at = text.find(needle, at + 1)
    return found


def _alone(text: str, start: int, end: int) -> bool:
    return ((start == 0 or not text[start - 1].isalnum())
            and (end >= len(text) or not text[end].isalnum()))


def _ref(assignment: Assignment, kind: str, item_id: int) -> str:
    """An opaque reference, the same on every visit, that does not say what the item is."""
    key = f"{assignment.id}:{as_utc(assignment.created_at).isoformat()}:{kind}:{item_id}"
    return hashlib.blake2b(key.encode(), digest_size=6).hexdigest()


def _queue_segments(session: Session, assignment: Assignment, *,
                    residue: bool = False) -> list[Segment]:
    query = select(Segment).where(Segment.article_id == assignment.article_id)
    if not residue:
        query = query.where(Segment.kind.in_(CONTENT_KINDS), Segment.mt != "")
    query = query.where(range_condition(assignment.first_position, assignment.last_position))
    return list(session.scalars(query.order_by(Segment.position)))
