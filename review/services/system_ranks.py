"""The Systems view's significance clusters: the same MQM units the dashboard scores,
ranked with rank ranges from a paired bootstrap (``review.quality.clusters``)."""

from __future__ import annotations

import pandas as pd

from review import dashboard as dash
from review.accounts.permissions import Actor, require
from review.core import mqm
from review.core.vocab import MT_VS_CORRECTED_LABEL
from review.quality.clusters import significance_clusters
from review.services.dashboards import ReportServices

NOT_MT_NAMES = frozenset({"corrected", "corrected text", MT_VS_CORRECTED_LABEL.lower()})
"""System names that stand for the reviewers' corrected text rather than a system's MT."""


class SystemRankServices(ReportServices):  # builds on its frames
    """Significance clusters for the dashboard's filters."""

    def system_clusters(self, actor: Actor, filters: dash.DashboardFilters | None = None,
                        samples: int = 1000) -> pd.DataFrame:
        """system, mqm, segments, rank_low, rank_high, cluster, note; references and the
        corrected text are listed with a note, never ranked."""
        require(actor, "dashboard.view")
        filters = filters or dash.DashboardFilters()
        _, version = self._data()
        view = dash.apply_filters(version.frames, filters)
        units = dash.unit_scores(dash.mqm_rows(view, filters, mqm.WMT_WEIGHTS))
        cands = view.candidates
        not_mt = set(cands.loc[cands["kind"] == "reference", "system"].astype(str))
        not_mt |= {s for s in units["system"].astype(str).unique()
                   if s.strip().lower() in NOT_MT_NAMES}
        return significance_clusters(units[["system", "segment_id", "score"]], not_mt=not_mt,
                                     samples=samples)
