"""Second-pass agreement: what a second reviewer (R2) did with the first one's (R1) flags.

The same measure serves two sources: the decisions R2 recorded in the workbench, and two
independent raters of an imported annotation file, where R2's decisions are inferred by
matching spans (``decisions_from_two_raters``): an R1 error that an R2 error overlaps with
the same category and severity was kept, one overlapped with another label was changed, one
R2 did not mark was rejected, and an R2 error that overlaps no R1 error was added.
"""

from __future__ import annotations

import pandas as pd

from review.core.vocab import R2_OUTCOME_LABELS

DECISION_COLUMNS = ["unit", "r1", "category", "decision"]
AGREEMENT_COLUMNS = ["group", "flags", "kept", "changed", "rejected", "added", "kept_share"]


def decisions_from_two_raters(r1: pd.DataFrame, r2: pd.DataFrame,
                              units: set | None = None) -> pd.DataFrame:
    """Error rows (unit, rater, category, severity, start, end, optionally span_in) of two
    raters -> decisions.

    Only ``units`` both raters rated are compared (default: those where both marked an
    error; pass the units both rated, clean ones included, so an error the other rater did
    not mark counts as rejected). Errors without a span match on category within their
    unit; spans match only on the same side (source or target)."""
    if units is None:
        units = set(r1["unit"]) & set(r2["unit"])
    r1, r2 = r1[r1["unit"].isin(units)], r2[r2["unit"].isin(units)]
    out: list[dict] = []
    r2_by_unit = {u: g for u, g in r2.groupby("unit", sort=False)}
    used: set[int] = set()
    for unit, group in r1.groupby("unit", sort=False):
        theirs = r2_by_unit.get(unit, r2.iloc[0:0])
        for row in group.itertuples(index=False):
            match = _match(row, theirs, used)
            if match is None:
                decision = "reject"
            else:
                used.add(match.Index)
                same = (match.category == row.category and match.severity == row.severity)
                decision = "accept" if same else "change"
            out.append({"unit": unit, "r1": row.rater, "category": row.category,
                        "decision": decision})
    for row in r2.itertuples():
        if row.Index not in used:
            out.append({"unit": row.unit, "r1": "", "category": row.category,
                        "decision": "add"})
    return pd.DataFrame(out, columns=DECISION_COLUMNS)


def _match(row, theirs: pd.DataFrame, used: set[int]):  # noqa: ANN001, ANN202
    """The first unused R2 error on the unit that overlaps ``row``'s span."""
    for other in theirs.itertuples():
        if other.Index in used:
            continue
        if pd.isna(row.start) or pd.isna(other.start):
            if other.category == row.category:
                return other
            continue
        if getattr(row, "span_in", "target") != getattr(other, "span_in", "target"):
            continue
        if row.start < max(other.end, other.start + 1) and other.start < max(row.end,
                                                                             row.start + 1):
            return other
    return None


def agreement_table(decisions: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts of kept / changed / rejected R1 flags (and R2 additions) per ``by``
    ("category" or "r1"), with the share R2 kept unchanged; one row "all" at the end."""
    if decisions.empty:
        return pd.DataFrame(columns=AGREEMENT_COLUMNS)
    labels = decisions["decision"].map(R2_OUTCOME_LABELS)
    frame = decisions.assign(outcome=labels)
    rows = []
    groups = list(frame.groupby(by, sort=True)) + [("all", frame)]
    for name, group in groups:
        if name == "" and by == "r1":
            continue  # additions name no R1 author
        counts = group["outcome"].value_counts()
        judged = int(counts.get("kept", 0) + counts.get("changed", 0)
                     + counts.get("rejected", 0))
        rows.append({"group": name, "flags": judged, "kept": int(counts.get("kept", 0)),
                     "changed": int(counts.get("changed", 0)),
                     "rejected": int(counts.get("rejected", 0)),
                     "added": int(counts.get("added", 0)),
                     "kept_share": counts.get("kept", 0) / judged if judged else float("nan")})
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
