"""Session-state keys and typed accessors: plain data only, never ORM objects."""

from __future__ import annotations

import streamlit as st

from review.accounts.permissions import Actor
from review.ui.markup import inert

ACTOR = "actor"
ARTICLE_ID = "article_id"
SEGMENT_ID = "segment_id"
FLASH = "flash"
CONFLICT = "conflict"


def actor() -> Actor | None:
    value = st.session_state.get(ACTOR)
    return value if isinstance(value, Actor) else None


def set_actor(value: Actor | None) -> None:
    if value is None:
        st.session_state.pop(ACTOR, None)
    else:
        st.session_state[ACTOR] = value


def article_id() -> int | None:
    return st.session_state.get(ARTICLE_ID)


def set_article_id(value: int | None) -> None:
    if st.session_state.get(ARTICLE_ID) != value:
        st.session_state[ARTICLE_ID] = value
        st.session_state.pop(SEGMENT_ID, None)


def segment_id() -> int | None:
    return st.session_state.get(SEGMENT_ID)


def set_segment_id(value: int | None) -> None:
    st.session_state[SEGMENT_ID] = value


def flash(kind: str, message: str) -> None:
    """A message to show once, after the rerun that a button triggers."""
    st.session_state[FLASH] = (kind, message)


def show_flash() -> None:
    kind, message = st.session_state.pop(FLASH, (None, None))
    message = inert(message) if message is not None else None  # names and titles come from files
    if kind == "success":
        st.success(message)
    elif kind == "error":
        st.error(message)
    elif kind == "warning":
        st.warning(message)
