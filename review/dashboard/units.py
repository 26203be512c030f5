"""The counted MQM annotations and the per-unit scores every MQM view starts from.

Which annotations count towards MQM (the same rules as the MQM TSV export):
- every imported or reviewer flag that is not dismissed, ``No-error`` rows included (they say
  the rater rated the segment);
- suggestions of automatic checks only once a reviewer confirmed them;
- a finished segment (fixed or approved) of the primary MT without any counted annotation
  counts as rated clean by its last editor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from review.core import mqm
from review.core.mqm import MQMWeights
from review.core.vocab import CONTENT_KINDS, FINISHED_STATUSES
from review.dashboard.filters import DashboardFilters, _in_dates, _mt_systems
from review.dashboard.frames import Frames
from review.dashboard.stats import bootstrap_mean_ci

SMALL_SAMPLE = 30
"""Fewer rated segments than this and an MQM score says little: the page warns."""

UNIT_KEYS = ["system", "segment_id"]


@dataclass
class MQMSummary:
    score: float
    ci_low: float
    ci_high: float
    per_1000_words: float
    segments: int
    words: float
    errors: int
    small_sample: bool


def _weights_frame(flags: pd.DataFrame, weights: MQMWeights) -> tuple[pd.Series, pd.Series]:
    """Weight and is-error per row, computed once per distinct (category, severity)."""
    if flags.empty:
        return pd.Series(dtype=float, index=flags.index), pd.Series(dtype=bool, index=flags.index)
    cat_codes, categories = pd.factorize(flags["category"])
    sev_codes, severities = pd.factorize(flags["severity"])
    codes, pairs = pd.factorize(cat_codes * len(severities) + sev_codes)
    named = [(categories[p // len(severities)], severities[p % len(severities)]) for p in pairs]
    weight = np.array([mqm.error_weight(c, s, weights) for c, s in named], dtype=float)
    error = np.array([mqm.is_error(c, s) for c, s in named], dtype=bool)
    return (pd.Series(weight[codes], index=flags.index),
            pd.Series(error[codes], index=flags.index))


def mqm_rows(frames: Frames, filters: DashboardFilters = DashboardFilters(),
             weights: MQMWeights = mqm.WMT_WEIGHTS) -> pd.DataFrame:
    """One row per counted annotation with its system, rater, weight and unit words.

    Columns: system, doc, seg_id, rater, category, severity (the MQM module's input) plus
    segment_id, article_id, flag_id, candidate_id, span_in, start, end, created_at, origin,
    words, weight, is_error. A unit is one system's translation of one segment.
    """
    flags = frames.flags
    counted = flags[(flags["state"] != "dismissed")
                    & ((flags["origin"] != "check") | (flags["state"] == "confirmed"))
                    & (flags["span_in"] != "corrected")]  # warnings about a fix, not the MT
    segs = frames.segments.set_index("id")
    arts = frames.articles.set_index("id")
    mt_system = _mt_systems(frames.articles)
    mt_by_article = pd.Series(mt_system.to_numpy(), index=frames.articles["id"].to_numpy())
    cands = frames.candidates.set_index("id")

    rows = counted[["id", "segment_id", "candidate_id", "author", "category", "severity",
                    "span_in", "start", "end", "created_at", "origin"]].rename(
        columns={"id": "flag_id", "author": "rater"}).reset_index(drop=True)
    rows["flag_id"] = rows["flag_id"].astype(float)
    rows["article_id"] = segs["article_id"].reindex(rows["segment_id"]).to_numpy()
    on_candidate = rows["candidate_id"].notna()
    cand_system = cands["system"].reindex(rows["candidate_id"]).to_numpy()
    cand_words = cands["words"].reindex(rows["candidate_id"]).to_numpy()
    seg_words = segs["words"].reindex(rows["segment_id"]).to_numpy()
    rows["system"] = np.where(on_candidate, cand_system,
                              mt_by_article.reindex(rows["article_id"]).to_numpy())
    rows["words"] = np.where(on_candidate, cand_words, seg_words)

    # finished MT segments nobody annotated count as rated clean by their last editor
    finished = frames.segments[frames.segments["status"].isin(FINISHED_STATUSES)
                               & frames.segments["kind"].isin(CONTENT_KINDS)]
    if len(finished):
        finished = finished[_in_dates(finished["updated_at"], filters)]
        if filters.reviewers:
            finished = finished[finished["updated_by"].isin(filters.reviewers)]
        fin_system = mt_by_article.reindex(finished["article_id"]).to_numpy()
        rated = pd.MultiIndex.from_arrays([rows["system"], rows["segment_id"]])
        keep = ~pd.MultiIndex.from_arrays(
            [fin_system, finished["id"].astype(float)]).isin(rated)
        finished, fin_system = finished[keep], fin_system[keep]
        if len(finished):
            implicit = pd.DataFrame({
                "flag_id": np.nan, "segment_id": finished["id"].astype(float).to_numpy(),
                "candidate_id": np.nan,
                "rater": finished["updated_by"].replace("", "reviewer").to_numpy(),
                "category": mqm_no_error(), "severity": mqm_no_error(), "span_in": "target",
                "start": np.nan, "end": np.nan,
                "created_at": finished["updated_at"].array, "origin": "reviewer",
                "article_id": finished["article_id"].to_numpy(), "system": fin_system,
                "words": finished["words"].to_numpy()})
            rows = pd.concat([rows, implicit], ignore_index=True) if len(rows) else implicit
    if filters.systems:
        rows = rows[rows["system"].isin(filters.systems)].reset_index(drop=True)
    rows["doc"] = _doc_labels(arts).reindex(rows["article_id"]).to_numpy()
    rows["seg_id"] = rows["segment_id"].astype("int64").astype(str) if len(rows) else ""
    # categories: filtering, joining and grouping 100,000s of rows moves integer codes
    for col in ("system", "rater", "category", "severity", "span_in", "origin", "doc"):
        rows[col] = rows[col].astype(str).astype("category").cat.as_ordered()
    rows["weight"], rows["is_error"] = _weights_frame(rows, weights)
    return rows


def mqm_no_error() -> str:
    return "No-error"


def _doc_labels(arts: pd.DataFrame) -> pd.Series:
    """Article titles, disambiguated by id where two articles share a title."""
    titles = arts["title"].astype(str)
    dup = titles.duplicated(keep=False)
    labels = titles.where(~dup, titles + " (#" + arts.index.astype(str) + ")")
    return pd.Series(labels.to_numpy(), index=arts.index)


def unit_scores(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per unit (system × segment): MQM score (per-rater sums averaged over raters),
    raters, errors (per rater), words, article, first annotation time."""
    if rows.empty:
        return pd.DataFrame({"system": pd.Series(dtype=str),
                             "segment_id": pd.Series(dtype=float),
                             **{c: pd.Series(dtype=float) for c in
                                ("article_id", "score", "raters", "errors", "words")},
                             "doc": pd.Series(dtype=str),
                             "created_at": pd.Series(dtype="datetime64[ns, UTC]")})
    per_rater = (rows.groupby(UNIT_KEYS + ["rater"], sort=False)
                 .agg(score=("weight", "sum"), errors=("is_error", "sum")).reset_index())
    units = (per_rater.groupby(UNIT_KEYS, sort=False)
             .agg(score=("score", "mean"), raters=("rater", "size"), errors=("errors", "mean"))
             .reset_index())
    extra = (rows.groupby(UNIT_KEYS, sort=False)
             .agg(article_id=("article_id", "first"), words=("words", "max"),
                  doc=("doc", "first"), created_at=("created_at", "min")).reset_index())
    return units.merge(extra, on=UNIT_KEYS, how="left")


def mqm_summary(units: pd.DataFrame, seed: int = 7) -> MQMSummary:
    scores = units["score"].to_numpy(dtype=float)
    low, high = bootstrap_mean_ci(scores, seed=seed)
    words = float(np.nansum(units["words"].to_numpy(dtype=float)))
    points = float(scores.sum())
    return MQMSummary(
        score=float(scores.mean()) if len(scores) else math.nan, ci_low=low, ci_high=high,
        per_1000_words=1000.0 * points / words if words else math.nan,
        segments=len(scores), words=words,
        errors=int(round(float(units["errors"].sum()))) if len(units) else 0,
        small_sample=len(scores) < SMALL_SAMPLE)
