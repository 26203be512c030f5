"""Keep a login across reloads: a signed, expiring token in a cookie, never the password.

The token is written by a tiny component after the login and read back from the request's
cookies when a new browser session starts; logging out clears it. The token only resumes
while the account's session generation is the one it was issued for
(``review.services.sessions``), so a copied cookie ends with the session.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from review.accounts.permissions import Actor
from review.core.errors import ReviewError
from review.services import Workbench
from review.services.sessions import session_seconds
from review.ui.markup import inert

COOKIE = "review_session"
WRITTEN = "session_cookie_written"
FORGOTTEN = "session_cookie_forgotten"
CLEARED = "session_cookie_cleared"
RENEWALS = "session_cookie_renewals"

_SET_COOKIE = st.components.v2.component(
    "review_session_cookie",
    js=(Path(__file__).parent / "components" / "cookie" / "cookie.js").read_text(
        encoding="utf-8"),
)


def resume(workbench: Workbench) -> Actor | None:
    """The account this browser's session cookie names, if the token is genuine and fresh."""
    if st.session_state.get(FORGOTTEN):
        # logged out in this session: the request's old cookie no longer counts, and the
        # browser is told to drop it
        if not st.session_state.get(CLEARED):
            st.session_state[CLEARED] = True
            with st.sidebar:
                _SET_COOKIE(key="session_cookie_clear", data={"name": COOKIE, "value": ""},
                            height=0)
        return None
    token = st.context.cookies.get(COOKIE) if st.context.cookies else None
    try:
        actor = workbench.sessions.resume_session(token) if token else None
    except ReviewError as exc:  # the signing key cannot be read: say so, log in anew
        st.sidebar.error(inert(exc))
        return None
    if actor is not None:
        st.session_state[WRITTEN] = True  # the browser holds it already
    return actor


def renew() -> None:
    """A new session began in this browser session: write its cookie at the next run."""
    st.session_state.pop(WRITTEN, None)
    st.session_state[RENEWALS] = st.session_state.get(RENEWALS, 0) + 1


def remember(workbench: Workbench, actor: Actor) -> None:
    """Write the cookie once per session for a logged-in account."""
    if st.session_state.get(WRITTEN) or actor.user_id is None:
        return
    try:
        token = workbench.sessions.issue_session(actor)
    except ReviewError as exc:  # the login works; only reloads will ask for it again
        st.sidebar.error(inert(f"{exc}; a reload will ask for the password again"))
        token = None
    if token:
        with st.sidebar:
            _SET_COOKIE(key=f"session_cookie_set_{st.session_state.get(RENEWALS, 0)}",
                        data={"name": COOKIE, "value": token,
                              "max_age": session_seconds()},
                        height=0)
    st.session_state[WRITTEN] = True
