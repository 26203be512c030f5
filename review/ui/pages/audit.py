"""Audit page (leads): who did what and when, filtered, with segment numbers as the Review
page shows them and details in words."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pandas as pd
import streamlit as st

from review.accounts.permissions import can
from review.ui.resources import get_workbench
from review.ui.session import require_actor

KEY = "audit"

workbench = get_workbench()
actor = require_actor(workbench)
st.title("Audit trail")
if not can(actor, "audit.view"):
    st.warning("Only leads and admins read the audit trail.")
    st.stop()

people, actions = workbench.audit.audit_filters(actor)
articles = {a.id: f"{a.id} · {a.title}" for a in workbench.reading.summaries(actor)}
cols = st.columns(4)
who = cols[0].selectbox("Who", [""] + people, format_func=lambda v: v or "everybody",
                        key=f"{KEY}_who")
action = cols[1].selectbox("Action", [""] + actions, format_func=lambda v: v or "any",
                           key=f"{KEY}_action")
article = cols[2].selectbox("Article", [None] + list(articles),
                            format_func=lambda v: "any" if v is None else articles[v],
                            key=f"{KEY}_article")
since = cols[3].date_input("Since", value=None, key=f"{KEY}_since")
lines = workbench.audit.audit_log(
    actor, who=who or None, action=action or None, article_id=article,
    since=datetime.combine(since, time(0), tzinfo=UTC) if since else None)
if not lines:
    st.info("No events match.")
    st.stop()
table = pd.DataFrame([{
    "When (UTC)": line.at.strftime("%Y-%m-%d %H:%M:%S"), "Who": line.actor,
    "What": line.what, "Article": line.article,
    "Segment": "" if line.segment is None else str(line.segment),  # blank, not "None"
    "Details": line.details,
} for line in lines])
# A column the filters hold constant says nothing: its room goes to the details.
st.dataframe(table.drop(columns=[c for c, chosen in (("Who", who), ("Article", article))
                                 if chosen not in ("", None)]),
             hide_index=True, width="stretch", key=f"{KEY}_table",
             column_config={"Article": st.column_config.TextColumn(width="medium"),
                            "Segment": st.column_config.TextColumn(width="small"),
                            "Details": st.column_config.TextColumn(width="large")})
st.caption(f"{len(lines)} event(s), newest first.")
