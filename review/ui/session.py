"""Who is using the app: the logged-in account, or the local admin while no accounts exist."""

from __future__ import annotations

import streamlit as st

from review.accounts.permissions import Actor
from review.services import Workbench
from review.ui import login_cookie, state

LOCAL_ACTOR = Actor(name="local", role="admin")
"""Acts for everyone until the first account is created (single-user, embedded use)."""


def current_actor(workbench: Workbench) -> Actor | None:
    actor = state.actor()
    if actor is None:
        actor = login_cookie.resume(workbench)  # a reload keeps the login for a while
        if actor is not None:
            state.set_actor(actor)
    if actor is not None:
        # a new role or a deactivation applies at once
        fresh = workbench.accounts.resolve_actor(actor)
        if fresh is not None:
            if fresh != actor:
                state.set_actor(fresh)
            login_cookie.remember(workbench, fresh)
            return fresh
        state.set_actor(None)
    if not workbench.library.has_users():
        return LOCAL_ACTOR
    return None


def require_actor(workbench: Workbench) -> Actor:
    actor = current_actor(workbench)
    if actor is None:
        st.warning("Log in to continue.")
        st.stop()
    return actor
