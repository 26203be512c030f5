"""The trends tab: the headline numbers per day or week and per import batch."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from review.core.vocab import CONTENT_KINDS
from review.dashboard.frames import Frames


@dataclass
class TrendsView:
    by_period: pd.DataFrame
    by_batch: pd.DataFrame
    freq: str


def trends_view(frames: Frames, rows: pd.DataFrame, units: pd.DataFrame,
                freq: str = "W") -> TrendsView:
    """The headline numbers per day ("D") or week ("W", starting Monday), by the time flags
    and revisions were made, and per import batch."""
    period_cols = ["period", "errors", "points", "segments_rated", "mqm", "edits",
                   "segments_edited", "seconds"]

    def period(stamps: pd.Series) -> pd.Series:
        naive = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
        if freq == "D":
            return naive.dt.normalize()
        return (naive - pd.to_timedelta(naive.dt.day_of_week, unit="D")).dt.normalize()

    parts = []
    if len(rows):
        errs = rows[rows["is_error"]]
        parts.append(errs.groupby(period(errs["created_at"])).agg(
            errors=("weight", "size"), points=("weight", "sum")))
    if len(units):
        parts.append(units.groupby(period(units["created_at"])).agg(
            segments_rated=("score", "size"), mqm=("score", "mean")))
    revs = frames.revisions[frames.revisions["action"].isin(["edit", "restore"])]
    if len(revs):
        parts.append(revs.groupby(period(revs["created_at"])).agg(
            edits=("id", "size"), segments_edited=("segment_id", "nunique"),
            seconds=("seconds_spent", "sum")))
    if parts:
        by_period = pd.concat(parts, axis=1).sort_index()
        by_period.index.name = "period"
        by_period = by_period.reset_index()
    else:
        by_period = pd.DataFrame(columns=period_cols)
    for col in period_cols:
        if col not in by_period.columns:
            by_period[col] = np.nan
    for col in ("errors", "segments_rated", "edits", "segments_edited"):
        by_period[col] = by_period[col].fillna(0).astype(int)
    by_period["points"] = by_period["points"].astype(float).fillna(0.0)
    by_period["seconds"] = by_period["seconds"].astype(float).fillna(0.0)

    batch_cols = ["batch", "imported", "articles", "segments", "segments_rated", "mqm",
                  "errors", "edits"]
    arts = frames.articles
    if len(arts):
        batch_of = pd.Series(arts["batch"].replace("", "(none)").to_numpy(),
                             index=arts["id"].to_numpy())
        by_batch = arts.assign(batch=batch_of.to_numpy()).groupby("batch").agg(
            imported=("created_at", "min"), articles=("id", "size"))
        segs = frames.segments[frames.segments["kind"].isin(CONTENT_KINDS)]
        by_batch["segments"] = segs.groupby(
            batch_of.reindex(segs["article_id"]).to_numpy()).size()
        if len(units):
            unit_batch = batch_of.reindex(units["article_id"]).to_numpy()
            by_batch["segments_rated"] = units.groupby(unit_batch).size()
            by_batch["mqm"] = units.groupby(unit_batch)["score"].mean()
            by_batch["errors"] = units.groupby(unit_batch)["errors"].sum()
        if len(revs):
            rev_article = frames.segments.set_index("id")["article_id"].reindex(
                revs["segment_id"]).to_numpy()
            by_batch["edits"] = revs.groupby(batch_of.reindex(rev_article).to_numpy()).size()
        by_batch = by_batch.reset_index()
    else:
        by_batch = pd.DataFrame(columns=batch_cols)
    for col in batch_cols:
        if col not in by_batch.columns:
            by_batch[col] = np.nan
    for col in ("segments", "segments_rated", "edits"):
        by_batch[col] = by_batch[col].fillna(0).astype(int)
    by_batch["errors"] = by_batch["errors"].astype(float).fillna(0.0)
    by_batch = by_batch[batch_cols].sort_values("imported", kind="stable").reset_index(drop=True)
    return TrendsView(by_period=by_period[period_cols], by_batch=by_batch, freq=freq)
