"""Reusable renderers; every widget key is prefixed by the page that owns it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from review.core.vocab import MQM_CATEGORIES, MT_VS_CORRECTED, RESIDUE_KINDS, SEVERITIES
from review.metrics import METRICS, segment_metrics
from review.services.views import ArticleScores, FlagView, SegmentDetail, SegmentRow
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


def segment_grid(rows: list[SegmentRow], key: str) -> dict:
    """An editable grid (only the Corrected column); returns the edited rows by grid index."""
    frame = segment_frame(rows)
    st.data_editor(
        _dim_residue(frame), key=key, hide_index=True, width="stretch", height=420,
        disabled=[c for c in GRID_COLUMNS if c != "Corrected"],
        column_config={
            "#": st.column_config.NumberColumn(width="small"),
            "Kind": st.column_config.TextColumn(width="small"),
            "MT": st.column_config.TextColumn(width="medium"),
            "Retranslation": st.column_config.TextColumn(width="medium"),
            "Corrected": st.column_config.TextColumn(width="medium",
                                                     help="double-click a cell to edit it"),
            "Status": st.column_config.TextColumn(width="small"),
            "Flags": st.column_config.NumberColumn(width="small"),
            "Risk": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0,
                                                    format="%.2f", width="small"),
        },
    )
    state = st.session_state.get(key) or {}
    return state.get("edited_rows", {}) if isinstance(state, dict) else {}


def diff_view(old: str, new: str, *, label: str) -> None:
    """Word-level differences, every piece of text HTML-escaped before it reaches the page."""
    st.caption(md(label))
    body = diff_html(old, new) if old != new else highlight_html(new, [])
    st.html(f'{DIFF_CSS}<div class="diff-box" data-testid="diff-view">{body}</div>')


def text_with_flags(text: str, flags: list[FlagView], *, label: str) -> None:
    spans = [(f.start, f.end, f"{f.severity} {f.category}") for f in flags
             if f.start is not None and f.end is not None and f.state != "dismissed"
             and f.span_in == "target"]
    st.caption(md(label))
    st.html(f'{DIFF_CSS}<div class="diff-box">{highlight_html(text, spans)}</div>')


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


def flag_form(key: str, detail: SegmentDetail) -> dict | None:
    """The add-flag form; returns the submitted values or None."""
    targets = ["mt"] + [c.system for c in detail.candidates]
    with st.form(key=f"{key}_form", clear_on_submit=True):
        cols = st.columns([3, 1, 1])
        category = cols[0].selectbox("MQM category", MQM_CATEGORIES, key=f"{key}_category")
        severity = cols[1].selectbox("Severity", SEVERITIES, index=1, key=f"{key}_severity")
        target = cols[2].selectbox("Text", targets, key=f"{key}_target",
                                   format_func=lambda t: "MT" if t == "mt" else t)
        span = st.text_input("Span (copy the erroneous words; empty = whole segment)",
                             key=f"{key}_span")
        note = st.text_input("Note", key=f"{key}_note")
        if st.form_submit_button("Add flag"):
            return {"category": category, "severity": severity, "target": target,
                    "span": span, "note": note}
    return None
