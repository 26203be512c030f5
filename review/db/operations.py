"""ORM tables that support the work rather than describe it: settings, caches, logins and
one-time links, presence, jobs and campaigns. ``review.db.models`` re-exports them, so
every table is still found there."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
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
from sqlalchemy.orm import Mapped, mapped_column

from review.db.base import Base, utcnow


class ScoreCache(Base):
    """An article's scores for one comparison, valid while its fingerprint holds.

    The fingerprint sums up what the scores depend on (segment versions and counts, the
    candidates compared with, the metrics' signatures); an unchanged article is rescored
    by reading this one row.
    """

    __tablename__ = "score_cache"
    __table_args__ = (UniqueConstraint("article_id", "comparison", name="uq_score_cache"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    comparison: Mapped[str] = mapped_column(String(300))
    fingerprint: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)


class CheckNorms(Base):
    """An article's norms for the QA checks (length ratios, names, term renderings), kept so
    that the first save after a restart checks one segment instead of reading the article.

    Valid while ``version`` (its segment and candidate counts and newest ids) holds.
    """

    __tablename__ = "check_norms"
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"),
                                            primary_key=True)
    version: Mapped[str] = mapped_column(String(200))
    stats: Mapped[dict] = mapped_column(JSON, default=dict)


class TranslationCacheEntry(Base):
    __tablename__ = "translation_cache"
    __table_args__ = (
        UniqueConstraint("model_key", "mode", "src_lang", "tgt_lang", "text_hash",
                         name="uq_translation_cache"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    model_key: Mapped[str] = mapped_column(String(300))
    mode: Mapped[str] = mapped_column(String(20))
    src_lang: Mapped[str] = mapped_column(String(16))
    tgt_lang: Mapped[str] = mapped_column(String(16))
    text_hash: Mapped[str] = mapped_column(String(64))
    output: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempt_name_at", "name", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    client: Mapped[str] = mapped_column(String(120), default="")
    success: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON, default=dict)


class OneTimeToken(Base):
    """An invitation or password-reset link: only the digest of its secret is stored."""

    __tablename__ = "one_time_tokens"
    __table_args__ = (Index("ix_one_time_tokens_name_key", "name_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    user_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), default="reviewer")
    created_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    name_key: Mapped[str] = mapped_column(String(400), default="", server_default="")
    """The look-alike key of ``user_name``: one open invitation per key."""
    maker_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The account that made the link; None for the command line (or the local admin)."""
    maker_role: Mapped[str] = mapped_column(String(20), default="", server_default="")
    maker_generation: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The maker's ``rights_generation`` when the link was made."""
    target_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The account a reset link is for (None for an invitation)."""
    target_generation: Mapped[int | None] = mapped_column(Integer, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                        nullable=True)
    revoked_by: Mapped[str] = mapped_column(String(120), default="", server_default="")


class Presence(Base):
    """Heartbeat of somebody having a segment open, so others see who is editing it."""

    __tablename__ = "presence"
    __table_args__ = (UniqueConstraint("segment_id", "user_name", name="uq_presence"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"),
                                            index=True)
    user_name: Mapped[str] = mapped_column(String(120))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Job(Base):
    """A long operation run by a worker; the record, not the broker, is the truth the UI and
    CLI read, so they list jobs whatever the broker and after any restart."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_heartbeat", "state", "heartbeat_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    arguments: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(20), default="queued")
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(300), default="")
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str] = mapped_column(String(200), default="")
    payload: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True,
                                                  deferred=True)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    created_role: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                          nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Campaign(Base):
    """A set of assignments made together from a campaign file, found again by its name."""

    __tablename__ = "campaigns"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    mode: Mapped[str] = mapped_column(String(20), default="post_edit")
    check_rate: Mapped[float] = mapped_column(Float, default=0.0)
    check_mode: Mapped[str] = mapped_column(String(10), default="silent")
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    second_reviewer: Mapped[str] = mapped_column(String(120), default="")
    article_ids: Mapped[list] = mapped_column(JSON, default=list)
    reviewers: Mapped[list] = mapped_column(JSON, default=list)
    assignment_ids: Mapped[list] = mapped_column(JSON, default=list)


class DataVersion(Base):
    """A counter every write transaction that changes what the views show bumps, so a view
    knows in one indexed read whether anything changed since it last looked."""

    __tablename__ = "data_versions"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    counter: Mapped[int] = mapped_column(BigInteger, default=0)


class MergeSnapshot(Base):
    """What a merge took away, so that undoing it gives the second segment back as it was:
    its row and every row that hung on it (same ids), and where its flags went."""

    __tablename__ = "merge_snapshots"
    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"),
                                            index=True)
    """The segment that took in the next one and is still there."""
    removed_id: Mapped[int] = mapped_column(Integer)
    """The id the merged-away segment had, and gets again when the merge is undone."""
    version: Mapped[int] = mapped_column(Integer)
    """The merged segment's version right after the merge."""
    rows: Mapped[dict] = mapped_column(JSON, default=dict)
    """Table name to the rows the merge deleted, column by column."""
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    """The merged segment's texts before and after, its candidates' texts before, and the
    flags the merge moved onto it with where they were."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
