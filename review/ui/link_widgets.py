"""One-time links: ``?invite=…`` creates an account, ``?reset=…`` sets a new password; both
log the person in. The link is checked as soon as it is opened, so a used, revoked or expired
link (or one whose maker's rights changed) says so at once instead of after the form."""

from __future__ import annotations

import streamlit as st

from review.accounts.permissions import Actor
from review.core.errors import ReviewError
from review.services import Workbench
from review.ui import session, state
from review.ui.markup import inert, md

KEY = "link"


def link_in_address() -> tuple[str, str] | None:
    """``(kind, token)`` when the address carries a one-time link."""
    params = st.query_params
    for kind in ("invite", "reset"):
        if kind in params:
            return kind, str(params[kind])
    return None


def one_time_link_form(workbench: Workbench, current: Actor | None = None) -> bool:
    """Show what the link is for and its form when the address carries one; True when it
    did (the caller shows nothing else)."""
    found = link_in_address()
    if found is None:
        return False
    kind, token = found
    try:
        link = workbench.invitations.open_link(token, kind)
    except ReviewError as exc:
        st.error(inert(exc))
        return True
    if kind == "invite":
        st.subheader("Welcome: choose your password")
        st.markdown(f"This invitation makes the account **{md(link.user_name)}** "
                    f"({link.role}), made by {md(link.created_by)}; it works until "
                    f"{link.expires_at:%Y-%m-%d %H:%M} UTC.")
    else:
        st.subheader("Choose a new password")
        st.markdown(f"For the account **{md(link.user_name)}**; every open session of it "
                    "ends. The link works until "
                    f"{link.expires_at:%Y-%m-%d %H:%M} UTC.")
    if current is not None and current.user_id is not None:
        st.warning(f"You are logged in as {md(current.name)}; using this link logs you in "
                   f"as {md(link.user_name)} instead.")
    with st.form(f"{KEY}_form"):
        password = st.text_input("Password", type="password", key=f"{KEY}_password")
        again = st.text_input("Password again", type="password", key=f"{KEY}_again")
        submitted = st.form_submit_button("Continue", type="primary")
    if submitted:
        if password != again:
            st.error("The two passwords differ.")
            return True
        try:
            actor = (workbench.invitations.accept_invitation(token, password) if kind == "invite"
                     else workbench.invitations.use_reset_link(token, password))
        except ReviewError as exc:
            st.error(inert(exc))
            return True
        st.query_params.clear()
        session.start(actor)
        state.flash("success", f"Welcome, {actor.name}; you are logged in.")
        st.rerun()
    return True
