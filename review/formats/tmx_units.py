"""The units a generated TMX export writes: one per unit the memory was imported from.

An article imported from TMX whose original file was not kept (imported before originals
were kept, or too big to keep) is still a memory: its export must give back every unit, not
only the pairs that look complete. Segments that came from one ``<tu>`` (its number in
``meta["tmx"]["loc"]``; a segment split in the workbench keeps it) go back as that one unit,
their parts joined as the export into the original joins them; a unit without a translation
keeps its source alone; units the reviewer marked as residue stay units of the memory. Any
other article writes one unit per segment with both a source and a target, residue only when
asked, as before.

Each unit keeps the dates and ids its ``<tu>`` had (``meta["tmx"]["dates"]``, read at
import) while nobody changed it in the workbench; a changed one keeps its creation and gets
the change's date and editor.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from lxml import etree

from review.core.vocab import RESIDUE_KINDS
from review.formats.base import DocArticle, DocSegment, WriteOptions
from review.formats.xliff.merge import joined


def memory_units(articles: list[DocArticle], options: WriteOptions
                 ) -> Iterator[tuple[DocArticle, DocSegment, str]]:
    """Each unit to write: its article, a segment standing for it, its target text (``""``:
    write the source alone)."""
    for article in articles:
        group: list[DocSegment] = []
        for segment in article.segments:
            loc = _loc(segment)
            if group and (loc is None or loc != _loc(group[0])):
                yield article, *_unit(group)
                group = []
            if loc is not None:
                group.append(segment)
                continue
            target = segment.corrected if segment.corrected is not None else segment.mt
            if segment.source and target and (segment.kind not in RESIDUE_KINDS
                                              or options.include_residue):
                yield article, segment, target
        if group:
            yield article, *_unit(group)


def _loc(segment: DocSegment) -> int | None:
    info = segment.meta.get("tmx") if isinstance(segment.meta, dict) else None
    loc = info.get("loc") if isinstance(info, dict) else None
    return loc if isinstance(loc, int) else None


def _unit(parts: list[DocSegment]) -> tuple[DocSegment, str]:
    """One segment for the parts of a unit: their texts, notes, flags and latest change."""
    text, flags, status = joined(parts)
    latest = max(parts, key=lambda p: p.changed_at)
    unit = dataclasses.replace(
        parts[0], source=" ".join(p.source for p in parts if p.source),
        corrected=text if any(p.corrected is not None for p in parts) else None, mt=text,
        flags=flags, status=status, notes=[n for p in parts for n in p.notes],
        changed_at=latest.changed_at, changed_by=latest.changed_by,
        version=parts[0].version if len(parts) == 1 else max(2, *(p.version for p in parts)))
    return unit, text


_DATES = ("creationdate", "creationid", "changedate", "changeid")
_MAX_DATE_CHARS = 200


def unit_dates(tu: etree._Element) -> dict[str, str]:
    """The dates and ids a ``<tu>`` carries (each bounded), to give back unchanged."""
    return {name: value[:_MAX_DATE_CHARS] for name in _DATES if (value := tu.get(name))}


def kept_dates(segment: DocSegment, attrs: dict[str, str]) -> dict[str, str]:
    """``attrs`` (a unit's ``tuid`` and the workbench's dates) with the unit's own dates
    where the file gave them: all of them, and only them, while the segment is as imported;
    its creation once it changed."""
    info = segment.meta.get("tmx") if isinstance(segment.meta, dict) else None
    dates = info.get("dates") if isinstance(info, dict) else None
    if not isinstance(dates, dict):
        return attrs
    own = {k: str(v) for k, v in dates.items() if k in _DATES and isinstance(v, str)}
    if segment.version == 1:
        return {"tuid": attrs["tuid"], **own}
    creation = {k: v for k, v in own.items() if k.startswith("creation")}
    if creation:
        attrs = {k: v for k, v in attrs.items() if not k.startswith("creation")}
    return {**attrs, **creation}
