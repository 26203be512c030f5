"""Campaigns: articles, reviewers, mode, attention checks, due date and second pass set up
from one file, and their progress found again by the campaign's name.

Files named by the campaign are imported first (each import is all or nothing by itself);
everything else (accounts, one-time links, assignments, checks, the campaign row) is written
in one transaction. If that fails, the articles this campaign imported are deleted again, so
on any error nothing of the campaign stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from review.accounts.names import name_key
from review.accounts.permissions import Actor, require
from review.core.errors import InputError, NotFound
from review.core.vocab import CONTENT_KINDS
from review.db.models import (
    Article,
    Assignment,
    AttentionCheck,
    AuditEvent,
    Campaign,
    Flag,
    Revision,
    Segment,
    SegmentRating,
    User,
)
from review.db.store import Store
from review.formats.base import ReadOptions
from review.services.access import Access, range_condition
from review.services.attention import place_checks
from review.services.base import Service, as_utc, audit, listed
from review.services.campaign_file import ArticleRef, CampaignSpec
from review.services.imports import ImportServices
from review.services.invitations import issue_link


@dataclass(frozen=True)
class ReviewerLink:
    """A campaign reviewer and the one-time link that sets their password (None where the
    account existed with a password already)."""

    name: str
    created: bool
    path: str | None
    second_pass: bool = False


@dataclass
class CampaignCreated:
    id: int
    name: str
    article_ids: list[int]
    assignments: int
    links: list[ReviewerLink]
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "article_ids": self.article_ids,
                "assignments": self.assignments, "warnings": self.warnings,
                "links": [{"reviewer": r.name, "created": r.created, "link": r.path,
                           "second_pass": r.second_pass} for r in self.links]}


@dataclass(frozen=True)
class ProgressRow:
    """One reviewer on one article: segments assigned, segments they worked on, checks."""

    reviewer: str
    article_id: int
    title: str
    review_pass: int
    segments: int
    done: int
    checks: int
    checks_caught: int


@dataclass
class CampaignStatus:
    name: str
    mode: str
    due_at: datetime | None
    second_reviewer: str
    rows: list[ProgressRow]

    def to_json(self) -> dict:
        return {"name": self.name, "mode": self.mode,
                "due": self.due_at.date().isoformat() if self.due_at else None,
                "second_reviewer": self.second_reviewer or None,
                "progress": [vars(r) for r in self.rows]}


class CampaignServices(Service):
    """Create a campaign from a checked spec, and report its progress."""

    def __init__(self, store: Store, access: Access, imports: ImportServices) -> None:
        super().__init__(store, access)
        self.imports = imports

    def create_campaign(self, actor: Actor, spec: CampaignSpec) -> CampaignCreated:
        """Set up everything ``spec`` describes, or nothing of it."""
        require(actor, "article.assign")
        require(actor, "users.invite")
        with self.store.read() as session:
            self._precheck(session, actor, spec)
        imported: list[int] = []
        try:
            for ref in spec.articles:
                if ref.file is not None:
                    options = ReadOptions(origin=ref.file.name,
                                          source_lang=ref.options.get("source_lang"),
                                          target_lang=ref.options.get("target_lang"),
                                          encoding=ref.options.get("encoding"))
                    report = self.imports.import_path(actor, ref.file, ref.format, options,
                                                      again=ref.again)
                    imported += [a.id for a in report.articles]
            with self.store.write() as session:
                return self._store(session, actor, spec, imported)
        except BaseException:
            if imported:
                with self.store.write() as session:
                    session.execute(delete(Article).where(Article.id.in_(imported)))
            raise

    def campaign_status(self, actor: Actor, name: str) -> CampaignStatus:
        """Progress per reviewer and article: segments assigned, worked on, checks caught."""
        require(actor, "article.assign")
        with self.store.read() as session:
            row = session.scalar(select(Campaign).where(Campaign.name == name))
            if row is None:
                raise NotFound(f"no campaign named {name!r}")
            rows = session.execute(
                select(Assignment, User.name, Article.title)
                .join(User, User.id == Assignment.user_id)
                .join(Article, Article.id == Assignment.article_id)
                .where(Assignment.id.in_(row.assignment_ids or []))
                .order_by(User.name, Assignment.article_id)).all()
            progress = [self._progress(session, a, user, title) for a, user, title in rows]
            if row.second_reviewer:
                progress += [self._progress(session, a, user, title) for a, user, title in
                             session.execute(
                                 select(Assignment, User.name, Article.title)
                                 .join(User, User.id == Assignment.user_id)
                                 .join(Article, Article.id == Assignment.article_id)
                                 .where(User.name == row.second_reviewer,
                                        Assignment.review_pass == 2,
                                        Assignment.article_id.in_(row.article_ids or [])))]
            return CampaignStatus(row.name, row.mode, as_utc(row.due_at) if row.due_at else None,
                                  row.second_reviewer, progress)

    # ------------------------------------------------------------ helpers
    def _precheck(self, session: Session, actor: Actor, spec: CampaignSpec) -> None:
        """Everything that can be refused before anything is stored."""
        if session.scalar(select(Campaign.id).where(Campaign.name == spec.name)) is not None:
            raise InputError(f"a campaign named {spec.name!r} exists already")
        for ref in spec.articles:
            if ref.file is None:
                self._article_id(session, actor, ref)
        for name in [*spec.reviewers, *([spec.second_reviewer] if spec.second_reviewer
                                        else [])]:
            user = session.scalar(select(User).where(User.name_key == name_key(name)))
            if user is None:
                continue
            if user.name != name:
                raise InputError(f"campaign file: reviewer {name!r} looks like the existing "
                                 f"account {user.name!r}; use that name or another one")
            if not user.active:
                raise InputError(f"campaign file: reviewer {name!r} is deactivated")

    def _article_id(self, session: Session, actor: Actor, ref: ArticleRef) -> int:
        if ref.id is not None:
            self.access.require_article(session, actor, ref.id, "article.assign")
            return ref.id
        ids = session.scalars(select(Article.id).where(Article.title == ref.title,
                                                       listed())).all()
        if not ids:
            raise NotFound(f"campaign file: no article titled {ref.title!r}")
        if len(ids) > 1:
            raise InputError(f"campaign file: {len(ids)} articles are titled {ref.title!r}; "
                             f"name one by id ({', '.join(map(str, ids))})")
        self.access.require_article(session, actor, ids[0], "article.assign")
        return ids[0]

    def _store(self, session: Session, actor: Actor, spec: CampaignSpec,
               imported: list[int]) -> CampaignCreated:
        article_ids = list(dict.fromkeys(
            [self._article_id(session, actor, ref) for ref in spec.articles
             if ref.file is None] + imported))
        links, users = [], {}
        for name in spec.reviewers + ([spec.second_reviewer] if spec.second_reviewer else []):
            user, created, link = self._account(session, actor, name, spec.link_hours)
            users[name] = user
            links.append(ReviewerLink(name, created, link, name == spec.second_reviewer))
        due = datetime.combine(spec.due, time(23, 59), tzinfo=UTC) if spec.due else None
        assignment_ids: list[int] = []
        for article_id in article_ids:
            for name in spec.reviewers:
                row = Assignment(article_id=article_id, user_id=users[name].id, mode=spec.mode,
                                 due_at=due, created_by=actor.name)
                session.add(row)
                session.flush()
                if spec.check_rate > 0:
                    place_checks(session, row, spec.check_rate, spec.check_mode)
                else:
                    row.check_mode = spec.check_mode
                assignment_ids.append(row.id)
        campaign = Campaign(name=spec.name, created_by=actor.name, mode=spec.mode,
                            check_rate=spec.check_rate, check_mode=spec.check_mode, due_at=due,
                            second_reviewer=spec.second_reviewer or "",
                            article_ids=article_ids, reviewers=spec.reviewers,
                            assignment_ids=assignment_ids)
        session.add(campaign)
        session.flush()
        audit(session, actor, "campaign", name=spec.name, articles=article_ids,
              reviewers=spec.reviewers, mode=spec.mode, check_rate=spec.check_rate,
              check_mode=spec.check_mode, second_reviewer=spec.second_reviewer)
        return CampaignCreated(campaign.id, spec.name, article_ids, len(assignment_ids), links)

    @staticmethod
    def _account(session: Session, actor: Actor, name: str,
                 hours: float) -> tuple[User, bool, str | None]:
        """The reviewer's account (made without a password if missing) and, where it has no
        password, a one-time link to set one."""
        user = session.scalar(select(User).where(User.name == name))
        created = user is None
        if user is None:
            user = User(name=name, name_key=name_key(name), role="reviewer",
                        password_hash=None, active=True)
            session.add(user)
            session.flush()
            audit(session, actor, "user_add", user=name, role="reviewer", campaign=True)
        if user.password_hash is not None:
            return user, created, None
        return user, created, issue_link(session, actor, "reset", name, user.role, hours,
                                         target=user).path

    @staticmethod
    def _progress(session: Session, a: Assignment, user: str, title: str) -> ProgressRow:
        ids = set(session.scalars(select(Segment.id).where(
            Segment.article_id == a.article_id, Segment.kind.in_(CONTENT_KINDS),
            Segment.mt != "", range_condition(a.first_position, a.last_position))))
        touched: set[int] = set()
        for stmt in (select(Revision.segment_id).where(Revision.author == user),
                     select(SegmentRating.segment_id).where(SegmentRating.author == user),
                     select(Flag.segment_id).where(Flag.author == user),
                     select(AuditEvent.segment_id).where(AuditEvent.actor == user,
                                                         AuditEvent.action == "status",
                                                         AuditEvent.article_id == a.article_id)):
            touched |= ids.intersection(session.scalars(stmt))
        checks = session.scalars(select(AttentionCheck.result).where(
            AttentionCheck.assignment_id == a.id)).all()
        return ProgressRow(user, a.article_id, title, a.review_pass, len(ids), len(touched),
                           len(checks), sum(r == "passed" for r in checks))
