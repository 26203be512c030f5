"""The login page's one-time links: ``?invite=…`` creates an account, ``?reset=…`` sets a
new password; both log the person in."""

from __future__ import annotations

import streamlit as st

from review.core.errors import ReviewError
from review.services import Workbench
from review.ui import state
from review.ui.markup import inert

KEY = "link"


def one_time_link_form(workbench: Workbench) -> bool:
    """Show the form when the address carries a link; True when it did."""
    params = st.query_params
    kind = "invite" if "invite" in params else "reset" if "reset" in params else None
    if kind is None:
        return False
    token = params[kind]
    st.subheader("Welcome: choose your password" if kind == "invite" else
                 "Choose a new password")
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
        state.set_actor(actor)
        state.flash("success", f"Welcome, {actor.name}; you are logged in.")
        st.rerun()
    return True
