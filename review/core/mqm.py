"""MQM scores from error annotations, weighted as in the WMT expert evaluations.

Weights follow Freitag et al. (2021), "Experts, Errors, and Context": Major 5, Minor 1,
Neutral 0, Minor ``Fluency/Punctuation`` 0.1, ``Non-translation`` 25 (a label for the whole
segment). ``Critical`` weighs 25 by default for teams that use it. ``No-error`` rows weigh 0
but say that the rater rated the segment, so it counts as a zero. ``Source error`` /
``Source issue`` rows count at their severity weight, as in the published scores. Rows with a
severity outside these (e.g. the ``HOTW-test`` attention checks) weigh 0.

A segment's score is the sum of its error weights for one rater, averaged over the raters of
that segment; a system's (or document's) score is the mean over its segments. Lower is better.
With these rules the published WMT 2021 TED en->de system scores are reproduced exactly
(tests/unit/test_mqm.py).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from review.core.errors import InputError
from review.core.vocab import MQM_GROUPINGS

SEGMENT_KEYS = ["system", "doc", "seg_id"]
REQUIRED_COLUMNS = ["system", "doc", "seg_id", "rater", "category", "severity"]


@dataclass(frozen=True)
class MQMWeights:
    """Error weights; ``describe()`` is stored next to every MQM score."""

    major: float = 5.0
    minor: float = 1.0
    neutral: float = 0.0
    critical: float = 25.0
    minor_punctuation: float = 0.1
    non_translation: float = 25.0
    punctuation_category: str = "Fluency/Punctuation"

    def describe(self) -> str:
        return ("mqm|major:{major:g}|minor:{minor:g}|neutral:{neutral:g}|critical:{critical:g}"
                "|minor-punct:{minor_punctuation:g}|non-translation:{non_translation:g}"
                ).format(**asdict(self))


WMT_WEIGHTS = MQMWeights()


def is_no_error(category: str, severity: str = "") -> bool:
    return _norm(category) in {"no-error", "no error", "none"} or _norm(severity) == "no-error"


def is_error(category: str, severity: str) -> bool:
    """A real error annotation (not ``No-error``, not an attention-check row)."""
    if is_no_error(category, severity):
        return False
    return (_norm(severity) in {"major", "minor", "critical", "neutral"}
            or _norm(category).startswith("non-translation"))


def _norm(text: object) -> str:
    return str(text or "").strip().lower()


def error_weight(category: str, severity: str, weights: MQMWeights = WMT_WEIGHTS) -> float:
    """Weight of one annotation row."""
    cat, sev = _norm(category), _norm(severity)
    if is_no_error(cat, sev):
        return 0.0
    if cat.startswith("non-translation"):
        return weights.non_translation
    if sev == "major":
        return weights.major
    if sev == "minor":
        punct = _norm(weights.punctuation_category)
        return weights.minor_punctuation if cat.startswith(punct) else weights.minor
    if sev == "critical":
        return weights.critical
    if sev == "neutral":
        return weights.neutral
    return 0.0


def _check(df: pd.DataFrame) -> pd.DataFrame:
    df = df.rename(columns={"docSegId": "seg_id", "doc_seg_id": "seg_id"})
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(
            f"MQM annotations lack the column(s) {', '.join(missing)}; expected "
            f"{', '.join(REQUIRED_COLUMNS)}."
        )
    return df


def weighted(df: pd.DataFrame, weights: MQMWeights = WMT_WEIGHTS) -> pd.DataFrame:
    """The rows with a ``weight`` column added (keys as strings, for stable grouping)."""
    df = _check(df).copy()
    for col in ("system", "doc", "seg_id", "rater"):
        df[col] = df[col].astype(str)
    df["weight"] = [error_weight(c, s, weights) for c, s in zip(df["category"], df["severity"])]
    df["is_error"] = [is_error(c, s) for c, s in zip(df["category"], df["severity"])]
    return df


def _rater_segments(w: pd.DataFrame) -> pd.DataFrame:
    return (w.groupby(SEGMENT_KEYS + ["rater"], sort=False)
            .agg(score=("weight", "sum"), errors=("is_error", "sum"))
            .reset_index())


def segment_scores(df: pd.DataFrame, weights: MQMWeights = WMT_WEIGHTS) -> pd.DataFrame:
    """One row per (system, doc, seg_id): ``score`` (mean over raters of the per-rater sums),
    ``raters`` and ``errors`` (mean error count per rater)."""
    per_rater = _rater_segments(weighted(df, weights))
    return (per_rater.groupby(SEGMENT_KEYS, sort=False)
            .agg(score=("score", "mean"), raters=("rater", "nunique"), errors=("errors", "mean"))
            .reset_index())


def system_scores(df: pd.DataFrame, weights: MQMWeights = WMT_WEIGHTS) -> pd.DataFrame:
    """Mean segment score per system, best (lowest) first."""
    return scores_by(df, "system", weights)


def scores_by(df: pd.DataFrame, by: str, weights: MQMWeights = WMT_WEIGHTS) -> pd.DataFrame:
    """MQM grouped by ``system``, ``document``, ``rater``, ``category`` or ``severity``.

    - system / document: mean segment score, with the number of segments and ``errors``
      (error annotations per rater, summed over the segments);
    - rater: mean of that rater's per-segment sums over the segments they rated;
    - category / severity: each group's contribution to the overall score (its points per
      segment, averaged over raters like the segment score), so the contributions add up to
      the overall mean; with the error count.
    Rows are sorted by score, highest contribution first for category/severity and lowest
    (best) first otherwise.
    """
    if by not in MQM_GROUPINGS:
        raise InputError(f"Cannot group MQM scores by {by!r}; "
                         f"choose one of {', '.join(MQM_GROUPINGS)}.")
    w = weighted(df, weights)
    if by in ("system", "document"):
        key = "system" if by == "system" else "doc"
        seg = _rater_segments(w).groupby(SEGMENT_KEYS, sort=False).agg(
            score=("score", "mean"), errors=("errors", "mean")).reset_index()
        out = (seg.groupby(key).agg(score=("score", "mean"), segments=("score", "size"),
                                    errors=("errors", "sum"))
               .reset_index().rename(columns={key: by}))
        return out.sort_values(["score", by], kind="stable").reset_index(drop=True)
    if by == "rater":
        per_rater = _rater_segments(w)
        out = (per_rater.groupby("rater").agg(score=("score", "mean"), segments=("score", "size"),
                                              errors=("errors", "sum")).reset_index())
        return out.sort_values(["score", "rater"], kind="stable").reset_index(drop=True)
    col = by
    n_raters = w.groupby(SEGMENT_KEYS, sort=False)["rater"].nunique().rename("n_raters")
    n_segments = len(n_raters)
    errs = w[w["is_error"]].join(n_raters, on=SEGMENT_KEYS)
    if errs.empty:
        return pd.DataFrame({by: pd.Series(dtype=str), "score": pd.Series(dtype=float),
                             "errors": pd.Series(dtype=int)})
    errs["share"] = errs["weight"] / errs["n_raters"]
    out = errs.groupby(col).agg(score=("share", "sum"), errors=("weight", "size")).reset_index()
    out["score"] = out["score"] / max(n_segments, 1)
    return out.sort_values(["score", col], ascending=[False, True],
                           kind="stable").reset_index(drop=True)


_TAG = re.compile(r"</?v>")
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\s\u3040-\u30ff\u3400-\u9fff"
                   r"\uac00-\ud7af]+")


def count_words(text: str) -> int:
    """Words of a target text: whitespace tokens, each CJK character counting as one."""
    return len(_WORD.findall(_TAG.sub("", str(text or ""))))


def per_thousand_words(
    df: pd.DataFrame, weights: MQMWeights = WMT_WEIGHTS, by: str = "system"
) -> pd.DataFrame:
    """Penalty points per 1,000 target words (the MQM scorecard habit), per ``by`` group.

    Points of a segment are averaged over its raters; words come from a ``words`` column if
    present, else from the ``target`` text (error-span tags removed).
    """
    keys = {"system": "system", "document": "doc"}
    if by not in keys:
        raise InputError("Points per 1,000 words are grouped by 'system' or 'document'.")
    w = weighted(df, weights)
    if "words" in w.columns:
        w["n_words"] = pd.to_numeric(w["words"], errors="coerce").fillna(0)
    elif "target" in w.columns:
        w["n_words"] = [count_words(t) for t in w["target"]]
    else:
        raise InputError("Counting words needs a 'words' or a 'target' column.")
    seg_words = w.groupby(SEGMENT_KEYS, sort=False)["n_words"].max()
    seg = _rater_segments(w).groupby(SEGMENT_KEYS, sort=False)["score"].mean()
    both = pd.DataFrame({"points": seg, "words": seg_words}).reset_index()
    key = keys[by]
    out = both.groupby(key).agg(points=("points", "sum"), words=("words", "sum")).reset_index()
    out["per_1000_words"] = [1000.0 * p / wd if wd else float("nan")
                             for p, wd in zip(out["points"], out["words"])]
    out = out.rename(columns={key: by})
    return out.sort_values(["per_1000_words", by], kind="stable").reset_index(drop=True)


def read_tsv(source: str | Path | io.IOBase) -> pd.DataFrame:
    """Minimal reader of the WMT MQM TSV files (for tests and benchmarks).

    Text columns hold quotes, hence ``QUOTE_NONE``; ``docSegId``/``doc_seg_id`` become
    ``seg_id``; a trailing comment column in the header is dropped.
    """
    df = pd.read_csv(source, sep="\t", quoting=csv.QUOTE_NONE, dtype=str,
                     keep_default_na=False, na_filter=False)
    df = df[[c for c in df.columns if not c.startswith("#")]]
    return _check(df)
