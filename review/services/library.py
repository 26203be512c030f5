"""The library as a whole: the audit trail, deleting articles, whether anything is there yet."""

from __future__ import annotations

from sqlalchemy import func, select

from review.accounts.permissions import Actor, require
from review.core.vocab import ACCOUNT_ACTIONS
from review.db.models import (
    Article,
    AuditEvent,
    User,
)
from review.services.base import Service, as_utc, audit
from review.services.views import (
    AuditView,
)


class LibraryServices(Service):
    """Library-wide use cases."""

    def audit_trail(self, actor: Actor, article_id: int | None = None,
                    segment_id: int | None = None, limit: int = 500) -> list[AuditView]:
        require(actor, "audit.view")
        with self.store.read() as session:
            query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
            if article_id is not None:
                query = query.where(AuditEvent.article_id == article_id)
            if segment_id is not None:
                query = query.where(AuditEvent.segment_id == segment_id)
            return [AuditView(e.id, as_utc(e.at), e.actor, e.action, e.article_id,
                              e.segment_id, e.detail or {}) for e in session.scalars(query)]

    def account_events(self, actor: Actor, limit: int = 200) -> list[AuditView]:
        """The latest audit events about accounts and settings, newest first."""
        require(actor, "users.manage")
        with self.store.read() as session:
            query = (select(AuditEvent).where(AuditEvent.action.in_(ACCOUNT_ACTIONS))
                     .order_by(AuditEvent.id.desc()).limit(limit))
            return [AuditView(e.id, as_utc(e.at), e.actor, e.action, e.article_id,
                              e.segment_id, e.detail or {}) for e in session.scalars(query)]

    def delete_article(self, actor: Actor, article_id: int) -> None:
        with self.store.write() as session:
            article = self.access.require_article(session, actor, article_id, "article.delete")
            audit(session, actor, "delete", article_id=article_id, title=article.title)
            session.delete(article)

    def is_empty(self) -> bool:
        with self.store.read() as session:
            return session.scalar(select(func.count()).select_from(Article)) == 0

    def has_users(self) -> bool:
        with self.store.read() as session:
            return session.execute(select(func.count()).select_from(User)).scalar_one() > 0
