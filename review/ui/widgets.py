"""Reusable renderers; every widget key is prefixed by the page that owns it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from review.core.vocab import MT_VS_CORRECTED, RESIDUE_KINDS
from review.metrics import METRICS, segment_metrics
from review.services.views import ArticleScores, SegmentDetail, SegmentRow
from review.text.diff import DIFF_CSS, diff_html, highlight_html
from review.ui.markup import md

GRID_COLUMNS = ["#", "Kind", "MT", "Retranslation", "Corrected", "Status", "Flags", "Risk"]


def segment_frame(rows: list[SegmentRow]) -> pd.DataFrame:
    return pd.DataFrame({
        "#": [r.position + 1 for r in rows],
        "Kind": [r.kind for r in rows],
        "MT": [r.mt for r in rows],
        "Retranslation": [r.retranslation or "" for r in rows],
        "Corrected": [r.current for r in rows],
        "Status": [r.status for r in rows],
        "Flags": [r.flags for r in rows],
        "Risk": [None if r.risk is None else round(r.risk, 2) for r in rows],
    }, columns=GRID_COLUMNS)


def _dim_residue(frame: pd.DataFrame):  # noqa: ANN202 - pandas Styler
    def style(row: pd.Series) -> list[str]:
        dim = row["Kind"] in RESIDUE_KINDS
        return ["color: #9aa0a6; font-style: italic" if dim else "" for _ in row]
    return frame.style.apply(style, axis=1)


def diff_view(old: str, new: str, *, label: str) -> None:
    """Word-level differences, every piece of text HTML-escaped before it reaches the page."""
    st.caption(md(label))
    body = diff_html(old, new) if old != new else highlight_html(new, [])
    st.html(f'{DIFF_CSS}<div class="diff-box" data-testid="diff-view">{body}</div>')


def scores_view(detail: SegmentDetail, article_scores: ArticleScores | None) -> None:
    seg = detail.scores.get(MT_VS_CORRECTED, {})
    names = segment_metrics()
    cols = st.columns(len(names))
    for col, metric in zip(cols, names):
        label = METRICS[metric].post_edit_label or METRICS[metric].label
        value = seg.get(metric)
        total = article_scores.corpus.get(metric) if article_scores else None
        col.metric(f"{label} (segment)", "—" if value is None else f"{value:.1f}",
                   help=detail.signatures.get(metric, "not scored yet"))
        if total is not None:
            col.caption(f"article {label}: {total.value:.1f}")
    if detail.signatures:
        st.caption("MT scored against the corrected text; signatures: "
                   + " · ".join(sorted(set(detail.signatures.values()))))

