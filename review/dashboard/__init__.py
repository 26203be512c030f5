"""Aggregations behind the leads' dashboards and the MQM report: pandas over the store's rows.

The report services load the store's rows into :class:`Frames` (ids, labels and numbers; no
texts) and hand them here with the scores that need texts (:class:`TextScores`). Everything
here is plain pandas/numpy so it runs the same under the CLI, the tests and the page, and
scales with vectorised group-bys rather than Python loops over flags.

One module per view (overview, errors, systems, raters, trends, worst), below them the inputs
(frames), the filters, the counted MQM rows (units) and the statistics; :mod:`build` puts every
view together. The names are re-exported here so callers write ``dash.build_dashboard``.
"""

from __future__ import annotations

from review.dashboard.build import (
    DashboardData,
    build_dashboard,
    frame_names,
)
from review.dashboard.errors import (
    EXAMPLES_PER_CATEGORY,
    ErrorsView,
    errors_view,
)
from review.dashboard.filters import (
    DEFAULT_SYSTEM,
    DashboardFilters,
    FilterOptions,
    _in_dates,
    _mt_systems,
    apply_filters,
    articles_in_filters,
    filter_options,
    filters_from_choices,
)
from review.dashboard.frames import (
    ARTICLE_COLUMNS,
    CANDIDATE_COLUMNS,
    COLUMNS,
    DECISION_COLUMNS,
    FLAG_COLUMNS,
    REVISION_COLUMNS,
    SEGMENT_COLUMNS,
    Frames,
    TextScores,
    frames_from_records,
    language_pair,
)
from review.dashboard.overview import (
    Overview,
    overview,
)
from review.dashboard.raters import (
    AgreementSummary,
    ReviewersView,
    checks_table,
    rater_agreement,
    reviewers_view,
    span_agreement,
)
from review.dashboard.stats import (
    BOOTSTRAP_SAMPLES,
    MeanComparison,
    bootstrap_mean_ci,
    kendall_tau,
    krippendorff_alpha_interval,
    paired_bootstrap_means,
)
from review.dashboard.systems import (
    SystemsView,
    per_system,
    rank_agreement,
    systems_view,
    win_tie_loss,
    win_tie_loss_matrix,
)
from review.dashboard.trends import (
    TrendsView,
    trends_view,
)
from review.dashboard.units import (
    SMALL_SAMPLE,
    UNIT_KEYS,
    MQMSummary,
    mqm_no_error,
    mqm_rows,
    mqm_summary,
    unit_scores,
)
from review.dashboard.worst import (
    WORST_LIMIT,
    WorstView,
    rank_articles,
    worst_view,
)

__all__ = [
    "ARTICLE_COLUMNS",
    "AgreementSummary",
    "BOOTSTRAP_SAMPLES",
    "CANDIDATE_COLUMNS",
    "COLUMNS",
    "DECISION_COLUMNS",
    "DEFAULT_SYSTEM",
    "DashboardData",
    "DashboardFilters",
    "EXAMPLES_PER_CATEGORY",
    "ErrorsView",
    "FLAG_COLUMNS",
    "FilterOptions",
    "Frames",
    "MQMSummary",
    "MeanComparison",
    "Overview",
    "REVISION_COLUMNS",
    "ReviewersView",
    "SEGMENT_COLUMNS",
    "SMALL_SAMPLE",
    "SystemsView",
    "TextScores",
    "TrendsView",
    "UNIT_KEYS",
    "WORST_LIMIT",
    "WorstView",
    "_in_dates",
    "_mt_systems",
    "apply_filters",
    "articles_in_filters",
    "bootstrap_mean_ci",
    "build_dashboard",
    "checks_table",
    "errors_view",
    "filter_options",
    "filters_from_choices",
    "frame_names",
    "frames_from_records",
    "kendall_tau",
    "krippendorff_alpha_interval",
    "language_pair",
    "mqm_no_error",
    "mqm_rows",
    "mqm_summary",
    "overview",
    "paired_bootstrap_means",
    "per_system",
    "rank_agreement",
"rank_articles",
    "rater_agreement",
    "reviewers_view",
    "span_agreement",
    "systems_view",
    "trends_view",
    "unit_scores",
    "win_tie_loss",
    "win_tie_loss_matrix",
    "worst_view",
]
