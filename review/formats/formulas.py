"""Spreadsheet formula injection: cells that a spreadsheet would run, made inert.

A CSV/TSV cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is
read as a formula by Excel, LibreOffice and Google Sheets; ``=HYPERLINK(…)`` from an
imported system name would run when a lead opens the export. Following OWASP, such a
cell is written with a leading apostrophe, which spreadsheets show as text. To keep
exports lossless, a cell that already starts with apostrophes before such a character
gets one more; ``restore`` removes exactly one, so import reads both guarded and verbatim
files back to the original text. Plain numbers (``-3``, ``+1.5``) are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

TRIGGERS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
"""First characters that make a spreadsheet evaluate a cell (ASCII and full-width)."""

_GUARDED = re.compile(rf"'+[{re.escape(TRIGGERS)}]")
_NEEDS_GUARD = re.compile(rf"'*[{re.escape(TRIGGERS)}]")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:[eE][+-]?\d+)?%?")


def neutralise(cell: str) -> str:
    """``cell`` as a spreadsheet shows it literally (unchanged when it is safe)."""
    if not cell or not _NEEDS_GUARD.match(cell) or _NUMBER.fullmatch(cell):
        return cell
    return "'" + cell


def restore(cell: str) -> str:
    """The original text of a cell written by ``neutralise`` (verbatim cells pass)."""
    if cell and cell[0] == "'" and _GUARDED.match(cell):
        return cell[1:]
    return cell


def neutralise_row(cells: Iterable[object]) -> list[object]:
    """A row for ``csv.writer``: text cells neutralised, numbers and blanks as they are."""
    return [neutralise(c) if isinstance(c, str) else c for c in cells]


def frame_csv(frame: Any) -> bytes:
    """A pandas DataFrame as UTF-8 CSV bytes with every text cell and column name
    neutralised: what every table download of the app writes (system names, categories,
    titles and rater names come from imported files)."""
    safe = frame.rename(columns=lambda c: neutralise(c) if isinstance(c, str) else c)
    text_columns = [c for c in safe.columns  # numbers, booleans and dates stay as they are
                    if getattr(safe[c].dtype, "kind", "O") not in "biufcmM"]
    if text_columns:
        safe = safe.copy()
        for column in text_columns:
            safe[column] = safe[column].map(
                lambda v: neutralise(v) if isinstance(v, str) else v)
    return safe.to_csv(index=False).encode("utf-8")
