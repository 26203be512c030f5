"""Dashboard panels for quality control: the team's reviewers apart from imported raters,
significance clusters of systems, and the articles' verdicts. Each reads the Workbench and
renders; the dashboard's tabs call them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from review.accounts.permissions import Actor
from review.dashboard import DashboardFilters
from review.services import Workbench
from review.ui.markup import md

KEY = "qpanel"
ROW_PX = 35
"""Height of a table row and of its header (Streamlit's default)."""

TEAM_HEADERS = {"Assigned segments": "Segments", "Total time (min)": "Minutes",
                "Words per hour": "Words/h", "Catch rate 95%": "95% interval",
                "R1 flags judged": "R2 judged", "Kept by R2": "R2 kept"}
"""Shorter headers, so that all twelve columns fit a laptop screen."""
RATER_COLUMNS = {"reviewer": "Rater", "segments_rated": "Segments rated", "errors": "Errors",
                 "points": "MQM points", "mqm": "MQM per segment"}


def team_reviewers_panel(workbench: Workbench, actor: Actor, table: pd.DataFrame) -> None:
    """The team's reviewers (accounts) with progress, time, catch rate and R1/R2 judgement;
    then the raters named in imported annotation files, with readable columns."""
    overview = workbench.overview.team_overview(actor)
    st.subheader("The team's reviewers")
    if overview.team.empty:
        st.caption("No reviewer account yet: invite one on the Team page.")
    else:
        st.dataframe(overview.team, hide_index=True, width="stretch", key=f"{KEY}_team",
                     column_config={name: st.column_config.Column(label)
                                    for name, label in TEAM_HEADERS.items()})
        st.caption("Segments and Done: across all their assignments (done: fixed or "
                   "approved). Minutes and words per hour: their timed edits. Catch rate: "
                   "attention checks caught at the first look, with its 95% interval. R2 "
                   "judged: their flags a second reviewer decided on; R2 kept: the share "
                   "kept unchanged.")
    raters = table[~table["reviewer"].isin(overview.members)] if len(table) else table
    st.subheader("Raters from imported files")
    if raters.empty:
        st.caption("No imported annotations under these filters.")
        return
    shown = raters[[c for c in RATER_COLUMNS if c in raters.columns]].rename(
        columns=RATER_COLUMNS)
    st.dataframe(shown.round(3).astype(object).where(shown.notna(), ""), hide_index=True,
                 width="stretch", key=f"{KEY}_raters")


def clusters_panel(workbench: Workbench, actor: Actor, filters: DashboardFilters) -> None:
    """Systems grouped into significance clusters, as WMT reports them."""
    clusters = workbench.reports.system_clusters(actor, filters)
    st.subheader("Significance clusters")
    if clusters.empty:
        st.caption("No system has been rated for these filters.")
        return
    ranked = clusters[clusters["cluster"].notna()]
    shown = pd.DataFrame({
        "Cluster": ranked["cluster"].astype(int), "System": ranked["system"],
        "MQM per segment": ranked["mqm"].round(3),
        "Rank range": [f"{int(lo)}–{int(hi)}" for lo, hi in
                       zip(ranked["rank_low"], ranked["rank_high"])],
        "Segments": ranked["segments"], "Note": ranked["note"]})
    # Every system in view (up to 20): the last ranks must not hide behind a scroll bar.
    st.dataframe(shown, hide_index=True, width="stretch", key=f"{KEY}_clusters",
                 height=ROW_PX * (min(len(shown), 20) + 1) + 3)
    st.caption(f"Systems are compared on the {clusters.attrs.get('shared_segments', 0):,} "
               "segments they all have. Rank ranges are the 95% range of each system's rank "
               "over 1,000 paired bootstrap resamples of the segments; a new cluster starts "
               "where every system above ranks better than every system below. Lower MQM is "
               "better.")
    for note in clusters.loc[clusters["note"] != "", ["system", "note"]].itertuples():
        st.warning(f"{md(note.system)}: {md(note.note)}")


def verdicts_panel(workbench: Workbench, actor: Actor) -> None:
    """Pass or fail per article under the default quality profile."""
    verdicts = workbench.verdicts.verdicts(actor)
    if not verdicts:
        st.caption("No quality profile yet: define one on the Quality page.")
        return
    failed = [v for v in verdicts if v.passed is False]
    passed = [v for v in verdicts if v.passed]
    waiting = len(verdicts) - len(failed) - len(passed)
    st.markdown(f"**Verdicts ({md(verdicts[0].profile)}):** {len(passed)} pass, "
                f"{len(failed)} fail" + (f", {waiting} not reviewed yet." if waiting else "."))
    st.dataframe(pd.DataFrame([{"Article": v.article_id, "Verdict": v.label,
                                "Per 1,000 words": round(v.per_1000, 1), "Reason": v.reason}
                               for v in verdicts]),
                 hide_index=True, width="stretch", key=f"{KEY}_verdicts")


def batch_names(workbench: Workbench, actor: Actor, frame: pd.DataFrame) -> pd.DataFrame:
    """The per-batch table with each batch named by its file and import time."""
    if frame.empty or "batch" not in frame.columns:
        return frame
    labels = workbench.overview.batch_labels(actor)
    return frame.assign(batch=[labels.get(b, b) for b in frame["batch"]])
