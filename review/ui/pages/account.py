"""Account page: who am I, change my password, log out."""

from __future__ import annotations

import streamlit as st

from review.core.errors import ReviewError
from review.ui import session, state, team_widgets
from review.ui.markup import inert, md
from review.ui.resources import get_workbench
from review.ui.session import LOCAL_ACTOR, require_actor

KEY = "account"

workbench = get_workbench()
actor = require_actor(workbench)
st.title("Account")
state.show_flash()

if actor == LOCAL_ACTOR:
    st.info("No accounts exist yet: you are using the app as the local admin. Create the "
            "first admin account to make everybody log in.")
    team_widgets.first_admin_form(workbench, f"{KEY}_first_admin")
    st.stop()

try:
    me = workbench.accounts.account(actor)
except ReviewError as exc:
    st.error(inert(exc))
    st.stop()

st.markdown(f"Logged in as **{md(me.name)}** · role **{me.role}**"
            + (f" · {md(me.email)}" if me.email else ""))
st.caption(f"Account created {me.created_at:%Y-%m-%d}.")

if me.has_password:
    with st.form(f"{KEY}_password_form", clear_on_submit=True):
        st.markdown("**Change password**")
        old = st.text_input("Current password", type="password", key=f"{KEY}_old")
        new = st.text_input("New password", type="password", key=f"{KEY}_new")
        again = st.text_input("New password again", type="password", key=f"{KEY}_again")
        submitted = st.form_submit_button("Change password")
    if submitted:
        if new != again:
            st.error("The two new passwords differ; nothing was changed.")
        else:
            try:
                session.start(workbench.logins.change_password(actor, old, new))
                state.flash("success", "Password changed; your other sessions have ended.")
                st.rerun()
            except ReviewError as exc:
                st.error(inert(exc))
else:
    st.caption("This account logs in by single sign-on; it has no password here.")

if st.button("Log out", key=f"{KEY}_logout", type="primary"):
    team_widgets.log_out(workbench, actor)
