"""The QA checks' article norms kept in the store, so a fresh app process checks a saved
segment without rebuilding the norms from the whole article (seconds on a long one)."""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import asdict, fields

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from review.checks import ArticleStats
from review.checks import runner as qa
from review.db.models import CheckNorms

_FIELDS = {f.name for f in fields(ArticleStats)}


def _version_text(version: Hashable) -> str:
    return json.dumps(version, default=str)


def stored_norms(session: Session, article_id: int, version: Hashable) -> ArticleStats | None:
    """The norms kept for this version of the article, or None."""
    row = session.get(CheckNorms, article_id)
    if row is None or row.version != _version_text(version):
        return None
    return ArticleStats(**{k: v for k, v in (row.stats or {}).items() if k in _FIELDS})


def keep_norms(session: Session, article_id: int, version: Hashable,
               stats: ArticleStats) -> None:
    """Store the norms just computed, replacing any older ones of the article (one
    statement: two processes keeping them at once do not make a save fail)."""
    values = {"article_id": article_id, "version": _version_text(version),
              "stats": asdict(stats)}
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" \
        else sqlite.insert
    statement = insert(CheckNorms).values(**values)
    session.execute(statement.on_conflict_do_update(
        index_elements=[CheckNorms.article_id],
        set_={"version": statement.excluded.version, "stats": statement.excluded.stats}))


def forget_norms(session: Session, article_id: int) -> None:
    """The article changed shape (a merge, a split, a new kind, a source): its norms are
    rebuilt on the next check, in this process and in every other."""
    qa.forget(article_id)
    session.execute(delete(CheckNorms).where(CheckNorms.article_id == article_id))
