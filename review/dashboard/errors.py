"""The errors tab: which categories and severities cost the most points, with
examples to look at.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

EXAMPLES_PER_CATEGORY = 5


@dataclass
class ErrorsView:
    matrix: pd.DataFrame  # category, severity, count, points
    top: pd.DataFrame  # category, count, points, share
    examples: pd.DataFrame  # flag/segment/article ids, category, severity, system, rater...


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
