"""Text for a terminal: control characters shown as escapes, never obeyed.

Titles, system names and account names come from imported files. Printed raw, an ESC or OSC
sequence would recolour the terminal, rewrite its title or hide lines, and a newline would
fake a row of the table; so every such character is written as a visible ``\\x1b``-style
escape instead.
"""

from __future__ import annotations

import unicodedata

_BIDI = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A)) | {0x200E, 0x200F}
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _unsafe(ch: str) -> bool:
    return (unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Cs", "Co", "Cn")
            or ord(ch) in _BIDI)


def terminal_safe(text: object) -> str:
    """``text`` as one printable line: control, separator and bidi characters escaped."""
    value = str(text)
    if value.isprintable() and not any(ord(ch) in _BIDI for ch in value):
        return value
    return "".join(_escape(ch) if _unsafe(ch) else ch for ch in value)
