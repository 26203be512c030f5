"""The worst-segments tab: the units with the most MQM points and the segments
with the highest risk, each with a summary of its flags.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import pandas as pd

from review.dashboard.frames import Frames
from review.dashboard.units import UNIT_KEYS, mqm_no_error

WORST_LIMIT = 50


@dataclass
class WorstView:
    by_mqm: pd.DataFrame
    by_risk: pd.DataFrame


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


def rank_articles(article_ids: Sequence[int], rank: Callable[[int], object]
                  ) -> Iterator[tuple[int, int]]:
    """Call ``rank`` (the risk-ranking service) on each article in turn, yielding
    (done, total) after each so the caller can show progress; stops at the first error."""
    for done, article_id in enumerate(article_ids, start=1):
        rank(article_id)
        yield done, len(article_ids)
