"""The reviewer workspace component: the article as a document, driven by the keyboard.

HTML, CSS and JavaScript live as files next to this module and are read once; nothing is
fetched at run time. The component holds the article's rows in the browser and sends each
action back as one trigger value named ``event``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

ASSETS = Path(__file__).with_name("workspace")
JS_FILES = ("text.js", "drafts.js", "keys.js", "popover.js", "actions.js", "flags.js",
            "main.js")
"""Concatenated in this order into one module; main.js holds the default export."""


def _read(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


_MOUNT = st.components.v2.component(
    "review_workspace",
    html=_read("workspace.html"),
    css=_read("workspace.css"),
    js="\n".join(_read(name) for name in JS_FILES),
    isolate_styles=False,  # mouse selections need the page's own selection, not a shadow one
)


def workspace(data: dict, *, key: str, on_event: Callable[[], None]) -> object:
    """Mount the workspace with ``data`` (rows, categories, acknowledgements)."""
    return _MOUNT(key=key, data=data, on_event_change=on_event, height="content")
