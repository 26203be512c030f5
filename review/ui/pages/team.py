"""Team page (leads): invite reviewers by link, make password-reset links, see and revoke
the links still open, assign several articles at once with a due date, and follow each
reviewer's progress."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from review.accounts.permissions import can
from review.core.errors import ReviewError
from review.core.vocab import ASSIGNMENT_MODES, MODE_LABELS, ROLES
from review.ui import state, team_widgets
from review.ui.markup import inert, md
from review.ui.resources import get_workbench
from review.ui.session import require_actor

KEY = "team_page"


def _app_root() -> str:
    """The app's address without this page's path (``http://host/`` from
    ``http://host/team?x``), so a link can name another page."""
    base = str(getattr(st.context, "url", "") or "").split("?")[0].split("#")[0]
    if base.rstrip("/").endswith("/team"):
        base = base.rstrip("/")[:-len("team")]
    return base if base.endswith("/") else base + "/"


def _show_link(path: str) -> None:
    st.code(_app_root() + path, language=None)


workbench = get_workbench()
actor = require_actor(workbench)
st.title("Team")
state.show_flash()
if not can(actor, "users.invite"):
    st.warning("Only leads and admins manage the team.")
    st.stop()

invite_tab, assign_tab, progress_tab = st.tabs(["Invite", "Assign", "Progress"])

with invite_tab:
    st.caption("A link works once and expires; copy it to the person (no e-mail is sent). "
               "They open the app with it and choose their password.")
    cols = st.columns([2, 1, 1])
    name = cols[0].text_input("New reviewer's name", key=f"{KEY}_invite_name")
    roles = list(ROLES) if can(actor, "users.manage") else ["reviewer"]
    role = cols[1].selectbox("Role", roles, key=f"{KEY}_invite_role")
    hours = cols[2].number_input("Valid for (hours)", 1, 336, 72, key=f"{KEY}_invite_hours")
    if st.button("Make invitation link", key=f"{KEY}_invite", disabled=not name.strip()):
        try:
            link = workbench.invitations.invite(actor, name, role, hours)
            st.success(f"Invitation for {md(link.user_name)} ({link.role}), valid until "
                       f"{link.expires_at:%Y-%m-%d %H:%M} UTC. Copy this link:")
            _show_link(link.path)
        except ReviewError as exc:
            st.error(inert(exc))
    users = workbench.accounts.assignable_users(actor)
    reviewers = [u.name for u in users]
    # Leads reset reviewers' passwords only: offer nobody the service would refuse.
    resettable = [u.name for u in users if u.role == "reviewer" or can(actor, "users.manage")]
    reset_for = st.selectbox("Password reset for", resettable, key=f"{KEY}_reset_user")
    if st.button("Make password-reset link", key=f"{KEY}_reset", disabled=not resettable):
        try:
            link = workbench.invitations.reset_link(actor, reset_for)
            st.success(f"Reset link for {md(link.user_name)}, valid until "
                       f"{link.expires_at:%Y-%m-%d %H:%M} UTC:")
            _show_link(link.path)
        except ReviewError as exc:
            st.error(inert(exc))
    team_widgets.pending_links_panel(workbench, actor)

with assign_tab:
    articles = workbench.reading.summaries(actor)
    titles = {a.id: f"{a.id} · {a.title}" for a in articles}
    chosen = st.multiselect("Articles", list(titles), format_func=titles.__getitem__,
                            key=f"{KEY}_articles")
    people = st.multiselect("Reviewers", reviewers, key=f"{KEY}_people")
    plan_cols = st.columns(2)
    due = plan_cols[0].date_input("Due", value=None, key=f"{KEY}_due")
    mode = plan_cols[1].radio("Mode", ASSIGNMENT_MODES, format_func=MODE_LABELS.get,
                              horizontal=True, key=f"{KEY}_mode")
    if st.button("Assign", key=f"{KEY}_assign", type="primary",
                 disabled=not (chosen and people)):
        try:
            result = workbench.team.bulk_assign(actor, chosen, people, due, mode=mode)
            st.success(f"Made {len(result.created)} assignment(s).")
            for warning in result.warnings:
                st.warning(warning)
        except ReviewError as exc:
            st.error(inert(exc))

with progress_tab:
    progress = workbench.team.reviewer_progress(actor)
    if not progress:
        st.info("Nobody has an assignment yet.")
    else:
        st.dataframe(pd.DataFrame([{
            "Reviewer": p.name, "Articles": p.articles, "Segments": p.segments,
            "Done": p.done, "Done %": round(100 * p.share_done),
            "Time (min)": round(p.seconds / 60, 1), "Overdue": p.overdue,
            "Next due": p.next_due.strftime("%Y-%m-%d") if p.next_due else "",
        } for p in progress]), hide_index=True, width="stretch", key=f"{KEY}_progress")
