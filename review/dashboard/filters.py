"""What the lead narrowed the dashboards to, the values the filter widgets offer, and
the rows inside the filters; kept apart so every view sees the same filtered rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd

from review.dashboard.frames import Frames

DEFAULT_SYSTEM = "MT"
"""The system name of flags on an article's MT when the article names no MT system."""


@dataclass(frozen=True)
class DashboardFilters:
    """What the lead narrowed the dashboards to; empty tuples mean "all". Hashable, so it can
    be part of a cache key."""

    date_from: date | None = None
    date_to: date | None = None
    article_ids: tuple[int, ...] = ()
    language_pairs: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()


@dataclass
class FilterOptions:
    """The values the filter widgets offer (from all data, not the filtered view)."""

    articles: dict[int, str]
    language_pairs: list[str]
    systems: list[str]
    reviewers: list[str]
    first_day: date | None
    last_day: date | None


def filter_options(frames: Frames) -> FilterOptions:
    arts = frames.articles
    systems = set(frames.candidates["system"].unique()) | set(_mt_systems(arts).unique())
    reviewers = (set(frames.flags.loc[frames.flags["origin"] != "check", "author"].unique())
                 | set(frames.revisions["author"].unique()))
    stamps = pd.concat([frames.flags["created_at"], frames.revisions["created_at"]])
    stamps = stamps.dropna()
    return FilterOptions(
        articles={int(i): str(t) for i, t in zip(arts["id"], arts["title"])},
        language_pairs=sorted(set(arts["pair"])),
        systems=sorted(s for s in systems if s),
        reviewers=sorted(r for r in reviewers if r),
        first_day=stamps.min().date() if len(stamps) else None,
        last_day=stamps.max().date() if len(stamps) else None)


def _mt_systems(articles: pd.DataFrame) -> pd.Series:
    return articles["mt_system"].where(articles["mt_system"] != "", DEFAULT_SYSTEM)


def _in_dates(stamps: pd.Series, filters: DashboardFilters) -> pd.Series:
    keep = pd.Series(True, index=stamps.index)
    if filters.date_from is not None:
        keep &= stamps >= pd.Timestamp(datetime.combine(filters.date_from, time.min), tz="UTC")
    if filters.date_to is not None:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min)
        keep &= stamps < pd.Timestamp(end, tz="UTC")
    return keep.fillna(False)


def apply_filters(frames: Frames, filters: DashboardFilters) -> Frames:
    """Rows inside the filters. Articles and segments are the inventory (narrowed by article
    and language pair); flags, revisions and decisions are events (also by date and person).
    Systems narrow the MQM views, not the inventory."""
    arts = frames.articles
    if filters.article_ids:
        arts = arts[arts["id"].isin(filters.article_ids)]
    if filters.language_pairs:
        arts = arts[arts["pair"].isin(filters.language_pairs)]
    segs = frames.segments[frames.segments["article_id"].isin(arts["id"])]
    seg_ids = segs["id"]
    cands = frames.candidates[frames.candidates["segment_id"].isin(seg_ids)]
    flags = frames.flags[frames.flags["segment_id"].isin(seg_ids)]
    flags = flags[_in_dates(flags["created_at"], filters)]
    revs = frames.revisions[frames.revisions["segment_id"].isin(seg_ids)]
    revs = revs[_in_dates(revs["created_at"], filters)]
    decs = frames.decisions[frames.decisions["segment_id"].isin(seg_ids)]
    decs = decs[_in_dates(decs["at"], filters)]
    if filters.reviewers:
        flags = flags[flags["author"].isin(filters.reviewers)]
        revs = revs[revs["author"].isin(filters.reviewers)]
        decs = decs[decs["actor"].isin(filters.reviewers)]
    return Frames(arts, segs, cands, flags, revs, decs)


def filters_from_choices(dates: Sequence[date], article_ids: Iterable[int],
                         language_pairs: Iterable[str], systems: Iterable[str],
                         reviewers: Iterable[str]) -> DashboardFilters:
    """The filters from the widgets' values: one date means that day, two a range; an empty
    choice means all."""
    dates = tuple(dates)
    return DashboardFilters(
        date_from=dates[0] if len(dates) >= 1 else None,
        date_to=dates[1] if len(dates) >= 2 else (dates[0] if dates else None),
        article_ids=tuple(sorted(article_ids)),
        language_pairs=tuple(sorted(language_pairs)),
        systems=tuple(sorted(systems)),
        reviewers=tuple(sorted(reviewers)),
    )


def articles_in_filters(options: FilterOptions, filters: DashboardFilters) -> list[int]:
    """The ids of the articles the filters select (every article when none is chosen)."""
    return [i for i in options.articles if not filters.article_ids or i in filters.article_ids]
