"""The MQM of an article: the one figure every page, the command line, the verdicts and the
second pass show.

An article's MQM is computed from the same counted annotations and units as the dashboards
(:func:`review.dashboard.units.mqm_rows`): a unit is one system's translation of one of its
segments; a unit's score is the sum of its error weights per rater, averaged over the unit's
raters; the article's figure per segment is the mean over its rated units and its figure per
1,000 words divides the same points by the words of those units. Which annotations count is
named, never implied:

- ``team``: the team's own work: reviewers' flags in their final state after any second-pass
  decision, confirmed suggestions of the checks, and finished segments nobody flagged
  (counted as rated clean by whoever finished them);
- ``experts``: annotations imported from files (e.g. the WMT MQM raters);
- ``all``: both, which is what the dashboards show.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from review.core.vocab import MQM_ANNOTATIONS
from review.dashboard.filters import DashboardFilters, apply_filters
from review.dashboard.frames import Frames
from review.dashboard.units import mqm_rows, unit_scores

IMPORT_ORIGIN = "import"


@dataclass(frozen=True)
class ArticleMQM:
    """One article's MQM from one choice of annotations."""

    article_id: int
    annotations: str
    segments: int
    """Rated units (system × segment) the figure is the mean over."""
    words: float
    points: float
    by_category: dict[str, float] = field(default_factory=dict)
    """Points per full MQM category, each unit's share averaged over its raters like the
    score, so they add up to ``points``."""

    @property
    def per_segment(self) -> float:
        return self.points / self.segments if self.segments else math.nan

    @property
    def per_1000_words(self) -> float:
        return 1000.0 * self.points / self.words if self.words else math.nan

    @property
    def rated(self) -> bool:
        return self.segments > 0


def annotation_frames(frames: Frames, annotations: str) -> Frames:
    """The frames with only the flags of one choice of annotations."""
    if annotations not in MQM_ANNOTATIONS:
        raise ValueError(f"annotations must be one of {MQM_ANNOTATIONS}, not {annotations!r}")
    if annotations == "all":
        return frames
    imported = frames.flags["origin"] == IMPORT_ORIGIN
    keep = imported if annotations == "experts" else ~imported
    return dataclasses.replace(frames, flags=frames.flags[keep])


def first_pass_frames(frames: Frames, reviews: pd.DataFrame) -> Frames:
    """The frames as the first pass left them: second-pass changes undone, its additions left
    out, its rejections counted again. ``reviews``: flag_id, decision, before (one row per
    decision, oldest first)."""
    if reviews.empty:
        return frames
    added = set(reviews.loc[reviews["decision"] == "add", "flag_id"])
    first = reviews.drop_duplicates("flag_id", keep="first").set_index("flag_id")["before"]
    flags = frames.flags[~frames.flags["id"].isin(added)].copy()
    for column in ("category", "severity", "state"):
        before = flags["id"].map(lambda i, c=column: (first.get(i) or {}).get(c))
        flags[column] = before.where(before.notna(), flags[column]).astype(str)
    return dataclasses.replace(frames, flags=flags)


def article_mqm(frames: Frames, article_ids: Iterable[int],
                annotations: str = "all") -> dict[int, ArticleMQM]:
    """Each article's MQM from the chosen annotations (articles nobody rated: 0 segments)."""
    ids = tuple(int(i) for i in article_ids)
    out = {i: ArticleMQM(i, annotations, 0, 0.0, 0.0) for i in ids}
    if not ids:
        return out
    filters = DashboardFilters(article_ids=ids)
    rows = mqm_rows(apply_filters(annotation_frames(frames, annotations), filters), filters)
    if annotations == "experts":
        rows = rows[rows["origin"].astype(str) == IMPORT_ORIGIN]
    if rows.empty:
        return out
    units = unit_scores(rows)
    raters = units.set_index(["system", "segment_id"])["raters"]
    shares = rows[rows["is_error"]].copy()
    shares["share"] = shares["weight"].to_numpy() / raters.reindex(
        pd.MultiIndex.from_arrays([shares["system"].astype(str),
                                   shares["segment_id"]])).to_numpy()
    for article_id, group in units.groupby("article_id"):
        mine = shares[shares["article_id"] == article_id]
        by_category = {str(k): float(v) for k, v in
                       mine.groupby("category", observed=True)["share"].sum().items() if v}
        out[int(article_id)] = ArticleMQM(
            int(article_id), annotations, len(group), float(group["words"].sum()),
            float(group["score"].sum()), by_category)
    return out
