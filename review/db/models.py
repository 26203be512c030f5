"""ORM tables: the nouns of docs/architecture.md, one class each.

Kept free of behaviour: services own the rules, the store owns sessions and transactions.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from review.accounts.names import name_key
from review.db.base import Base, utcnow
from review.db.operations import (
    Campaign,
    CheckNorms,
    DataVersion,
    Job,
    LoginAttempt,
    MergeSnapshot,
    OneTimeToken,
    Presence,
    ScoreCache,
    Setting,
    TranslationCacheEntry,
)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (Index("uq_users_name_key", "name_key", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_key: Mapped[str | None] = mapped_column(String(400), nullable=True)
    """Case- and look-alike-folded name (``review.accounts.names``); unique in the database."""
    role: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(320), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Moves on at logout, password change or reset, role change and (de)activation: every
    session token and logged-in page carrying an older number stops working."""
    rights_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Moves on at a role change and (de)activation: one-time links made by or for the
    account at an older number stop working."""

    @validates("name")
    def _keep_name_key(self, _attribute: str, value: str) -> str:
        self.name_key = name_key(value)
        return value


class Article(Base):
    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    source_lang: Mapped[str] = mapped_column(String(16), default="")
    target_lang: Mapped[str] = mapped_column(String(16), default="en")
    origin: Mapped[str] = mapped_column(Text, default="")
    publisher: Mapped[str] = mapped_column(Text, default="")
    mt_system: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="new")
    batch: Mapped[str] = mapped_column(String(64), default="")
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    content_digest: Mapped[str] = mapped_column(String(64), default="", index=True)
    """Digest of the imported segments' texts, to notice the same file imported again."""
    segments: Mapped[list[Segment]] = relationship(
        back_populates="article", order_by="Segment.position", cascade="all, delete-orphan"
    )


class OriginalFile(Base):
    """The file an XLIFF or TMX import read, compressed, so that an export can write the
    review back into it (``review.formats.originals``); one per import (``batch``)."""

    __tablename__ = "original_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Segment(Base):
    __tablename__ = "segments"
    __table_args__ = (
        UniqueConstraint("article_id", "position", name="uq_segment_position"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    paragraph: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20), default="body")
    source: Mapped[str] = mapped_column(Text, default="")
    mt: Mapped[str] = mapped_column(Text, default="")
    current: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="todo")
    external_id: Mapped[str] = mapped_column(String(200), default="")
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    risk: Mapped[float | None] = mapped_column(Float, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(120), default="")
    article: Mapped[Article] = relationship(back_populates="segments")


class Candidate(Base):
    """Another translation of a segment: model retranslation, imported system, reference."""

    __tablename__ = "candidates"
    __table_args__ = (UniqueConstraint("segment_id", "system", name="uq_candidate_system"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segments.id", ondelete="CASCADE"), index=True
    )
    system: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="import")  # model|import|reference
    text: Mapped[str] = mapped_column(Text, default="")
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Revision(Base):
    __tablename__ = "revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segments.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(20), default="edit")  # edit|restore|import
    author: Mapped[str] = mapped_column(String(120), default="")
    seconds_spent: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Flag(Base):
    __tablename__ = "flags"
    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segments.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), nullable=True, index=True
    )
    span_in: Mapped[str] = mapped_column(String(10), default="target")
    start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    category: Mapped[str] = mapped_column(String(120))
    severity: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(120), default="")
    origin: Mapped[str] = mapped_column(String(20), default="reviewer")
    check_name: Mapped[str] = mapped_column(String(60), default="")
    state: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SegmentScore(Base):
    """A stored metric value with the signature that produced it (rescored per edit)."""

    __tablename__ = "segment_scores"
    __table_args__ = (
        UniqueConstraint("segment_id", "comparison", "metric", name="uq_segment_score"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segments.id", ondelete="CASCADE"), index=True
    )
    comparison: Mapped[str] = mapped_column(String(300))
    metric: Mapped[str] = mapped_column(String(20))
    value: Mapped[float] = mapped_column(Float)
    signature: Mapped[str] = mapped_column(Text, default="")
    text_hash: Mapped[str] = mapped_column(String(64), default="")
    stats: Mapped[list | None] = mapped_column(JSON, nullable=True)
    """The metric's sufficient statistics for this pair: corpus scores are their sums."""


class Assignment(Base):
    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    first_position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    mode: Mapped[str] = mapped_column(String(20), default="post_edit")
    review_pass: Mapped[int] = mapped_column(Integer, default=1)
    check_rate: Mapped[float] = mapped_column(Float, default=0.0)
    check_mode: Mapped[str] = mapped_column(String(10), default="silent")
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    queue_done: Mapped[list | None] = mapped_column(JSON, nullable=True)
    """Queue references the reviewer moved on from: the queue resumes after them."""


class AuditEvent(Base):
    """Append-only trail of who changed what; never updated in place."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_article_segment", "article_id", "segment_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120), default="")
    action: Mapped[str] = mapped_column(String(40))
    article_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    segment_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class AttentionCheck(Base):
    """A corrupted copy of a real segment shown in one assignment's queue; it lives apart
    from ``segments`` so no export, score or MQM report can ever count it."""

    __tablename__ = "attention_checks"
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"))
    after_position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    result: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    retry_passed: Mapped[bool] = mapped_column(Boolean, default=False)
    tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Times the reviewer moved on from it: loud mode shows the error after a set number."""
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FlagReview(Base):
    """A second reviewer's decision on a flag, with the flag as it was before (R1's)."""

    __tablename__ = "flag_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("flags.id", ondelete="CASCADE"),
                                         index=True)
    reviewer: Mapped[str] = mapped_column(String(120))
    decision: Mapped[str] = mapped_column(String(10))
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SegmentRating(Base):
    """A rating-only reviewer's 0-100 score of a segment (ESA)."""

    __tablename__ = "segment_ratings"
    __table_args__ = (UniqueConstraint("segment_id", "author", name="uq_segment_rating"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"),
                                            index=True)
    author: Mapped[str] = mapped_column(String(120))
    score: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


__all__ = [
    "Article",
    "Assignment",
    "AttentionCheck",
    "AuditEvent",
    "Base",
    "Campaign",
    "Candidate",
    "CheckNorms",
    "DataVersion",
    "Flag",
    "FlagReview",
    "Job",
    "LoginAttempt",
    "MergeSnapshot",
    "OneTimeToken",
    "OriginalFile",
    "Presence",
    "Revision",
    "ScoreCache",
    "Segment",
    "SegmentRating",
    "SegmentScore",
    "Setting",
    "TranslationCacheEntry",
    "User",
    "utcnow",
]
