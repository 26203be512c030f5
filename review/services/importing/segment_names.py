"""How the importer's checks name a segment and its texts, shared by every entry point.

Each reader names the line of a problem where it can; the importer (``services.staging``)
is the last gate before the store, for what a reader could not know: segment lengths in
any text of a segment, ids repeated within an article, the size of the whole import and
the content digest that recognises a file imported before.
"""

from __future__ import annotations

from review.core.errors import InputError
from review.formats.base import DocSegment


def segment_texts(seg: DocSegment) -> list[str | None]:
    return [seg.source, seg.mt, seg.corrected, seg.reference, *seg.candidates.values()]


def where(seg: DocSegment, position: int) -> str:
    """How a message names a segment: its line when the reader recorded one."""
    line = seg.meta.get("line") if isinstance(seg.meta, dict) else None
    label = f"line {line}" if line else f"segment {position}"
    return f"{label} (id {seg.external_id})" if seg.external_id and not line else label


class DuplicateImport(InputError):
    """The file's content is already stored; importing it again needs saying so."""
