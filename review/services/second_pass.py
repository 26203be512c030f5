"""Second pass (R2): another reviewer accepts, rejects or changes the first reviewer's flags
and adds the ones R1 missed. Every decision is kept in ``flag_reviews`` with the flag as it
was before, so the final MQM uses the decisions and the first pass's score stays available.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor, can, require
from review.core.errors import InputError, NotFound, PermissionDenied
from review.core.vocab import CONTENT_KINDS, MQM_CATEGORIES, R2_DECISIONS, SEVERITIES
from review.db.models import Article, Assignment, Flag, FlagReview, Revision, Segment, User, utcnow
from review.db.rows import existing
from review.db.store import Store
from review.quality.agreement import agreement_table
from review.services.access import Access
from review.services.base import Service, audit
from review.services.dashboards import ReportServices
from review.services.flagging import FlagServices
from review.services.views import FlagView


@dataclass(frozen=True)
class FirstPassFlag:
    """An R1 flag as the second reviewer works on it, with the latest decision."""

    flag_id: int
    segment_id: int
    segment_number: int
    text: str
    start: int | None
    end: int | None
    category: str
    severity: str
    author: str
    decision: str | None


@dataclass(frozen=True)
class SegmentFlag:
    """One flag on a corrected segment, as the second pass lists it."""

    flag_id: int
    span: str  # the flagged words of the MT; empty for a flag on the whole segment
    category: str
    severity: str
    note: str
    author: str


@dataclass(frozen=True)
class CorrectedSegment:
    """A segment as the second reviewer checks it: the MT, the first pass's correction, and
    the flags split into the first pass's (read-only here) and the second reviewer's own."""

    segment_id: int
    number: int
    mt: str
    current: str
    status: str
    version: int
    first_pass_flags: tuple[SegmentFlag, ...]
    own_flags: tuple[SegmentFlag, ...]


@dataclass(frozen=True)
class PassScores:
    """The team's MQM of an article as the first pass left it and after the second pass's
    decisions: points per rated segment and per 1,000 words of them."""

    article_id: int
    r1_mqm: float
    final_mqm: float
    r1_per_1000: float
    final_per_1000: float
    segments: int
    words: int


@dataclass(frozen=True)
class SecondPassAgreement:
    by_category: pd.DataFrame
    by_reviewer: pd.DataFrame


def _snapshot(flag: Flag) -> dict:
    return {"category": flag.category, "severity": flag.severity, "start": flag.start,
            "end": flag.end, "state": flag.state}


class SecondPassServices(Service):
    """Assign a second pass, record its decisions, score both passes."""

    def __init__(self, store: Store, access: Access, flags: FlagServices,
                 reports: ReportServices) -> None:
        super().__init__(store, access)
        self.flags = flags
        self.reports = reports

    def assign_second_pass(self, actor: Actor, article_id: int, user_name: str) -> int:
        """Give a reviewed article to a second reviewer; returns the assignment's id."""
        with self.store.write() as session:
            article = self.access.require_article(session, actor, article_id, "article.assign")
            todo = session.scalar(select(func.count()).select_from(Segment).where(
                Segment.article_id == article_id, Segment.kind.in_(CONTENT_KINDS),
                Segment.status == "todo")) or 0
            if todo:
                total = content_segments(session, article_id)
                raise InputError(
                    f"article {article_id} is not reviewed yet: {todo} of {total} segments are "
                    "still to do; a second pass checks a finished first pass")
            user = session.scalar(select(User).where(User.name == user_name))
            if user is None or not user.active:
                raise NotFound(f"no active account named {user_name!r}")
            if user.name in _first_pass_authors(session, article_id):
                raise InputError(f"{user.name} worked on the first pass of this article; "
                                 "a second pass needs another reviewer")
            row = Assignment(article_id=article_id, user_id=user.id, review_pass=2,
                             created_by=actor.name)
            session.add(row)
            article.meta = {**(article.meta or {}), "second_pass": True}
            session.flush()
            audit(session, actor, "assign_second_pass", article_id=article_id,
                  user=user.name, assignment_id=row.id)
            return row.id

    def first_pass_flags(self, actor: Actor, article_id: int) -> list[FirstPassFlag]:
        """The flags the second reviewer decides on, in segment order."""
        with self.store.read() as session:
            self._require_second_reviewer(session, actor, article_id)
            rows = session.execute(
                select(Flag, Segment.position, Segment.mt)
                .join(Segment, Segment.id == Flag.segment_id)
                .where(Segment.article_id == article_id, Flag.candidate_id.is_(None),
                       Flag.origin.in_(("reviewer", "import")))
                .order_by(Segment.position, Flag.id)).all()
            latest = _latest_decisions(session, [f.id for f, _, _ in rows])
            return [FirstPassFlag(f.id, f.segment_id, position + 1, mt, f.start, f.end,
                                  f.category, f.severity, f.author, latest.get(f.id))
                    for f, position, mt in rows if latest.get(f.id) != "add"]

    def corrected_segments(self, actor: Actor, article_id: int) -> list[CorrectedSegment]:
        """The segments the first pass corrected, and any the second reviewer flagged, in
        order: the second reviewer checks each correction against the MT."""
        with self.store.read() as session:
            self._require_second_reviewer(session, actor, article_id)
            segments = session.scalars(select(Segment).where(
                Segment.article_id == article_id, Segment.kind.in_(CONTENT_KINDS))
                .order_by(Segment.position)).all()
            flags = session.scalars(
                select(Flag).join(Segment, Segment.id == Flag.segment_id)
                .where(Segment.article_id == article_id, Flag.candidate_id.is_(None),
                       Flag.origin.in_(("reviewer", "import")))
                .order_by(Flag.id)).all()
            by_segment: dict[int, list[Flag]] = {}
            for flag in flags:
                by_segment.setdefault(flag.segment_id, []).append(flag)
            out = []
            for seg in segments:
                own = tuple(_segment_flag(f, seg.mt) for f in by_segment.get(seg.id, [])
                            if f.author == actor.name)
                if seg.current == seg.mt and not own:
                    continue
                first = tuple(_segment_flag(f, seg.mt) for f in by_segment.get(seg.id, [])
                              if f.author != actor.name)
                out.append(CorrectedSegment(seg.id, seg.position + 1, seg.mt, seg.current,
                                            seg.status, seg.version, first, own))
            return out

    def decide_flag(self, actor: Actor, flag_id: int, decision: str, *,
                    category: str | None = None, severity: str | None = None,
                    start: int | None = None, end: int | None = None,
                    note: str = "") -> FirstPassFlag:
        """Accept, reject or change (category, severity, span) one first-pass flag."""
        if decision not in R2_DECISIONS or decision == "add":
            raise InputError(f"unknown decision {decision!r}; use accept, reject or change")
        with self.store.write() as session:
            flag = session.get(Flag, flag_id)
            if flag is None:
                raise NotFound(f"no flag with id {flag_id}")
            seg = existing(session, Segment, flag.segment_id)
            self._require_second_reviewer(session, actor, seg.article_id)
            if flag.author == actor.name:
                raise PermissionDenied("a second pass decides on somebody else's flags")
            before = _snapshot(flag)
            if decision == "change":
                _change(flag, seg.mt, category, severity, start, end)
            flag.state = "dismissed" if decision == "reject" else "confirmed"
            flag.updated_at = utcnow()
            session.add(FlagReview(flag_id=flag.id, reviewer=actor.name, decision=decision,
                                   before=before, after=_snapshot(flag), note=note))
            audit(session, actor, f"r2_{decision}", article_id=seg.article_id,
                  segment_id=seg.id, flag_id=flag.id, category=flag.category,
                  severity=flag.severity)
            return FirstPassFlag(flag.id, seg.id, seg.position + 1, seg.mt, flag.start,
                                 flag.end, flag.category, flag.severity, flag.author, decision)

    def add_missing_flag(self, actor: Actor, segment_id: int, category: str, severity: str, *,
                         start: int | None = None, end: int | None = None,
                         note: str = "") -> FlagView:
        """A flag the first pass missed, recorded as the second pass's addition."""
        with self.store.read() as session:
            seg = session.get(Segment, segment_id)
            if seg is None:
                raise NotFound(f"no segment with id {segment_id}")
            self._require_second_reviewer(session, actor, seg.article_id)
        view = self.flags.add_flag(actor, segment_id, category, severity, start=start, end=end,
                             note=note)
        with self.store.write() as session:
            flag = existing(session, Flag, view.id)
            session.add(FlagReview(flag_id=flag.id, reviewer=actor.name, decision="add",
                                   before={}, after=_snapshot(flag), note=note))
        return view

    def pass_scores(self, actor: Actor, article_id: int) -> PassScores:
        """The team's MQM of the article before and after the second pass (the same figure
        as the dashboards and the verdicts, ``ReportServices.article_mqm``)."""
        with self.store.read() as session:
            self.access.require_article(session, actor, article_id, "dashboard.view")
        r1 = self.reports.article_mqm(actor, [article_id], "team", first_pass=True)[article_id]
        final = self.reports.article_mqm(actor, [article_id], "team")[article_id]
        return PassScores(article_id, r1.per_segment, final.per_segment, r1.per_1000_words,
                          final.per_1000_words, final.segments, round(final.words))

    def second_pass_agreement(self, actor: Actor) -> SecondPassAgreement:
        """R1 flags kept, changed and rejected by R2 (and R2's additions), per category and
        per first reviewer; the latest decision on each flag counts."""
        require(actor, "dashboard.view")
        with self.store.read() as session:
            rows = session.execute(
                select(FlagReview.flag_id, FlagReview.decision, FlagReview.before,
                       Flag.category, Flag.author, Flag.segment_id)
                .join(Flag, Flag.id == FlagReview.flag_id).order_by(FlagReview.id)).all()
        latest: dict[int, dict] = {}
        for flag_id, decision, before, category, author, segment_id in rows:
            first = latest.get(flag_id, {}).get("category") or \
                (before or {}).get("category") or category
            latest[flag_id] = {"unit": segment_id, "category": first, "decision": decision,
                               "r1": "" if decision == "add" else author}
        decisions = pd.DataFrame(list(latest.values()),
                                 columns=["unit", "r1", "category", "decision"])
        return SecondPassAgreement(agreement_table(decisions, "category"),
                                   agreement_table(decisions, "r1"))

    def _require_second_reviewer(self, session: Session, actor: Actor,
                                 article_id: int) -> Article:
        article = self.access.require_article(session, actor, article_id, "flag.edit")
        if can(actor, "article.read_all"):
            return article
        second = session.scalar(select(Assignment.id).where(
            Assignment.article_id == article_id, Assignment.user_id == actor.user_id,
            Assignment.review_pass == 2))
        if second is None:
            raise PermissionDenied(f"{actor.name} has no second-pass assignment on article "
                                   f"{article_id}")
        return article


def _segment_flag(flag: Flag, mt: str) -> SegmentFlag:
    span = mt[flag.start:flag.end] if flag.start is not None and flag.end is not None else ""
    return SegmentFlag(flag.id, span, flag.category, flag.severity, flag.note or "",
                       flag.author)


def _change(flag: Flag, text: str, category: str | None, severity: str | None,
            start: int | None, end: int | None) -> None:
    if category is not None and category not in MQM_CATEGORIES:
        raise InputError(f"unknown MQM category {category!r}")
    if severity is not None and severity not in SEVERITIES:
        raise InputError(f"unknown severity {severity!r}; use one of {', '.join(SEVERITIES)}")
    if (start is None) != (end is None) or (
            start is not None and end is not None and not 0 <= start <= end <= len(text)):
        raise InputError(f"span {start}-{end} lies outside the text (0-{len(text)})")
    if category is None and severity is None and start is None:
        raise InputError("a change names a new category, severity or span")
    flag.category = category or flag.category
    flag.severity = severity or flag.severity
    if start is not None:
        flag.start, flag.end = start, end


def _latest_decisions(session: Session, flag_ids: list[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for flag_id, decision in session.execute(
            select(FlagReview.flag_id, FlagReview.decision)
            .where(FlagReview.flag_id.in_(flag_ids)).order_by(FlagReview.id)):
        out[flag_id] = decision
    return out


def _first_pass_authors(session: Session, article_id: int) -> set[str]:
    segment_ids = select(Segment.id).where(Segment.article_id == article_id)
    flags = session.scalars(select(Flag.author).where(
        Flag.segment_id.in_(segment_ids), Flag.origin == "reviewer")).all()
    edits = session.scalars(select(Revision.author).where(
        Revision.segment_id.in_(segment_ids))).all()
    return set(flags) | set(edits)


def content_segments(session: Session, article_id: int) -> int:
    return len(session.scalars(select(Segment.id).where(
        Segment.article_id == article_id, Segment.kind.in_(CONTENT_KINDS))).all())
