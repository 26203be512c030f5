"""The dashboards' inputs: the store's rows as typed DataFrames (no texts) and the
scores that need texts, so every view works on one well-typed shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from review.metrics import segment_metrics

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
        columns=["comparison", *segment_metrics(), "segments", "signature"]))
    systems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["system", *segment_metrics(), "segments", "against"]))
