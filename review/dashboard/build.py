"""Every view for the filtered data at once: the one entry point the report
services and the benchmarks call.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

from review.core import mqm
from review.core.mqm import MQMWeights
from review.dashboard.errors import ErrorsView, errors_view
from review.dashboard.filters import DashboardFilters, FilterOptions, apply_filters, filter_options
from review.dashboard.frames import Frames, TextScores
from review.dashboard.overview import Overview, overview
from review.dashboard.raters import ReviewersView, reviewers_view
from review.dashboard.systems import SystemsView, systems_view
from review.dashboard.trends import TrendsView, trends_view
from review.dashboard.units import mqm_rows, unit_scores
from review.dashboard.worst import WorstView, worst_view


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


def frame_names(obj: DataclassInstance) -> list[str]:
    """Names of the DataFrame fields of a view dataclass (for CSV downloads and tests)."""
    return [f.name for f in fields(obj) if isinstance(getattr(obj, f.name), pd.DataFrame)]
