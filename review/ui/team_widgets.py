"""Team renderers shared by pages: first admin, log out, assignments, my queue, audit trail.

Each function reads its widgets, calls one service and renders the answer; widget keys are
prefixed ``team_`` so they never collide with the page that embeds them.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from review.accounts.permissions import Actor, can
from review.core.errors import ReviewError
from review.services import Workbench
from review.ui import login_cookie, session, state
from review.ui.markup import inert

KEY = "team"


def client_address() -> str:
    """Where a login comes from, for throttling per client.

    Streamlit reports no address for loopback connections; behind a reverse proxy on the
    same host the proxy's ``X-Real-IP`` header names the browser (docs/team.md).
    """
    address = st.context.ip_address
    if isinstance(address, str) and address:
        return address
    try:
        forwarded = st.context.headers.get("X-Real-Ip")
    except Exception:  # no headers outside a browser session (tests, bare scripts)
        forwarded = None
    return forwarded.strip() if isinstance(forwarded, str) and forwarded.strip() else "local"


def sso_configured() -> bool:
    """Single sign-on is offered only when ``[auth]`` is set in .streamlit/secrets.toml."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def sso_logged_in() -> bool:
    if not sso_configured():
        return False
    try:
        return bool(st.user.is_logged_in)
    except Exception:
        return False


def first_admin_form(workbench: Workbench, key: str) -> None:
    """Create the first admin account and continue as that account."""
    with st.form(f"{key}_form"):
        name = st.text_input("Admin name", key=f"{key}_name")
        email = st.text_input("Email (optional)", key=f"{key}_email")
        password = st.text_input("Password", type="password", key=f"{key}_password")
        again = st.text_input("Password again", type="password", key=f"{key}_again")
        submitted = st.form_submit_button("Create admin account", type="primary")
    if not submitted:
        return
    if password != again:
        st.error("The two passwords differ.")
        return
    try:
        actor = workbench.accounts.create_first_admin(name, password, email=email)
    except ReviewError as exc:
        st.error(inert(exc))
        return
    session.start(actor)
    state.flash("success", f"Created the admin account {actor.name}; you are logged in.")
    st.rerun()


def first_admin_sidebar(workbench: Workbench) -> None:
    """While no account exists everybody acts as the local admin; say so and offer a fix."""
    with st.sidebar:
        st.warning("No accounts yet: everyone who opens this app acts as the local admin. "
                   "Create the first admin account to require logging in.")
        with st.expander("Create the first admin"):
            first_admin_form(workbench, f"{KEY}_sidebar_admin")


def log_out(workbench: Workbench, actor: Actor) -> None:
    """End the session, and every other session of the account (other browsers, copied
    cookies); the audit trail notes it and this browser session forgets everything."""
    try:
        workbench.accounts.logout(actor)
    except ReviewError:
        pass  # leaving must never fail
    sso = sso_logged_in()
    st.session_state.clear()
    st.session_state[login_cookie.FORGOTTEN] = True  # the next run clears the cookie
    if sso:
        st.logout()
    st.rerun()


def my_queue_panel(workbench: Workbench, actor: Actor) -> None:
    """The articles (or ranges) assigned to the acting user, with how far each has come."""
    queue = workbench.assignments.my_queue(actor)
    if not queue:
        if actor.role == "reviewer":
            st.info("Nothing is assigned to you yet; a lead assigns articles on the Library "
                    "page.")
        return
    total = sum(a.segments for a in queue)
    done = sum(a.done for a in queue)
    st.subheader("My queue")
    st.caption(f"{len(queue)} assignment(s), {done} of {total} segments approved.")
    frame = pd.DataFrame([{
        "ID": a.article_id, "Article": a.article_title, "Range": a.range_label,
        "Segments": a.segments, "To do": a.by_status.get("todo", 0),
        "Flagged": a.by_status.get("flagged", 0), "Fixed": a.by_status.get("fixed", 0),
        "Approved": a.done, "Progress": a.done / a.segments if a.segments else 0.0,
    } for a in queue])
    st.dataframe(frame, hide_index=True, width="stretch", key=f"{KEY}_queue",
                 column_config={"Progress": st.column_config.ProgressColumn(
                     "Progress", min_value=0.0, max_value=1.0, format="percent")})


def assignment_panel(workbench: Workbench, actor: Actor, article_id: int) -> None:
    """Leads give the article, or a range of its segments, to reviewers."""
    if not can(actor, "article.assign"):
        return
    st.subheader("Assignments")
    try:
        current = workbench.assignments.assignments(actor, article_id)
        users = workbench.accounts.assignable_users(actor)
    except ReviewError as exc:
        st.error(inert(exc))
        return
    if current:
        st.dataframe(pd.DataFrame([{
            "Reviewer": a.user_name, "Range": a.range_label, "Segments": a.segments,
            "Approved": a.done, "Assigned by": a.created_by,
            "Assigned at": f"{a.created_at:%Y-%m-%d %H:%M} UTC",
        } for a in current]), hide_index=True, width="stretch", key=f"{KEY}_assignments")
    else:
        st.caption("Nobody is assigned to this article yet.")
    if not users:
        st.caption("No accounts to assign to; an admin adds them on the Admin page.")
        return
    with st.form(f"{KEY}_assign_form"):
        cols = st.columns([2, 1, 1])
        names = [u.name for u in users]
        roles = {u.name: u.role for u in users}
        user = cols[0].selectbox("Reviewer", names, key=f"{KEY}_assign_user",
                                 format_func=lambda n: f"{n} ({roles[n]})")
        first = cols[1].number_input("First segment", min_value=0, value=0, step=1,
                                     key=f"{KEY}_assign_first", help="0: from the start")
        last = cols[2].number_input("Last segment", min_value=0, value=0, step=1,
                                    key=f"{KEY}_assign_last", help="0: to the end")
        submitted = st.form_submit_button("Assign")
    if submitted:
        try:
            view = workbench.assignments.assign(actor, article_id, user, first=int(first) or None,
                                last=int(last) or None)
            state.flash("success", f"Assigned {view.range_label} to {view.user_name}.")
        except ReviewError as exc:
            state.flash("error", str(exc))
        st.rerun()
    if current:
        labels = {a.id: f"{a.user_name} · {a.range_label}" for a in current}
        cols = st.columns([3, 1])
        chosen = cols[0].selectbox("Remove an assignment", list(labels),
                                   format_func=labels.__getitem__, key=f"{KEY}_unassign_choice")
        if cols[1].button("Remove", key=f"{KEY}_unassign"):
            try:
                workbench.assignments.unassign(actor, chosen)
                state.flash("success", f"Removed {labels[chosen]}.")
            except ReviewError as exc:
                state.flash("error", str(exc))
            st.rerun()


def pending_links_panel(workbench: Workbench, actor: Actor) -> None:
    """The invitation and reset links still open (a lead's own; every one for admins), with
    a button to revoke one."""
    st.markdown("**Open links**")
    try:
        links = workbench.invitations.pending_links(actor)
    except ReviewError as exc:
        st.error(inert(exc))
        return
    if not links:
        st.caption("No invitation or reset link is open.")
        return
    kinds = {"invite": "invitation", "reset": "password reset"}
    st.dataframe(pd.DataFrame([{
        "For": link.user_name, "Link": kinds.get(link.kind, link.kind), "Role": link.role,
        "Made by": link.created_by, "Made": f"{link.created_at:%Y-%m-%d %H:%M} UTC",
        "Expires": f"{link.expires_at:%Y-%m-%d %H:%M} UTC",
    } for link in links]), hide_index=True, width="stretch", key=f"{KEY}_links")
    labels = {link.id: f"{kinds.get(link.kind, link.kind)} for {link.user_name}"
              for link in links}
    cols = st.columns([3, 1])
    chosen = cols[0].selectbox("Revoke a link", list(labels), format_func=labels.__getitem__,
                               key=f"{KEY}_revoke_choice")
    if cols[1].button("Revoke", key=f"{KEY}_revoke"):
        try:
            workbench.invitations.revoke_link(actor, chosen)
            state.flash("success", f"Revoked the {labels[chosen]}; the link no longer works.")
        except ReviewError as exc:
            state.flash("error", str(exc))
        st.rerun()


def audit_frame(events: list) -> pd.DataFrame:
    return pd.DataFrame([{
        "When": f"{e.at:%Y-%m-%d %H:%M:%S} UTC", "Who": e.actor, "Action": e.action,
        "Segment": e.segment_id, "Detail": json.dumps(e.detail, ensure_ascii=False,
                                                       default=str, sort_keys=True),
    } for e in events], columns=["When", "Who", "Action", "Segment", "Detail"])


def audit_panel(workbench: Workbench, actor: Actor, article_id: int,
                segment_id: int | None = None) -> None:
    """Who changed what and when, for one segment or the whole article (leads and admins)."""
    if not can(actor, "audit.view"):
        return
    st.markdown("**Audit trail**")
    scope = "article"
    if segment_id is not None:
        scope = st.radio("Show", ["segment", "article"], horizontal=True,
                         format_func={"segment": "This segment",
                                      "article": "Whole article"}.get,
                         key=f"{KEY}_audit_scope")
    try:
        events = workbench.library.audit_trail(actor, article_id,
                                   segment_id if scope == "segment" else None)
    except ReviewError as exc:
        st.error(inert(exc))
        return
    if not events:
        st.caption("No recorded changes yet.")
        return
    st.dataframe(audit_frame(events), hide_index=True, width="stretch",
                 key=f"{KEY}_audit_{scope}")
