"""The dashboard's filter widgets in the sidebar and the filters they left on the
previous run.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from review.dashboard import DashboardData, DashboardFilters, filters_from_choices
from review.ui.dashboard_tabs.common import KEY

FREQS = {"Week": "W", "Day": "D"}


def filters_from_state() -> tuple[DashboardFilters, str, bool]:
    """The filters as the widgets left them on the previous run (defaults on the first)."""
    ss = st.session_state
    return filters_from_choices(
        ss.get(f"{KEY}_dates") or (), ss.get(f"{KEY}_articles") or (),
        ss.get(f"{KEY}_pairs") or (), ss.get(f"{KEY}_systems") or (),
        ss.get(f"{KEY}_reviewers") or (),
    ), FREQS.get(ss.get(f"{KEY}_freq", "Week"), "W"), bool(ss.get(f"{KEY}_ter", False))


def filter_widgets(data: DashboardData) -> None:
    """The filter widgets, in the sidebar; choices that no longer exist are dropped."""
    options = data.options
    choices: dict[str, Sequence[int | str]] = {
        "articles": list(options.articles), "pairs": options.language_pairs,
        "systems": options.systems, "reviewers": options.reviewers}
    stale = False
    for name, allowed in choices.items():
        key = f"{KEY}_{name}"
        current = st.session_state.get(key) or []
        kept = [v for v in current if v in allowed]
        if kept != current:
            st.session_state[key] = kept
            stale = True
    if stale:
        st.rerun()
    with st.sidebar:
        st.header("Filters")
        st.date_input("Dates (flags and edits made)", value=[], key=f"{KEY}_dates",
                      min_value=options.first_day, max_value=options.last_day,
                      help="Empty: all dates")
        st.multiselect("Articles", choices["articles"], key=f"{KEY}_articles",
                       format_func=lambda i: f"{i} · {options.articles.get(i, '')}",
                       placeholder="All articles")
        st.multiselect("Language pairs", choices["pairs"], key=f"{KEY}_pairs",
                       placeholder="All pairs")
        st.multiselect("Systems", choices["systems"], key=f"{KEY}_systems",
                       placeholder="All systems")
        st.multiselect("Reviewers and raters", choices["reviewers"], key=f"{KEY}_reviewers",
                       placeholder="Everybody")
        st.radio("Trends per", list(FREQS), key=f"{KEY}_freq", horizontal=True)
        st.checkbox("Also TER for systems and retranslations", key=f"{KEY}_ter",
                    help="TER takes long on long segments; chrF and BLEU are always shown")
