"""Who is using the app: the logged-in account, or the local admin while no accounts exist.

Every run checks the session against the store (``Workbench.resolve_actor``): once the
account logs out elsewhere, changes its password, has it reset, changes role or is
deactivated, the page falls back to the login.
"""

from __future__ import annotations

import streamlit as st

from review.accounts.permissions import Actor
from review.services import Workbench
from review.ui import login_cookie, state

LOCAL_ACTOR = Actor(name="local", role="admin")
"""Acts for everyone until the first account is created (single-user, embedded use)."""


def start(actor: Actor) -> None:
    """Begin a session for ``actor`` (a login, a redeemed link, a changed password): the
    page holds it and the browser gets a cookie for it."""
    state.set_actor(actor)
    login_cookie.renew()


def current_actor(workbench: Workbench) -> Actor | None:
    actor = state.actor()
    if actor is None:
        actor = login_cookie.resume(workbench)  # a reload keeps the login for a while
        if actor is not None:
            state.set_actor(actor)
    if actor is not None:
        fresh = workbench.accounts.resolve_actor(actor)  # an ended session ends here, at once
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
