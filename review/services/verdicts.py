"""Quality profiles (kept in the settings table) and each article's pass/fail verdict."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor, require
from review.core.errors import InputError
from review.db.models import Article, Setting
from review.db.store import Store
from review.formats.formulas import neutralise_row
from review.quality.verdicts import QualityProfile, Verdict, make_profile, verdict
from review.services.access import Access
from review.services.base import Service, audit, listed
from review.services.dashboards import ReportServices

PROFILES_KEY = "quality_profiles"


class VerdictServices(Service):
    """Define quality profiles; judge articles against one."""

    def __init__(self, store: Store, access: Access, reports: ReportServices) -> None:
        super().__init__(store, access)
        self.reports = reports

    def set_quality_profile(self, actor: Actor, name: str, max_per_1000: float,
                            category_limits: dict[str, float] | None = None, *,
                            default: bool = True, annotations: str = "team") -> QualityProfile:
        """Store a profile; ``annotations`` says whose MQM it judges: the team's own
        (``team``, the default) or the team's and imported experts' (``all``)."""
        require(actor, "article.assign")
        profile = make_profile(name, max_per_1000, category_limits, annotations)
        with self.store.write() as session:
            stored = _stored(session)
            stored["profiles"][profile.name] = profile.to_json()
            if default or not stored.get("default"):
                stored["default"] = profile.name
            row = session.get(Setting, PROFILES_KEY)
            if row is None:
                session.add(Setting(key=PROFILES_KEY, value=stored))
            else:
                row.value = stored
            audit(session, actor, "quality_profile", **profile.to_json())
        return profile

    def quality_profiles(self, actor: Actor) -> list[QualityProfile]:
        """Every profile, the default first."""
        require(actor, "article.read")
        with self.store.read() as session:
            stored = _stored(session)
        profiles = [QualityProfile.from_json(p) for p in stored["profiles"].values()]
        return sorted(profiles, key=lambda p: (p.name != stored.get("default"), p.name))

    def verdicts(self, actor: Actor, article_ids: Iterable[int] | None = None,
                 profile: str | None = None) -> list[Verdict]:
        """Pass or fail, with the reason, for each article under ``profile`` (the default one
        when None); empty when no profile is defined yet."""
        require(actor, "article.read")
        with self.store.read() as session:
            stored = _stored(session)
            name = profile or stored.get("default")
            if not name:
                return []
            if name not in stored["profiles"]:
                raise InputError(f"no quality profile named {name!r}")
            chosen = QualityProfile.from_json(stored["profiles"][name])
            ids = list(article_ids) if article_ids is not None else list(
                session.scalars(select(Article.id).where(listed()).order_by(Article.id)))
            ids = self.access.readable_articles(session, actor, ids)
        figures = self.reports.article_mqm(actor, ids, chosen.annotations)
        return [verdict(i, chosen, round(figures[i].words), figures[i].by_category,
                        figures[i].rated) for i in ids]

    def verdicts_csv(self, actor: Actor, article_ids: Iterable[int] | None = None,
                     profile: str | None = None) -> bytes:
        """The verdicts as a CSV file (article, title, profile, verdict, points per 1,000
        words, words, reason), for the Export page."""
        require(actor, "article.export")
        found = self.verdicts(actor, article_ids, profile)
        with self.store.read() as session:
            titles = dict(session.execute(select(Article.id, Article.title).where(
                Article.id.in_([v.article_id for v in found]))).all())
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["article_id", "title", "profile", "verdict", "per_1000_words",
                         "words", "reason"])
        for v in found:
            writer.writerow(neutralise_row([v.article_id, titles.get(v.article_id, ""),
                                            v.profile, v.label, f"{v.per_1000:.2f}",
                                            v.words, v.reason]))
        return out.getvalue().encode("utf-8")


def _stored(session: Session) -> dict:
    row = session.get(Setting, PROFILES_KEY)
    value = dict(row.value) if row is not None and row.value else {}
    return {"default": value.get("default", ""), "profiles": dict(value.get("profiles", {}))}
