"""The reviewers tab: what each reviewer rated and edited, how they decided the
checks' suggestions, and how much raters of the same units agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from review.core.vocab import FLAG_STATES
from review.dashboard.frames import Frames, TextScores
from review.dashboard.stats import kendall_tau, krippendorff_alpha_interval
from review.dashboard.units import UNIT_KEYS


@dataclass
class AgreementSummary:
    pairs: pd.DataFrame  # rater_a, rater_b, segments, tau, span_f1
    alpha: float  # Krippendorff's alpha (interval) on segment MQM scores
    segments: int  # segments with two or more raters
    raters: int
    span_f1: float  # micro-averaged over rater pairs


@dataclass
class ReviewersView:
    table: pd.DataFrame
    flags: pd.DataFrame  # reviewer, category, severity, count
    checks: pd.DataFrame  # check_name, suggested, open, confirmed, dismissed, precision
    agreement: AgreementSummary


def _merged_spans(spans: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Union of each group's [start, end) intervals as disjoint intervals (vectorised: a new
    block starts where a span begins after every earlier span of its group has ended)."""
    spans = spans.sort_values(keys + ["start", "end"], kind="stable").reset_index(drop=True)
    group = spans.groupby(keys, sort=False).ngroup().to_numpy()
    reach = spans.groupby(group, sort=False)["end"].cummax().to_numpy(dtype=float)
    first = np.ones(len(spans), dtype=bool)
    first[1:] = group[1:] != group[:-1]
    prev_reach = np.empty(len(spans))
    prev_reach[0] = -np.inf
    prev_reach[1:] = reach[:-1]
    new_block = first | (spans["start"].to_numpy(dtype=float) > prev_reach)
    spans["block"] = np.cumsum(new_block)
    agg = {k: (k, "first") for k in keys}
    return (spans.groupby("block", sort=False)
            .agg(**agg, start=("start", "min"), end=("end", "max")).reset_index(drop=True))


def span_agreement(rows: pd.DataFrame) -> pd.DataFrame:
    """Character-overlap agreement on error spans between each pair of raters.

    For two raters on the same unit (one system's translation of one segment), A and B are the
    characters their error spans cover (source and target kept apart). Per rater pair:
    overlap = Σ|A∩B|, marked = Σ(|A|+|B|) over the units both rated, F1 = 2·overlap / marked.
    """
    out_cols = ["rater_a", "rater_b", "overlap", "marked", "span_f1"]
    rated = rows[["system", "segment_id", "rater"]].drop_duplicates()
    pairs = rated.merge(rated, on=UNIT_KEYS, suffixes=("_a", "_b"))
    pairs = pairs[pairs["rater_a"] < pairs["rater_b"]]
    if pairs.empty:
        return pd.DataFrame(columns=out_cols)
    spans = rows[rows["is_error"] & rows["start"].notna() & rows["end"].notna()
                 & (rows["end"] > rows["start"])]
    keys = ["system", "segment_id", "rater", "span_in"]
    if spans.empty:
        marked = pd.DataFrame(columns=["system", "segment_id", "rater", "chars"])
        merged = pd.DataFrame(columns=keys + ["start", "end"])
    else:
        merged = _merged_spans(spans[keys + ["start", "end"]], keys)
        merged["chars"] = merged["end"] - merged["start"]
        marked = merged.groupby(["system", "segment_id", "rater"], sort=False)["chars"].sum() \
            .reset_index()
    size = pairs.merge(marked.rename(columns={"rater": "rater_a", "chars": "chars_a"}),
                       on=UNIT_KEYS + ["rater_a"], how="left")
    size = size.merge(marked.rename(columns={"rater": "rater_b", "chars": "chars_b"}),
                      on=UNIT_KEYS + ["rater_b"], how="left").fillna(
        {"chars_a": 0.0, "chars_b": 0.0})
    size["marked"] = size["chars_a"] + size["chars_b"]
    cross = merged.merge(merged, on=["system", "segment_id", "span_in"], suffixes=("_a", "_b"))
    cross = cross[cross["rater_a"] < cross["rater_b"]]
    cross["overlap"] = (np.minimum(cross["end_a"], cross["end_b"])
                        - np.maximum(cross["start_a"], cross["start_b"])).clip(lower=0)
    overlap = cross.groupby(["rater_a", "rater_b"])["overlap"].sum()
    out = size.groupby(["rater_a", "rater_b"])["marked"].sum().to_frame()
    out["overlap"] = overlap.reindex(out.index).fillna(0.0)
    out["span_f1"] = np.where(out["marked"] > 0, 2.0 * out["overlap"] / out["marked"].where(
        out["marked"] > 0, 1.0), np.nan)
    return out.reset_index()[out_cols]


def rater_agreement(rows: pd.DataFrame) -> AgreementSummary:
    """Agreement of raters who rated the same units: Kendall's tau per rater pair on their
    per-unit MQM sums, Krippendorff's alpha (interval) over all raters, span F1."""
    cols = ["rater_a", "rater_b", "segments", "tau", "span_f1"]
    empty = AgreementSummary(pd.DataFrame(columns=cols), math.nan, 0, 0, math.nan)
    if rows.empty:
        return empty
    per_rater = (rows.groupby(UNIT_KEYS + ["rater"], sort=False)["weight"].sum()
                 .rename("value").reset_index())
    counts = per_rater.groupby(UNIT_KEYS, sort=False)["rater"].transform("size")
    multi = per_rater[counts >= 2]
    if multi.empty:
        return empty
    multi = multi.assign(unit=multi.groupby(UNIT_KEYS, sort=False).ngroup())
    alpha = krippendorff_alpha_interval(multi[["unit", "rater", "value"]])
    joined = multi.merge(multi, on="unit", suffixes=("_a", "_b"))
    joined = joined[joined["rater_a"] < joined["rater_b"]]
    taus = []
    for (ra, rb), group in joined.groupby(["rater_a", "rater_b"], sort=True):
        taus.append({"rater_a": ra, "rater_b": rb, "segments": len(group),
                     "tau": kendall_tau(group["value_a"], group["value_b"])})
    pairs = pd.DataFrame(taus, columns=["rater_a", "rater_b", "segments", "tau"])
    spans = span_agreement(rows[rows.set_index(UNIT_KEYS).index.isin(
        multi.set_index(UNIT_KEYS).index)])
    pairs = pairs.merge(spans[["rater_a", "rater_b", "span_f1"]], how="left",
                        on=["rater_a", "rater_b"])
    marked = float(spans["marked"].sum()) if len(spans) else 0.0
    f1 = 2.0 * float(spans["overlap"].sum()) / marked if marked else math.nan
    return AgreementSummary(pairs[cols], alpha, int(multi["unit"].nunique()),
                            int(multi["rater"].nunique()), f1)


def reviewers_view(frames: Frames, rows: pd.DataFrame, text: TextScores) -> ReviewersView:
    revs = frames.revisions[frames.revisions["action"].isin(["edit", "restore"])]
    human = rows[rows["origin"] != "check"] if len(rows) else rows
    names = sorted(set(human["rater"].astype(str).unique()) | set(revs["author"].unique()))
    table = pd.DataFrame({"reviewer": names})
    if names:
        rated = human.groupby("rater").agg(
            segments_rated=("segment_id", lambda s: 0), errors=("is_error", "sum"),
            points=("weight", "sum"))
        rated["segments_rated"] = human.drop_duplicates(UNIT_KEYS + ["rater"]) \
            .groupby("rater").size()
        unit_sums = human.groupby(UNIT_KEYS + ["rater"])["weight"].sum().groupby("rater")
        rated["mqm"] = unit_sums.mean()
        edits = revs.groupby("author").agg(edits=("id", "size"),
                                           segments_edited=("segment_id", "nunique"),
                                           seconds=("seconds_spent", "sum"))
        edits["seconds_per_segment"] = edits["seconds"] / edits["segments_edited"]
        table = table.set_index("reviewer")
        table = table.join(rated[["segments_rated", "errors", "points", "mqm"]]).join(
            edits[["segments_edited", "edits", "seconds_per_segment"]])
        hter = text.revision_hter.groupby("author")["hter"].mean() \
            if len(text.revision_hter) else pd.Series(dtype=float)
        table["hter"] = hter.reindex(table.index)
        table = table.join(_decisions(frames.decisions)).reset_index()
    for col in ("segments_rated", "errors", "segments_edited", "edits", "confirmed",
                "dismissed"):
        table[col] = table[col].fillna(0).astype(int) if col in table.columns else 0
    for col in ("points", "mqm", "seconds_per_segment", "hter", "confirm_rate"):
        if col not in table.columns:
            table[col] = np.nan
    table = table[["reviewer", "segments_rated", "errors", "points", "mqm", "segments_edited",
                   "edits", "seconds_per_segment", "hter", "confirmed", "dismissed",
                   "confirm_rate"]]
    errs = human[human["is_error"]] if len(human) else human
    flags = (errs.groupby(["rater", "category", "severity"]).size().rename("count")
             .reset_index().rename(columns={"rater": "reviewer"})
             if len(errs) else pd.DataFrame(columns=["reviewer", "category", "severity",
                                                     "count"]))
    return ReviewersView(table=table, flags=flags, checks=checks_table(frames.flags),
                         agreement=rater_agreement(human))


def _decisions(decisions: pd.DataFrame) -> pd.DataFrame:
    """Per reviewer, how many automatic suggestions they confirmed and dismissed (the last
    decision per suggestion counts)."""
    cols = ["confirmed", "dismissed", "confirm_rate"]
    auto = decisions[decisions["check_name"] != ""]
    auto = auto[auto["action"].isin(["flag_confirmed", "flag_dismissed"])]
    if auto.empty:
        return pd.DataFrame(columns=cols)
    last = auto.sort_values("at", kind="stable").drop_duplicates(["actor", "flag_id"],
                                                                  keep="last")
    counts = pd.crosstab(last["actor"], last["action"])
    out = pd.DataFrame(index=counts.index)
    out["confirmed"] = counts.get("flag_confirmed", 0)
    out["dismissed"] = counts.get("flag_dismissed", 0)
    decided = out["confirmed"] + out["dismissed"]
    out["confirm_rate"] = out["confirmed"] / decided.where(decided > 0)
    return out


def checks_table(flags: pd.DataFrame) -> pd.DataFrame:
    """Per automatic check: suggestions and how reviewers decided them."""
    cols = ["check_name", "suggested", "open", "confirmed", "dismissed", "precision"]
    auto = flags[flags["origin"] == "check"]
    if auto.empty:
        return pd.DataFrame(columns=cols)
    counts = pd.crosstab(auto["check_name"], auto["state"])
    out = pd.DataFrame(index=counts.index)
    for state in FLAG_STATES:
        out[state] = counts.get(state, 0)
    out["suggested"] = out[list(FLAG_STATES)].sum(axis=1)
    decided = out["confirmed"] + out["dismissed"]
    out["precision"] = out["confirmed"] / decided.where(decided > 0)
    return out.reset_index()[cols].sort_values("suggested", ascending=False,
                                                kind="stable").reset_index(drop=True)
