"""Admin page: accounts (add, role, deactivate, reset password) and settings (glossary, SSO)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from review.accounts.permissions import can
from review.core.errors import ReviewError
from review.core.vocab import ROLES
from review.formats.encoding import decode_text
from review.ui import state, team_widgets
from review.ui.markup import inert, md
from review.ui.models_panel import models_panel
from review.ui.resources import get_workbench
from review.ui.session import LOCAL_ACTOR, require_actor

KEY = "admin"
GLOSSARY_MAX_BYTES = 2 * 1024 * 1024

workbench = get_workbench()
actor = require_actor(workbench)
st.title("Admin")
state.show_flash()
if not can(actor, "users.manage"):
    st.error("Only admins manage accounts and settings.")
    st.stop()


def run(action, success: str) -> None:  # noqa: ANN001 - a zero-argument service call
    """Call a service, remember the outcome for after the rerun, rerun."""
    try:
        action()
        state.flash("success", success)
    except ReviewError as exc:
        state.flash("error", str(exc))
    st.rerun()


# ------------------------------------------------------------------ accounts
st.header("Accounts")
if actor == LOCAL_ACTOR:
    st.info("No accounts yet. The first account must be an admin, so nobody is locked out.")
    team_widgets.first_admin_form(workbench, f"{KEY}_first_admin")
    st.stop()

users = workbench.accounts.list_users(actor)
st.dataframe(pd.DataFrame([{
    "Name": u.name, "Role": u.role, "Email": u.email, "Active": u.active,
    "Sign-in": "password" if u.has_password else "single sign-on",
    "Created": f"{u.created_at:%Y-%m-%d}",
} for u in users]), hide_index=True, width="stretch", key=f"{KEY}_users")

with st.expander("Add an account"):
    with st.form(f"{KEY}_add_form", clear_on_submit=True):
        add_cols = st.columns(3)
        name = add_cols[0].text_input("Name", key=f"{KEY}_add_name")
        role = add_cols[1].selectbox("Role", ROLES, key=f"{KEY}_add_role")
        email = add_cols[2].text_input("Email", key=f"{KEY}_add_email")
        password = st.text_input("Password", type="password", key=f"{KEY}_add_password",
                                 help="Leave empty for an account that uses single sign-on")
        submitted = st.form_submit_button("Add account", type="primary")
    if submitted:
        run(lambda: workbench.accounts.add_user(actor, name, role, password or None, email=email),
            f"Added {role} {name.strip()}.")

names = [u.name for u in users]
by_name = {u.name: u for u in users}
chosen = st.selectbox("Account", names, key=f"{KEY}_user")
user = by_name[chosen]
cols = st.columns([2, 1, 1])
new_role = cols[0].selectbox("Role", ROLES, index=ROLES.index(user.role),
                             key=f"{KEY}_role_{user.id}")
if cols[1].button("Change role", key=f"{KEY}_set_role", disabled=new_role == user.role):
    run(lambda: workbench.accounts.set_role(actor, user.name, new_role),
        f"{user.name} is now {new_role}.")
if user.active:
    if cols[2].button("Deactivate", key=f"{KEY}_deactivate"):
        run(lambda: workbench.accounts.set_active(actor, user.name, False),
            f"Deactivated {user.name}.")
elif cols[2].button("Reactivate", key=f"{KEY}_reactivate"):
    run(lambda: workbench.accounts.set_active(actor, user.name, True), f"Reactivated {user.name}.")

with st.form(f"{KEY}_reset_form", clear_on_submit=True):
    st.markdown(f"**Reset the password of {md(user.name)}**")
    new_password = st.text_input("New password", type="password", key=f"{KEY}_reset_password")
    reset = st.form_submit_button("Reset password")
if reset:
    run(lambda: workbench.accounts.reset_password(actor, user.name, new_password),
        f"Reset the password of {user.name}.")

# ------------------------------------------------------------------ settings
st.header("Settings")
glossary = workbench.settings.get_setting(actor, "glossary")
if glossary:
    st.caption(f"Glossary: {md(glossary.get('filename', '?'))} "
               f"({len(glossary.get('content', '').splitlines())} lines).")
else:
    st.caption("No glossary stored.")
upload = st.file_uploader("Glossary (TSV or CSV: source term, target term)",
                          type=["tsv", "csv", "txt"], key=f"{KEY}_glossary")
if (st.button("Store glossary", key=f"{KEY}_store_glossary", disabled=upload is None)
        and upload is not None):  # a disabled button is never pressed
    data = upload.getvalue()
    if len(data) > GLOSSARY_MAX_BYTES:
        state.flash("error", f"{upload.name} is larger than "
                    f"{GLOSSARY_MAX_BYTES // (1024 * 1024)} MB; split it or trim it.")
        st.rerun()

    glossary_name = upload.name

    def store_glossary() -> None:
        content = decode_text(data, what=glossary_name)
        workbench.settings.set_setting(actor, "glossary", {"filename": glossary_name,
                                                           "content": content})
    run(store_glossary, f"Stored the glossary {glossary_name}.")

try:
    roles = workbench.accounts.sso_roles(actor)
except ReviewError as exc:
    roles = {}
    st.error(inert(exc))
with st.form(f"{KEY}_sso_form"):
    st.markdown("**Single sign-on roles** (one `email = role` or `@domain = role` per line; "
                "entries in review.toml `[sso] roles` apply too)")
    lines = st.text_area("Roles", value=workbench.settings.sso_roles_text(actor),
                         key=f"{KEY}_sso_roles", height=120)
    save_sso = st.form_submit_button("Save sign-on roles")
if save_sso:
    try:
        stored = workbench.settings.set_sso_roles_text(actor, lines)
        state.flash("success", f"Stored {stored} sign-on role(s).")
    except ReviewError as exc:
        state.flash("error", str(exc))
    st.rerun()
if roles:
    st.caption("In effect: " + ", ".join(f"{md(k)} → {md(v)}" for k, v in roles.items()))

models_panel(workbench, actor)

# ------------------------------------------------------------------ account events
st.header("Account events")
events = workbench.library.account_events(actor, limit=200)
if events:
    st.dataframe(team_widgets.audit_frame(events), hide_index=True, width="stretch",
                 key=f"{KEY}_events")
else:
    st.caption("No account events yet.")
