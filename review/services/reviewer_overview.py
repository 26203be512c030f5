"""The Reviewers tab's team table: the team's own reviewers (accounts) apart from raters
named in imported annotation files, each with progress across all their assignments, total
time, words per hour, attention-check catch rate and how a second pass judged their flags.

Also names import batches by file and time for the trends view."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select

from review.accounts.permissions import Actor, require
from review.db.models import Article, User
from review.db.store import Store
from review.services.access import Access
from review.services.attention import AttentionServices
from review.services.base import Service, as_utc, listed
from review.services.ratings import RatingServices
from review.services.second_pass import SecondPassServices
from review.services.team import TeamServices

TEAM_COLUMNS = ["Reviewer", "Role", "Assigned segments", "Done", "Done %", "Total time (min)",
                "Words per hour", "Checks", "Catch rate", "Catch rate 95%",
                "R1 flags judged", "Kept by R2"]


@dataclass(frozen=True)
class TeamOverview:
    team: pd.DataFrame
    members: frozenset[str]
    """Account names: any other rater in the dashboards came from an imported file."""


def _pct(value: float) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{value:.0%}"


class ReviewerOverviewServices(Service):
    """One table per group of people, readable as it stands."""

    def __init__(self, store: Store, access: Access,
                 team: TeamServices, attention: AttentionServices,
                 ratings: RatingServices, second_pass: SecondPassServices) -> None:
        super().__init__(store, access)
        self.team = team
        self.attention = attention
        self.ratings = ratings
        self.second_pass = second_pass

    def team_overview(self, actor: Actor) -> TeamOverview:
        require(actor, "dashboard.view")
        with self.store.read() as session:
            users = session.execute(select(User.name, User.role)
                                    .where(User.active.is_(True))).all()
        progress = {p.name: p for p in self.team.reviewer_progress(actor)}
        rates = {r.reviewer: r for r in self.attention.catch_rates(actor)}
        effort = self.ratings.effort_report(actor).set_index("reviewer")
        judged = self.second_pass.second_pass_agreement(actor).by_reviewer.set_index("group")
        rows = []
        for name, role in sorted(users):
            p, r = progress.get(name), rates.get(name)
            if p is None and name not in effort.index and role != "reviewer":
                continue  # leads and admins who neither review nor were assigned
            rows.append({
                "Reviewer": name, "Role": role,
                "Assigned segments": p.segments if p else 0, "Done": p.done if p else 0,
                "Done %": _pct(p.share_done) if p and p.segments else "",
                "Total time (min)": round(p.seconds / 60, 1) if p else 0.0,
                "Words per hour": (round(float(effort.loc[name, "words_per_hour"]))
                                   if name in effort.index
                                   and not math.isnan(effort.loc[name, "words_per_hour"])
                                   else ""),
                "Checks": r.checks if r else 0,
                "Catch rate": _pct(r.rate) if r else "",
                "Catch rate 95%": f"{_pct(r.low)}–{_pct(r.high)}" if r else "",
                "R1 flags judged": int(judged.loc[name, "flags"]) if name in judged.index
                else 0,
                "Kept by R2": _pct(float(judged.loc[name, "kept_share"]))
                if name in judged.index else ""})
        return TeamOverview(pd.DataFrame(rows, columns=TEAM_COLUMNS),
                            frozenset(n for n, _ in users))

    def batch_labels(self, actor: Actor) -> dict[str, str]:
        """Import batch -> "file name · 2026-12-01 17:20 UTC" (what the trends show)."""
        require(actor, "dashboard.view")
        with self.store.read() as session:
            rows = session.execute(
                select(Article.batch, func.min(Article.origin), func.min(Article.created_at),
                       func.count()).where(listed()).group_by(Article.batch)).all()
        labels = {}
        for batch, origin, created, count in rows:
            name = (origin or "").rsplit("/", 1)[-1] or f"{count} article(s)"
            labels[batch] = f"{name} · {as_utc(created):%Y-%m-%d %H:%M} UTC"
        return labels
