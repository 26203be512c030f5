"""Log in page: name and password, single sign-on when configured, or the first admin."""

from __future__ import annotations

import streamlit as st

from review.core.errors import ReviewError
from review.ui import session, state, team_widgets
from review.ui.link_widgets import one_time_link_form
from review.ui.markup import inert
from review.ui.resources import get_workbench

KEY = "login"

workbench = get_workbench()
st.title("Log in")
state.show_flash()

if not workbench.library.has_users():
    st.info("This installation has no accounts yet. Create the first admin account; after "
            "that everybody logs in with their own account.")
    team_widgets.first_admin_form(workbench, f"{KEY}_first_admin")
    st.stop()

if one_time_link_form(workbench):
    st.stop()

if team_widgets.sso_configured():
    if team_widgets.sso_logged_in():
        try:
            actor = workbench.accounts.sso_login(str(st.user.get("email") or ""),
                                    str(st.user.get("name") or ""),
                                    team_widgets.client_address())
        except ReviewError as exc:
            st.error(inert(exc))
            if st.button("Sign out of single sign-on", key=f"{KEY}_sso_logout"):
                st.logout()
        else:
            session.start(actor)
            st.rerun()
    elif st.button("Log in with single sign-on", key=f"{KEY}_sso", type="primary"):
        st.login()
    st.caption("Or with a local account:")

with st.form(f"{KEY}_form"):
    name = st.text_input("Name", key=f"{KEY}_name")
    password = st.text_input("Password", type="password", key=f"{KEY}_password")
    submitted = st.form_submit_button("Log in", type="primary")

if submitted:
    try:
        actor = workbench.logins.login(name, password, team_widgets.client_address())
    except ReviewError as exc:
        st.error(inert(exc))
    else:
        session.start(actor)
        st.rerun()
