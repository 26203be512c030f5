"""Aggregations behind the leads' dashboards and the MQM report: pandas over the store's rows.

The report services load the store's rows into :class:`Frames` (ids, labels and numbers; no
texts) and hand them here with the scores that need texts (:class:`TextScores`). Everything
here is plain pandas/numpy so it runs the same under the CLI, the tests and the page, and
scales with vectorised group-bys rather than Python loops over flags.

Which annotations count towards MQM (the same rules as the MQM TSV export):
- every imported or reviewer flag that is not dismissed, ``No-error`` rows included (they say
  the rater rated the segment);
- suggestions of automatic checks only once a reviewer confirmed them;
- a finished segment (fixed or approved) of the primary MT without any counted annotation
  counts as rated clean by its last editor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

from review import mqm
from review.mqm import MQMWeights
from review.vocab import CONTENT_KINDS, FINISHED_STATUSES, SEGMENT_STATUSES

DEFAULT_SYSTEM = "MT"
"""The system name of flags on an article's MT when the article names no MT system."""
SMALL_SAMPLE = 30
"""Fewer rated segments than this and an MQM score says little: the page warns."""
BOOTSTRAP_SAMPLES = 1000
METRIC_NAMES = ("chrf", "bleu", "ter")
HIGHER_IS_BETTER = {"chrf": True, "bleu": True, "ter": False}
EXAMPLES_PER_CATEGORY = 5
WORST_LIMIT = 50

ARTICLE_COLUMNS = ["id", "title", "source_lang", "target_lang", "pair", "mt_system", "batch",
                   "created_at"]
SEGMENT_COLUMNS = ["id", "article_id", "position", "kind", "status", "risk", "words",
                   "updated_at", "updated_by"]
CANDIDATE_COLUMNS = ["id", "segment_id", "system", "kind", "words"]
FLAG_COLUMNS = ["id", "segment_id", "candidate_id", "span_in", "start", "end", "category",
                "severity", "author", "origin", "check_name", "state", "created_at"]
REVISION_COLUMNS = ["id", "segment_id", "version", "action", "author", "seconds_spent",
                    "created_at"]
DECISION_COLUMNS = ["actor", "action", "segment_id", "flag_id", "check_name", "at"]
UNIT_KEYS = ["system", "segment_id"]


# ----------------------------------------------------------------------------- inputs

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
class Frames:
    """The store's rows the dashboards need, one DataFrame per table (no texts)."""

    articles: pd.DataFrame
    segments: pd.DataFrame
    candidates: pd.DataFrame
    flags: pd.DataFrame
    revisions: pd.DataFrame
    decisions: pd.DataFrame


COLUMNS = {"articles": ARTICLE_COLUMNS, "segments": SEGMENT_COLUMNS,
           "candidates": CANDIDATE_COLUMNS, "flags": FLAG_COLUMNS,
           "revisions": REVISION_COLUMNS, "decisions": DECISION_COLUMNS}


def frames_from_records(**tables: list[dict] | pd.DataFrame) -> Frames:
    """Frames from lists of row dicts (or DataFrames); missing tables are empty."""
    built = {}
    for name, columns in COLUMNS.items():
        data = tables.get(name)
        frame = data.copy() if isinstance(data, pd.DataFrame) else pd.DataFrame(
            data or [], columns=columns)
        for col in columns:
            if col not in frame.columns:
                frame[col] = None
        built[name] = _typed(frame[columns], name)
    return Frames(**built)


def _typed(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    for col in ("created_at", "updated_at", "at"):
        if col in frame.columns:
            frame[col] = pd.to_datetime(frame[col], utc=True, format="mixed")
    for col in ("risk", "seconds_spent", "words"):
        if col in frame.columns:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    for col in ("start", "end", "candidate_id", "flag_id", "segment_id"):
        if col in frame.columns:  # float: missing ids and spans are NaN
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    text_columns = {"articles": ["title", "source_lang", "target_lang", "pair", "mt_system",
                                 "batch"],
                    "segments": ["kind", "status", "updated_by"],
                    "candidates": ["system", "kind"],
                    "flags": ["span_in", "category", "severity", "author", "origin",
                              "check_name", "state"],
                    "revisions": ["action", "author"],
                    "decisions": ["actor", "action", "check_name"]}[name]
    for col in text_columns:
        frame[col] = frame[col].astype(object).fillna("").astype(str)
    if name == "articles" and len(frame):
        missing = frame["pair"] == ""
        frame.loc[missing, "pair"] = [language_pair(s, t) for s, t in zip(
            frame.loc[missing, "source_lang"], frame.loc[missing, "target_lang"])]
    return frame


def language_pair(source_lang: str, target_lang: str) -> str:
    return f"{source_lang or '?'}→{target_lang or '?'}"


@dataclass
class TextScores:
    """Scores that need the texts; the report services compute them (cached per text pair).

    ``hter``: segment_id, hter (finished segments of the primary MT, MT vs corrected);
    ``revision_hter``: author, segment_id, hter (MT vs each reviewer's last text);
    ``corpus``: comparison, chrf, bleu, ter, segments, signature;
    ``systems``: system, chrf, bleu, ter, segments, against ("reference" or "corrected").
    """

    hter: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"segment_id": pd.Series(dtype=float), "hter": pd.Series(dtype=float)}))
    revision_hter: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"author": pd.Series(dtype=str), "segment_id": pd.Series(dtype=float),
         "hter": pd.Series(dtype=float)}))
    corpus: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["comparison", *METRIC_NAMES, "segments", "signature"]))
    systems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["system", *METRIC_NAMES, "segments", "against"]))


# ----------------------------------------------------------------------------- outputs

@dataclass
class FilterOptions:
    """The values the filter widgets offer (from all data, not the filtered view)."""

    articles: dict[int, str]
    language_pairs: list[str]
    systems: list[str]
    reviewers: list[str]
    first_day: date | None
    last_day: date | None


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


@dataclass
class Overview:
    articles: int
    segments: int
    residue_segments: int
    words: int
    progress: pd.DataFrame  # status, segments
    mqm: MQMSummary
    mean_hter: float
    hter_segments: int
    metrics: pd.DataFrame  # comparison, chrf, bleu, ter, segments, signature


@dataclass
class ErrorsView:
    matrix: pd.DataFrame  # category, severity, count, points
    top: pd.DataFrame  # category, count, points, share
    examples: pd.DataFrame  # flag/segment/article ids, category, severity, system, rater...


@dataclass
class SystemsView:
    table: pd.DataFrame  # system, mqm, ci_low, ci_high, segments, per_1000_words, metrics
    win_tie_loss: pd.DataFrame  # system_a, system_b, wins, ties, losses, segments
    rank_agreement: pd.DataFrame  # metric, against, tau, systems
    reference: str  # "reference" or "corrected"


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


@dataclass
class TrendsView:
    by_period: pd.DataFrame
    by_batch: pd.DataFrame
    freq: str


@dataclass
class WorstView:
    by_mqm: pd.DataFrame
    by_risk: pd.DataFrame


@dataclass
class DashboardData:
    filters: DashboardFilters
    options: FilterOptions
    overview: Overview
    errors: ErrorsView
    systems: SystemsView
    reviewers: ReviewersView
    trends: TrendsView
    worst: WorstView
    weights: str
    empty: bool  # no segment, or nobody flagged, rated or edited anything, under the filters


# ----------------------------------------------------------------------------- filtering

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


# ----------------------------------------------------------------------------- MQM rows

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
                    & ((flags["origin"] != "check") | (flags["state"] == "confirmed"))]
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


# ----------------------------------------------------------------------------- statistics

def bootstrap_mean_ci(values: np.ndarray, n_samples: int = BOOTSTRAP_SAMPLES,
                      seed: int = 7, level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean, resampling segments with replacement."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    if n == 0:
        return math.nan, math.nan
    means = _resampled_means(values[None, :], n_samples, seed)[0]
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(means, [tail, 100.0 - tail])
    return float(low), float(high)


def _resampled_means(values: np.ndarray, n_samples: int, seed: int) -> np.ndarray:
    """Means of ``n_samples`` paired resamples of the columns of ``values`` (rows: series):
    the same drawn segments for every series.

    MQM scores take few distinct values, so a resample is drawn as how often each distinct
    column comes up (a multinomial draw: the same distribution as drawing segments one by one,
    at a cost that does not grow with the number of segments). Otherwise segments are drawn
    by index, in chunks so memory stays bounded.
    """
    n = values.shape[1]
    rng = np.random.default_rng(seed)
    distinct, inverse = np.unique(values.T, axis=0, return_inverse=True)
    if len(distinct) * 4 <= n:
        probs = np.bincount(inverse.ravel(), minlength=len(distinct)) / n
        counts = rng.multinomial(n, probs, size=n_samples).astype(float)
        return (distinct.T @ counts.T) / n
    out = np.empty((values.shape[0], n_samples))
    chunk = max(1, 2_000_000 // max(n, 1))
    for lo in range(0, n_samples, chunk):
        rows = min(chunk, n_samples - lo)
        idx = rng.integers(0, n, size=(rows, n))
        out[:, lo:lo + rows] = values[:, idx].mean(axis=2)
    return out


@dataclass(frozen=True)
class MeanComparison:
    """Paired bootstrap of two systems' mean MQM over the segments both were rated on."""

    a_score: float
    b_score: float
    delta: float  # b - a (negative: b has fewer error points)
    p_value: float
    ci_low: float
    ci_high: float
    n: int


def paired_bootstrap_means(a: np.ndarray, b: np.ndarray, n_samples: int = BOOTSTRAP_SAMPLES,
                           seed: int = 12345) -> MeanComparison:
    """Koehn-style paired bootstrap on per-segment scores (the same draws for both systems).

    The p-value counts centred resampled differences at least as large as the observed one
    (sacrebleu's recipe with ``>=``: MQM scores are discrete, and identical systems must come
    out at p = 1, not at the smallest possible value)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = len(a)
    if n == 0:
        return MeanComparison(math.nan, math.nan, math.nan, math.nan, math.nan, math.nan, 0)
    means = _resampled_means(np.vstack([a, b]), n_samples, seed)
    diffs = means[1] - means[0]
    observed = float(b.mean() - a.mean())
    centred = np.abs(diffs) - np.abs(diffs).mean()
    p_value = (float(np.sum(centred >= abs(observed))) + 1.0) / (n_samples + 1.0)
    low, high = np.percentile(diffs, [2.5, 97.5])
    return MeanComparison(float(a.mean()), float(b.mean()), observed, p_value, float(low),
                          float(high), n)


def kendall_tau(x: np.ndarray | list, y: np.ndarray | list) -> float:
    """Kendall's tau-b (ties corrected), NaN when either side is constant or too short.

    Scores with few distinct values (MQM sums) go through a contingency table, O(k²); others
    fall back to chunked pairwise comparison.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(x)
    if n < 2 or len(y) != n:
        return math.nan
    xv, xi = np.unique(x, return_inverse=True)
    yv, yi = np.unique(y, return_inverse=True)
    kx, ky = len(xv), len(yv)
    if kx * ky <= 4_000_000:
        table = np.bincount(xi * ky + yi, minlength=kx * ky).reshape(kx, ky).astype(float)
        # above[i, j]: pairs with larger x and larger y; below: larger x and smaller y
        suffix = table[::-1].cumsum(0)[::-1]  # rows >= i
        after = np.zeros_like(table)
        after[:-1] = suffix[1:]  # rows > i
        right = after[:, ::-1].cumsum(1)[:, ::-1]  # columns >= j
        above = np.zeros_like(table)
        above[:, :-1] = right[:, 1:]
        left = after.cumsum(1)
        below = np.zeros_like(table)
        below[:, 1:] = left[:, :-1]
        s = float((table * above).sum() - (table * below).sum())
    else:
        s = 0.0
        chunk = max(1, 2_000_000 // n)
        for lo in range(0, n, chunk):
            dx = np.sign(x[lo:lo + chunk, None] - x[None, :])
            dy = np.sign(y[lo:lo + chunk, None] - y[None, :])
            s += float((dx * dy).sum())
        s /= 2.0
    n0 = n * (n - 1) / 2.0
    tx = np.bincount(xi).astype(float)
    ty = np.bincount(yi).astype(float)
    n1 = float((tx * (tx - 1) / 2.0).sum())
    n2 = float((ty * (ty - 1) / 2.0).sum())
    denom = math.sqrt((n0 - n1) * (n0 - n2))
    return s / denom if denom > 0 else math.nan


def krippendorff_alpha_interval(data: pd.DataFrame | np.ndarray) -> float:
    """Krippendorff's alpha with the interval metric.

    ``data``: a raters × units matrix with NaN for missing ratings, or a long DataFrame with
    columns unit, rater, value. Units with fewer than two ratings are not pairable and drop
    out, as in Krippendorff (2011). alpha = 1 - D_o / D_e, with the squared differences summed
    in closed form per unit. NaN when there is no variation to measure.
    """
    if isinstance(data, pd.DataFrame):
        long = data.dropna(subset=["value"])
        units = long.groupby("unit")["value"]
        m = units.transform("size").to_numpy(dtype=float)
        values = long["value"].to_numpy(dtype=float)
        codes = long["unit"].astype("category").cat.codes.to_numpy()
    else:
        matrix = np.asarray(data, dtype=float)
        present = ~np.isnan(matrix)
        codes = np.nonzero(present)[1]
        values = matrix[present]
        m = np.bincount(codes, minlength=matrix.shape[1])[codes].astype(float)
    pairable = m >= 2
    values, codes, m = values[pairable], codes[pairable], m[pairable]
    n = len(values)
    if n < 2:
        return math.nan
    size = int(codes.max()) + 1
    s1 = np.bincount(codes, weights=values, minlength=size)
    s2 = np.bincount(codes, weights=values * values, minlength=size)
    mu = np.bincount(codes, minlength=size).astype(float)
    used = mu >= 2
    # sum over ordered pairs i != j in a unit of (v_i - v_j)^2 = 2 (m S2 - S1^2)
    within = 2.0 * (mu[used] * s2[used] - s1[used] ** 2) / (mu[used] - 1.0)
    d_o = within.sum() / n
    d_e = 2.0 * (n * (values ** 2).sum() - values.sum() ** 2) / (n * (n - 1.0))
    if d_e <= 0:
        return math.nan
    return float(1.0 - d_o / d_e)


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


# ----------------------------------------------------------------------------- views

def overview(frames: Frames, units: pd.DataFrame, text: TextScores) -> Overview:
    segs = frames.segments
    scored = segs[segs["kind"].isin(CONTENT_KINDS)]
    counts = scored["status"].value_counts()
    progress = pd.DataFrame({"status": list(SEGMENT_STATUSES),
                             "segments": [int(counts.get(s, 0)) for s in SEGMENT_STATUSES]})
    hter = text.hter["hter"].to_numpy(dtype=float)
    return Overview(
        articles=len(frames.articles), segments=len(scored),
        residue_segments=len(segs) - len(scored),
        words=int(np.nansum(scored["words"].to_numpy(dtype=float))), progress=progress,
        mqm=mqm_summary(units), mean_hter=float(hter.mean()) if len(hter) else math.nan,
        hter_segments=len(hter), metrics=text.corpus.reset_index(drop=True))


def errors_view(rows: pd.DataFrame) -> ErrorsView:
    errs = rows[rows["is_error"]] if len(rows) else rows
    matrix = (errs.groupby(["category", "severity"]).agg(
        count=("weight", "size"), points=("weight", "sum")).reset_index()
        if len(errs) else pd.DataFrame(columns=["category", "severity", "count", "points"]))
    top = (errs.groupby("category").agg(count=("weight", "size"), points=("weight", "sum"))
           .reset_index() if len(errs) else pd.DataFrame(columns=["category", "count", "points"]))
    total = float(top["points"].sum()) if len(top) else 0.0
    top["share"] = top["points"] / total if total else 0.0
    top = top.sort_values(["points", "count", "category"], ascending=[False, False, True],
                          kind="stable").reset_index(drop=True)
    example_cols = ["flag_id", "segment_id", "article_id", "candidate_id", "system", "rater",
                    "category", "severity", "span_in", "start", "end"]
    if len(errs):
        ordered = errs.sort_values(["category", "weight", "flag_id"],
                                   ascending=[True, False, True], kind="stable")
        examples = ordered.groupby("category", sort=False).head(EXAMPLES_PER_CATEGORY)
        examples = examples[example_cols].reset_index(drop=True)
    else:
        examples = pd.DataFrame(columns=example_cols)
    return ErrorsView(matrix=matrix, top=top, examples=examples)


def per_system(units: pd.DataFrame, text: TextScores) -> pd.DataFrame:
    cols = ["system", "mqm", "ci_low", "ci_high", "segments", "per_1000_words", *METRIC_NAMES]
    rows = []
    for system, group in units.groupby("system", sort=True):
        summary = mqm_summary(group)
        rows.append({"system": system, "mqm": summary.score, "ci_low": summary.ci_low,
                     "ci_high": summary.ci_high, "segments": summary.segments,
                     "per_1000_words": summary.per_1000_words})
    table = pd.DataFrame(rows, columns=cols[:6])
    metrics = text.systems[["system", *METRIC_NAMES]] if len(text.systems) else None
    if metrics is not None:
        table = table.merge(metrics, on="system", how="outer")
    for name in METRIC_NAMES:
        if name not in table.columns:
            table[name] = np.nan
    table = table.sort_values(["mqm", "system"], kind="stable", na_position="last")
    return table[cols].reset_index(drop=True)


def win_tie_loss(units: pd.DataFrame) -> pd.DataFrame:
    """For each ordered pair of systems, on the segments both were rated on: how often A has
    fewer MQM points than B (win), as many (tie, up to float rounding) or more (loss)."""
    cols = ["system_a", "system_b", "wins", "ties", "losses", "segments"]
    if units.empty:
        return pd.DataFrame(columns=cols)
    wide = units.pivot_table(index="segment_id", columns="system", values="score",
                             aggfunc="mean")
    systems = list(wide.columns)
    values = wide.to_numpy(dtype=float)
    out = []
    for i, a in enumerate(systems):
        for j, b in enumerate(systems):
            if i == j:
                continue
            both = ~np.isnan(values[:, i]) & ~np.isnan(values[:, j])
            va, vb = values[both, i], values[both, j]
            tie = np.isclose(va, vb)
            out.append({"system_a": a, "system_b": b, "wins": int(((va < vb) & ~tie).sum()),
                        "ties": int(tie.sum()), "losses": int(((va > vb) & ~tie).sum()),
                        "segments": int(both.sum())})
    return pd.DataFrame(out, columns=cols)


def rank_agreement(table: pd.DataFrame, reference_systems: set[str],
                   against: str) -> pd.DataFrame:
    """Kendall's tau between the MQM ranking of systems and each metric's ranking.

    Metrics are oriented so that +1 means the metric orders systems exactly as MQM does
    (MQM and TER: lower is better; chrF and BLEU: higher is better). References are left out.
    """
    cols = ["metric", "against", "tau", "systems"]
    out = []
    usable = table[~table["system"].isin(reference_systems)]
    for name in METRIC_NAMES:
        both = usable[["mqm", name]].dropna()
        if len(both) < 2:
            continue
        metric = -both[name] if HIGHER_IS_BETTER[name] else both[name]
        out.append({"metric": name, "against": against,
                    "tau": kendall_tau(both["mqm"].to_numpy(), metric.to_numpy()),
                    "systems": len(both)})
    return pd.DataFrame(out, columns=cols)


def systems_view(units: pd.DataFrame, text: TextScores, reference_systems: set[str]
                 ) -> SystemsView:
    table = per_system(units, text)
    against = (str(text.systems["against"].iloc[0]) if len(text.systems) else "corrected")
    return SystemsView(table=table, win_tie_loss=win_tie_loss(units),
                       rank_agreement=rank_agreement(table, reference_systems, against),
                       reference=against)


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
    for state in ("open", "confirmed", "dismissed"):
        out[state] = counts.get(state, 0)
    out["suggested"] = out[["open", "confirmed", "dismissed"]].sum(axis=1)
    decided = out["confirmed"] + out["dismissed"]
    out["precision"] = out["confirmed"] / decided.where(decided > 0)
    return out.reset_index()[cols].sort_values("suggested", ascending=False,
                                                kind="stable").reset_index(drop=True)


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


def worst_view(frames: Frames, rows: pd.DataFrame, units: pd.DataFrame,
               limit: int = WORST_LIMIT) -> WorstView:
    """The units with the most MQM points and the segments with the highest risk."""
    mqm_cols = ["system", "segment_id", "article_id", "position", "score", "raters", "errors",
                "flags"]
    positions = frames.segments.set_index("id")["position"]
    if len(units):
        top = units.sort_values(["score", "errors", "segment_id"],
                                ascending=[False, False, True], kind="stable").head(limit)
        top = top[top["score"] > 0].copy()
        top["position"] = positions.reindex(top["segment_id"]).to_numpy()
        top["flags"] = _flag_summaries(rows, top[UNIT_KEYS])
        by_mqm = top[mqm_cols].reset_index(drop=True)
    else:
        by_mqm = pd.DataFrame(columns=mqm_cols)
    risk_cols = ["segment_id", "article_id", "position", "risk", "status", "flags"]
    segs = frames.segments[frames.segments["risk"].notna()]
    if len(segs):
        top = segs.sort_values(["risk", "id"], ascending=[False, True], kind="stable") \
            .head(limit)
        top = top.rename(columns={"id": "segment_id"})
        open_flags = frames.flags[(frames.flags["state"] != "dismissed")
                                  & (frames.flags["category"] != mqm_no_error())]
        labels = (open_flags.assign(label=open_flags["severity"] + " " + open_flags["category"])
                  .groupby("segment_id")["label"].agg(_summarise))
        top["flags"] = labels.reindex(top["segment_id"].astype(float)).fillna("").to_numpy()
        by_risk = top[risk_cols].reset_index(drop=True)
    else:
        by_risk = pd.DataFrame(columns=risk_cols)
    return WorstView(by_mqm=by_mqm, by_risk=by_risk)


def _summarise(labels: pd.Series) -> str:
    counts = labels.value_counts()
    return "; ".join(f"{label} ×{n}" if n > 1 else label for label, n in counts.items())


def _flag_summaries(rows: pd.DataFrame, keys: pd.DataFrame) -> list[str]:
    errs = rows[rows["is_error"]]
    errs = errs.merge(keys, on=UNIT_KEYS)
    if errs.empty:
        return [""] * len(keys)
    labels = (errs.assign(label=errs["severity"].astype(str) + " "
                          + errs["category"].astype(str))
              .groupby(UNIT_KEYS)["label"].agg(_summarise))
    index = pd.MultiIndex.from_frame(keys[UNIT_KEYS])
    return labels.reindex(index).fillna("").tolist()


# ----------------------------------------------------------------------------- all at once

def build_dashboard(frames: Frames, filters: DashboardFilters = DashboardFilters(),
                    text: TextScores | None = None, weights: MQMWeights = mqm.WMT_WEIGHTS,
                    freq: str = "W", filtered: Frames | None = None) -> DashboardData:
    """Every view for the filtered data. ``filtered``: the result of :func:`apply_filters`
    when the caller already computed it (the services do, to score only those texts)."""
    text = text or TextScores()
    options = filter_options(frames)
    view = filtered if filtered is not None else apply_filters(frames, filters)
    rows = mqm_rows(view, filters, weights)
    units = unit_scores(rows)
    references = set(view.candidates.loc[view.candidates["kind"] == "reference", "system"])
    empty = view.segments.empty or (rows.empty and view.flags.empty and view.revisions.empty)
    return DashboardData(
        filters=filters, options=options, overview=overview(view, units, text),
        errors=errors_view(rows), systems=systems_view(units, text, references),
        reviewers=reviewers_view(view, rows, text), trends=trends_view(view, rows, units, freq),
        worst=worst_view(view, rows, units), weights=weights.describe(), empty=empty)


def frame_names(obj: object) -> list[str]:
    """Names of the DataFrame fields of a view dataclass (for CSV downloads and tests)."""
    return [f.name for f in fields(obj) if isinstance(getattr(obj, f.name), pd.DataFrame)]
