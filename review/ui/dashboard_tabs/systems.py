"""The Systems tab: MQM per system, a significance test between two systems,
wins/ties/losses and how the metrics rank the systems.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from review.accounts.permissions import Actor
from review.core.errors import ReviewError
from review.dashboard import DashboardData, DashboardFilters, win_tie_loss_matrix
from review.services import Workbench
from review.ui.dashboard_tabs.common import (
    KEY,
    _fmt,
    chart,
    load_comparison,
    metric_labels,
    table,
)
from review.ui.markup import inert, md


def systems_tab(workbench: Workbench, actor: Actor, version: str, data: DashboardData,
                filters: DashboardFilters) -> None:
    _esa_ranking(workbench, actor)
    systems = data.systems
    if systems.table.empty:
        st.info("No system has been rated for these filters.")
        return
    against = "the reference" if systems.reference == "reference" else "the corrected text"
    rated = systems.table.dropna(subset=["mqm"])
    if len(rated):
        base = alt.Chart(rated).encode(y=alt.Y("system:N", sort=alt.EncodingSortField(
            "mqm", order="ascending"), title=None))
        bars = base.mark_bar().encode(x=alt.X("mqm:Q", title="MQM per segment (lower is "
                                                              "better)"),
                                      tooltip=["system:N", alt.Tooltip("mqm:Q", format=".3f"),
                                               "segments:Q"])
        whiskers = base.mark_rule().encode(x="ci_low:Q", x2="ci_high:Q")
        chart(bars + whiskers, "mqm-per-system", "systems")
    st.caption(f"Metrics score each system against {against}; the whiskers are 95% bootstrap "
               "intervals. TER: tick “Also TER” in the sidebar.")
    table(systems.table, "systems", "systems")

    st.subheader("Is the difference significant?")
    names = list(systems.table["system"])
    cols = st.columns(3)
    first = cols[0].selectbox("System A", names, key=f"{KEY}_sys_a")
    second = cols[1].selectbox("System B", names, index=min(1, len(names) - 1),
                               key=f"{KEY}_sys_b")
    metric = cols[2].selectbox("Metric", list(metric_labels()),
                               format_func=metric_labels().__getitem__, key=f"{KEY}_sys_metric")
    if first == second:
        st.caption("Choose two different systems.")
    else:
        try:
            result = load_comparison(workbench, actor, version, filters, first, second, metric)
        except ReviewError as exc:
            st.error(inert(exc))
        else:
            _comparison(result)

    st.subheader("Wins, ties and losses (per segment MQM)")
    wtl = systems.win_tie_loss
    if not wtl.empty:
        st.caption("Row system against column system: wins / ties / losses, on the segments "
                   "both were rated on.")
        table(win_tie_loss_matrix(wtl), "win-tie-loss-matrix", "wtl_grid")
    table(wtl, "win-tie-loss", "wtl")

    st.subheader("Do the metrics rank systems like MQM?")
    st.caption("Kendall's tau between the MQM ranking and each metric's ranking "
               f"(metrics against {against}; +1: same order, −1: reversed).")
    table(systems.rank_agreement, "rank-agreement", "rank")


def _esa_ranking(workbench: Workbench, actor: Actor) -> None:
    """The systems ranked by their reviewers' 0-100 segment scores, shown once any exist."""
    esa = workbench.ratings.esa_report(actor, by="system")
    if not esa["rows"]:
        return
    st.subheader("ESA ranking (segment scores 0–100, higher is better)")
    frame = pd.DataFrame(esa["rows"])[["rank", "system", "mean", "low", "high", "count"]]
    table(frame.rename(columns={"low": "95% low", "high": "95% high", "count": "scores"}),
          "esa-ranking", "esa")
    st.caption("Mean of the scores reviewers gave in rating mode, over every article, with "
               "a 95% t interval; overlapping intervals do not separate two systems.")


def _comparison(result) -> None:  # noqa: ANN001 - SystemComparison
    m = result.mqm
    if m.n == 0:
        st.info("The two systems share no rated segment.")
    else:
        verdict = ("significant" if m.p_value < 0.05 else "not significant")
        st.markdown(
            f"**MQM** over {m.n:,} shared segments: {md(result.system_a)} "
            f"{_fmt(m.a_score, 3)}, {md(result.system_b)} {_fmt(m.b_score, 3)}; "
            f"B − A = {_fmt(m.delta, 3)} "
            f"(95% CI {_fmt(m.ci_low, 3)} to {_fmt(m.ci_high, 3)}), p = {m.p_value:.3f} — "
            f"{verdict} at 5%.")
    r = result.metric
    if r is not None:
        label = metric_labels().get(result.metric_name, result.metric_name)
        verdict = "significant" if r.p_value < 0.05 else "not significant"
        st.markdown(
            f"**{md(label)}** against the {md(result.against)} over {r.n:,} segments: "
            f"{_fmt(r.a_score)} vs {_fmt(r.b_score)}; B − A = {_fmt(r.delta)} "
            f"(95% CI {_fmt(r.ci_low)} to {_fmt(r.ci_high)}), p = {r.p_value:.3f} — {verdict}.")
    st.caption("Paired bootstrap resampling over segments (1,000 resamples).")
