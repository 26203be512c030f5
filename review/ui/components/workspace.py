"""The reviewer workspace component: the article as a document, driven by the keyboard.

HTML, CSS and JavaScript live as files next to this module and are read once; nothing is
fetched at run time. The component holds the article's rows in the browser and sends each
action back as one trigger value named ``event``. Its words (severities, categories,
statuses, the keys and what they do) come from Python in ``vocabulary()``: the JavaScript
holds no copy of them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import streamlit as st

from review.core.vocab import (
    CONTENT_KINDS,
    FINISHED_STATUSES,
    MQM_CATEGORIES,
    QUICK_CATEGORIES,
    RESIDUE_KINDS,
    SEGMENT_KINDS,
    SEGMENT_STATUSES,
    SEVERITIES,
    SEVERITY_KEYS,
)
from review.text.spans import SPACELESS_SCRIPTS

ASSETS = Path(__file__).with_name("workspace")
JS_FILES = ("text.js", "drafts.js", "keys.js", "popover.js", "render.js", "list.js",
            "actions.js", "flags.js", "tools.js", "main.js")
"""Concatenated in this order into one module; main.js holds the default export."""

KEYMAP = (
    ("j / ↓", "next segment"),
    ("k / ↑", "previous segment"),
    ("Enter / e", "edit the corrected text"),
    ("Ctrl+Enter / ⌘+Enter", "save and go to the next to-do segment"),
    ("Esc", "stop editing (the draft is kept) / close"),
    ("a", "approve the segment"),
    ("A (Shift+a)", "approve and go to the next segment not yet approved"),
    ("s", "move to the next suggestion"),
    ("c / x", "confirm / dismiss the suggestion under the cursor"),
    ("u", "undo your last action in this article (flags, merges, splits, residue marks)"),
    ("C / M / m / n", "with words selected: Critical / Major / Minor / Neutral flag"),
    ("1 … 9", "in the flag box: the category from the numbered list; then type a note, "
              "Enter saves"),
    ("f", "find words in the MT (↓ next occurrence, Enter selects them)"),
    ("F (Shift+f)", "find and replace across the article"),
    ("o", "with a word selected in the MT: something is missing before it"),
    ("g", "flag the next suspect span (dotted: words the retranslation does not support)"),
    ("v", "show or hide the other systems beyond the first few"),
    ("t", "concordance: how the team translated this before (matches for this segment)"),
    ("l", "the glossary's terms for this segment"),
    ("+", "merge with the next segment"),
    ("Alt+S", "while editing: split at the cursor"),
    ("r / b", "mark as web residue / as body text"),
    ("h", "show history, scores and audit trail below"),
    ("?", "show or hide this help"),
)
"""One table drives both the help panel and the documentation of the keys."""
DRAW_ALL_UP_TO = 200
"""Articles up to this many segments are drawn whole, with every row's suspect spans; a
longer one comes whole only near where the reviewer starts, is drawn near the viewport only
and asks for the rest of the rows it draws (texts, other systems, suspect spans)."""
SYSTEMS_SHOWN = 3
"""Other systems shown at once on the current segment; the rest are one key (v) away."""


@cache
def vocabulary() -> dict:
    """The domain words and keys the component needs, from their one definition."""
    return {
        "severities": list(SEVERITIES), "severity_keys": dict(SEVERITY_KEYS),
        "categories": list(MQM_CATEGORIES), "quick": list(QUICK_CATEGORIES),
        "statuses": list(SEGMENT_STATUSES),
        "todo": [s for s in SEGMENT_STATUSES if s not in FINISHED_STATUSES],
        "omission": next(c for c in MQM_CATEGORIES if c.endswith("/Omission")),
        "done": "approved", "kinds": list(SEGMENT_KINDS), "content": list(CONTENT_KINDS),
        "residue": list(RESIDUE_KINDS), "keymap": [list(k) for k in KEYMAP],
        "spaceless": [[lo, hi] for lo, hi in SPACELESS_SCRIPTS],
        "systems_shown": SYSTEMS_SHOWN, "draw_all_up_to": DRAW_ALL_UP_TO,
    }


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
    """Mount the workspace with ``data`` (rows or patches, vocabulary, acknowledgements)."""
    return _MOUNT(key=key, data=data, on_event_change=on_event, height="content")
