"""What every dashboard tab shares: the cached service calls, tables and charts with
their downloads (produced only when clicked), number formatting and the jump to the Review
page.
"""

from __future__ import annotations

import math
from typing import Literal, SupportsInt, TypeAlias

import altair as alt
import pandas as pd
import streamlit as st

from review.accounts.permissions import Actor
from review.dashboard import DashboardData, DashboardFilters
from review.formats.formulas import frame_csv
from review.metrics import METRICS, segment_metrics
from review.services import Workbench
from review.ui import state

KEY = "dashboard"
REVIEW_PAGE = "review/ui/pages/review.py"

Figure: TypeAlias = (alt.Chart | alt.LayerChart | alt.ConcatChart | alt.HConcatChart
                     | alt.VConcatChart | alt.FacetChart | alt.RepeatChart)
"""The Altair charts ``st.altair_chart`` draws."""



def metric_labels() -> dict[str, str]:
    """The per-segment metrics the dashboards show, by name, with their labels."""
    return {name: METRICS[name].label for name in segment_metrics()}


@st.cache_data(show_spinner="Computing the dashboards…", max_entries=16)
def load_dashboard(_workbench: Workbench, actor: Actor, version: str, filters: DashboardFilters,
                   freq: str, with_ter: bool) -> DashboardData:
    """All views for the filters, recomputed only when the data version changes."""
    return _workbench.reports.dashboard_data(actor, filters, freq=freq, with_ter=with_ter)


@st.cache_data(show_spinner="Resampling…", max_entries=16)
def load_comparison(_workbench: Workbench, actor: Actor, version: str, filters: DashboardFilters,
                    system_a: str, system_b: str, metric: str):  # noqa: ANN201
    return _workbench.reports.compare_systems(actor, filters, system_a, system_b, metric)


@st.cache_data(show_spinner=False, max_entries=64)
def chart_bytes(spec: str, fmt: str) -> bytes:
    """A chart rendered to PNG or SVG (vl-convert), once per chart and format."""
    import vl_convert

    if fmt == "png":
        return vl_convert.vegalite_to_png(vl_spec=spec, scale=2)
    return vl_convert.vegalite_to_svg(vl_spec=spec).encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=64)
def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table's CSV download, formulas neutralised like every CSV the app writes."""
    return frame_csv(frame)


def table(frame: pd.DataFrame, name: str, key: str, *, height: int | Literal["auto"] = "auto",
          column_config: dict | None = None) -> None:
    """A table with its CSV download (the CSV is written when the button is clicked)."""
    if frame.empty:
        st.caption("Nothing to show for these filters.")
        return
    shown = frame.drop(columns=[c for c in metric_labels() if c in frame.columns
                                and frame[c].isna().all()])
    headers = {col: header(col) for col in shown.columns if header(col) != col}
    labels = {name: st.column_config.NumberColumn(label, width="medium")  # never cut off
              for name, label in metric_labels().items() if name in shown.columns}
    st.dataframe(_display(shown), hide_index=True, width="stretch", height=height,
                 key=f"{KEY}_{key}_table",
                 column_config={**headers, **labels, **(column_config or {})})
    st.download_button(f"{name}.csv", data=lambda: csv_bytes(frame), file_name=f"{name}.csv",
                       mime="text/csv", key=f"{KEY}_{key}_csv", on_click="ignore",
                       icon=":material/download:")


def chart(figure: Figure, name: str, key: str, height: int | None = None) -> None:
    """A chart with PNG and SVG downloads, rendered only when asked for."""
    st.altair_chart(figure, width="stretch", height=height or "content",
                    key=f"{KEY}_{key}_chart")
    spec = figure.to_json()
    cols = st.columns(2)
    cols[0].download_button(f"{name}.png", data=lambda: chart_bytes(spec, "png"),
                            file_name=f"{name}.png", mime="image/png", key=f"{KEY}_{key}_png",
                            on_click="ignore", icon=":material/image:")
    cols[1].download_button(f"{name}.svg", data=lambda: chart_bytes(spec, "svg"),
                            file_name=f"{name}.svg", mime="image/svg+xml",
                            key=f"{KEY}_{key}_svg", on_click="ignore",
                            icon=":material/image:")


_HEADERS = {"ci_low": "95% CI low", "ci_high": "95% CI high", "mqm": "MQM",
            "mqm_per_segment": "MQM per segment", "rater_a": "Rater A", "rater_b": "Rater B",
            "span_f1": "Span F1", "check_name": "Check", "n": "Count", "kendall_tau":
            "Kendall's tau", "alpha": "Krippendorff's alpha", "hter": "HTER", "id": "Id",
            "article_id": "Article", "segment_id": "Segment", "per_1000": "Per 1,000 words"}


def header(column: object) -> str:
    """How a table names a data column: words, not identifiers ("ci_low" -> "95% CI low");
    the CSV download keeps the identifiers."""
    name = str(column)
    if name in _HEADERS:
        return _HEADERS[name]
    if name != name.lower() or "_" not in name:
        return name  # already written for people ("Catch rate"), or one plain word
    return name.replace("_", " ").capitalize()


def _display(frame: pd.DataFrame) -> pd.DataFrame:
    """Floats rounded for reading, empty text cells blank rather than "None" (downloads keep
    full precision)."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(3)
        elif out[col].dtype == object:
            out[col] = out[col].where(out[col].notna(), "")
    return out


def _fmt(value: float, digits: int = 2) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{value:,.{digits}f}"


def open_segment(article_id: SupportsInt, segment_id: SupportsInt) -> None:
    """Jump to the Review page on one segment."""
    state.set_article_id(int(article_id))
    state.set_segment_id(int(segment_id))
    st.switch_page(REVIEW_PAGE)
