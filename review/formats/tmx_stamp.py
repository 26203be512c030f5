"""When and by whom a TMX unit was changed, as the export into the original writes it.

A CAT tool reads ``changedate``/``changeid`` to tell which translation is newer; a unit whose
target the reviewer rewrote must not keep the date of the text it replaced. The stamp goes
on the ``<tu>`` and on the target ``<tuv>`` that changed (a new ``<tuv>`` also gets it as its
creation); units not edited are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from review.formats.base import DocSegment
from review.formats.tmx import _tmx_date
from review.formats.xmlsafe import xml_text


@dataclass(frozen=True)
class Stamp:
    """The date (TMX form, UTC) and the editor (``""`` when unknown) of a change."""

    date: str
    editor: str


def stamp_of(parts: list[DocSegment]) -> Stamp | None:
    """The latest change among a unit's stored segments; ``None`` without a date."""
    dated = [(date, part.changed_by) for part in parts if (date := _tmx_date(part.changed_at))]
    if not dated:
        return None
    date, editor = max(dated)
    return Stamp(date, editor.strip())


def apply_stamp(element: etree._Element, stamp: Stamp, *, created: bool = False) -> None:
    """Write ``stamp`` as the element's change (and creation, when it was just created).

    An editor the workbench does not know removes the old ``changeid``: it named whoever
    made the change the new date replaces."""
    element.set("changedate", stamp.date)
    if stamp.editor:
        element.set("changeid", xml_text(stamp.editor))
    else:
        element.attrib.pop("changeid", None)
    if created:
        element.set("creationdate", stamp.date)
        if stamp.editor:
            element.set("creationid", xml_text(stamp.editor))
