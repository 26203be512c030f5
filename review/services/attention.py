"""Attention checks: corrupted copies of real segments placed in a reviewer's queue.

A check lives in its own table, never among the article's segments, so exports, scores,
MQM reports and progress counts cannot include one by mistake. The reviewer's queue mixes
checks and segments under opaque references, so nothing in what a reviewer is handed tells
the two apart.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, replace

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor, can, require
from review.core.errors import InputError, NotFound, PermissionDenied
from review.core.vocab import (
    CHECK_MODES,
    CONTENT_KINDS,
    CORRUPTION_LABELS,
    LOUD_TRIES,
    MAX_CHECK_RATE,
    OMISSION_CATEGORY,
)
from review.db.models import Assignment, AttentionCheck, Segment, Setting, User, utcnow
from review.db.rows import existing
from review.db.store import Store
from review.quality.attention import any_corruption, catches, occurrences, queue_numbers
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
    done: bool = False
    """The reviewer moved on from it already: the queue resumes at the first item not done."""


@dataclass(frozen=True)
class CheckOutcome:
    """What the reviewer is told after an item (loud mode only says anything)."""

    message: str
    retry: bool
    reveal: tuple[int, int] | None = None
    """Where the error was, once loud mode has shown it and moved on."""


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
            place_checks(session, assignment, float(rate), mode)
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
        """The assignment's segments in order with its checks placed among them, numbered
        "n of the real items" so the count gives no check away."""
        with self.store.read() as session:
            assignment = self._own_assignment(session, actor, assignment_id)
            checks = session.scalars(select(AttentionCheck).where(
                AttentionCheck.assignment_id == assignment_id)).all()
            by_position: dict[int, list[AttentionCheck]] = {}
            for check in sorted(checks, key=lambda c: c.id):
                by_position.setdefault(check.after_position, []).append(check)
            done = set(assignment.queue_done or [])
            items: list[QueueItem] = []
            for seg in _queue_segments(session, assignment, residue=True):
                ref = _ref(assignment, "s", seg.id)
                items.append(QueueItem(ref, 0, seg.kind, seg.source, seg.mt, seg.status,
                                       ref in done))
                for check in by_position.get(seg.position, []):
                    original = existing(session, Segment, check.segment_id)
                    status = "flagged" if check.result == "passed" or check.retry_passed \
                        else "todo"
                    items.append(QueueItem(_ref(assignment, "c", check.id), 0,
                                           original.kind, original.source, check.text,
                                           status, check.result != "pending"))
            numbers = queue_numbers(len(items), len(items) - len(checks))
            return [replace(item, number=n) for item, n in zip(items, numbers)]

    def flag_queue_item(self, actor: Actor, assignment_id: int, ref: str, category: str,
                        severity: str, *, start: int | None = None, end: int | None = None,
                        note: str = "") -> FlagView | None:
        """A flag on a queue item: stored on a segment, judged (and not stored) on a check."""
        with self.store.write() as session:
            assignment = self._own_assignment(session, actor, assignment_id)
            kind, item_id = self._resolve(session, assignment, ref)
            if kind == "c":
                check = existing(session, AttentionCheck, item_id)
                mark = check.kind == "omission" and category == OMISSION_CATEGORY
                if any(catches(s, e, (check.start, check.end), omission_mark=mark)
                       for s, e in occurrences(check.text, start, end)):
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
        reviewer is told and may retry, and after the set number of tries is shown the
        error and moves on (still missed)."""
        with self.store.write() as session:
            assignment = self._own_assignment(session, actor, assignment_id)
            kind, item_id = self._resolve(session, assignment, ref)
            if ref not in (assignment.queue_done or []):
                assignment.queue_done = [*(assignment.queue_done or []), ref]
            if kind != "c":
                return None
            check = existing(session, AttentionCheck, item_id)
            check.tries = (check.tries or 0) + 1
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
            label = CORRUPTION_LABELS[check.kind]
            if check.tries >= _loud_tries(session):
                error = check.text[check.start:check.end]
                return CheckOutcome(
                    f"This was an attention check. The error was “{error}” ({label}); it is "
                    "recorded as missed. On to the next item.",
                    retry=False, reveal=(check.start, check.end))
            return CheckOutcome(
                f"This was an attention check with an injected error ({label}). Read it "
                "again and flag the error.", retry=True)

    def set_loud_tries(self, actor: Actor, tries: int) -> int:
        """How many times loud mode lets a reviewer look for a missed error before it shows
        the error and moves on (1-10)."""
        require(actor, "article.assign")
        if isinstance(tries, bool) or not isinstance(tries, int) or not 1 <= tries <= 10:
            raise InputError(f"loud mode allows 1 to 10 tries, not {tries!r}")
        with self.store.write() as session:
            row = session.get(Setting, LOUD_TRIES_KEY)
            if row is None:
                session.add(Setting(key=LOUD_TRIES_KEY, value={"tries": tries}))
            else:
                row.value = {"tries": tries}
            audit(session, actor, "setting", key=LOUD_TRIES_KEY, tries=tries)
        return tries

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

def place_checks(session: Session, assignment: Assignment, rate: float, mode: str) -> None:
    """Set the assignment's checks inside the caller's transaction: unanswered ones are
    replaced, and none is placed next to the segment it copies (the pair would give it
    away)."""
    assignment.check_rate, assignment.check_mode = float(rate), mode
    session.execute(delete(AttentionCheck).where(
        AttentionCheck.assignment_id == assignment.id, AttentionCheck.result == "pending"))
    segments = _queue_segments(session, assignment)
    order = [seg.position for seg in _queue_segments(session, assignment, residue=True)]
    want = round(float(rate) * len(segments))
    if rate > 0 and segments:
        want = max(1, want)
    rng = random.Random(f"{assignment.id}:{utcnow().isoformat()}")
    for seg in rng.sample(segments, len(segments)):
        if want <= 0:
            break
        at = order.index(seg.position)
        near = {seg.position, order[at - 1] if at > 0 else None}
        places = [p for p in order if p not in near]
        found = any_corruption(seg.mt, rng) if places else None
        if found is None:
            continue
        session.add(AttentionCheck(
            assignment_id=assignment.id, segment_id=seg.id, after_position=rng.choice(places),
            kind=found.kind, text=found.text, start=found.start, end=found.end))
        want -= 1
    session.flush()


LOUD_TRIES_KEY = "attention_loud_tries"


def _loud_tries(session: Session) -> int:
    row = session.get(Setting, LOUD_TRIES_KEY)
    return int(row.value.get("tries", LOUD_TRIES)) if row is not None else LOUD_TRIES


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
