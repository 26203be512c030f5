"""Data shown inside markdown: made inert, so files cannot put links or colours on a page.

Streamlit renders markdown in captions, labels, alerts and ``st.markdown``; a system name
such as ``![x](http://…)`` or ``:red[ALERT]`` from an imported file would otherwise render
as an image, a link or a coloured directive. ``md`` escapes every markdown character of a
value put into a composed string; ``inert`` escapes the characters that open a link, an
image, a directive, emphasis, code, maths or HTML in a whole message (an alert or flash
whose text mixes our words with names from files), leaving its punctuation readable.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&%@\"'])")
_CONSTRUCTS = re.compile(r"([\\`*_\[\]~$<>|#])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]+")


def md(text: object) -> str:
    """``text`` as literal characters inside a markdown string, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)))


def inert(text: object) -> str:
    """A whole message with no markdown construct left in it, on one line."""
    return _CONSTRUCTS.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)))
