"""Where the reviewable segments of an XLIFF unit are, and how a unit's state reads: the one
description the reader (import) and the merge (export into the original) both follow, so a
segment found on the way in is the segment written on the way out.

- XLIFF 1.2: a ``<trans-unit>`` is one segment, or, when its ``<seg-source>`` holds
  ``<mrk mtype="seg">`` markers, one segment per marker, paired with the target's marker of
  the same ``mid``. The text between markers stays in the file.
- XLIFF 2.0: one segment per ``<segment>``; ``<ignorable>``s stay in the file.
- A unit the reviewer cannot act on (``translate="no"`` on it or a parent) is *locked*;
  so is a segment with no text on either side. Both are read (shown as such) and never
  written to.

A segment's place is ``[file, unit, segment]``: the ``<file>``'s number among the root's
files, the unit's number among the units read in that file, the segment's number in its
unit, all from 0, in document order.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from review.formats.xmlsafe import local_name, namespace

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

CONTAINERS = {"1.2": frozenset({"body", "group", "bin-unit"}), "2.0": frozenset({"group"})}
"""Elements whose units are read (inside a ``<file>``, nested in any order)."""
UNIT = {"1.2": "trans-unit", "2.0": "unit"}

STATES_12_READ = {
    "final": "approved", "signed-off": "approved", "translated": "fixed",
    "needs-review-translation": "flagged", "needs-review-adaptation": "flagged",
    "needs-review-l10n": "flagged", "new": "todo", "needs-translation": "todo",
    "needs-adaptation": "todo", "needs-l10n": "todo",
}
MT_QUALIFIERS = frozenset({"mt-suggestion", "leveraged-mt"})
STATES_20_READ = {"initial": "todo", "translated": "todo", "reviewed": "fixed",
                  "final": "approved"}


@dataclass
class Place:
    """One segment of a unit: the elements that hold its source and target text."""

    index: int
    ident: str
    source: etree._Element | None
    target: etree._Element | None
    segment: etree._Element | None = None
    """2.0: the ``<segment>`` (which holds the state)."""


def child(element: etree._Element, name: str) -> etree._Element | None:
    """The first child called ``name`` in the element's own namespace."""
    ns = namespace(element)
    return next((c for c in element if local_name(c) == name and namespace(c) == ns), None)


def seg_marks(element: etree._Element | None) -> list[etree._Element]:
    """The ``<mrk mtype="seg">`` markers inside a 1.2 ``<seg-source>`` or ``<target>``."""
    if element is None:
        return []
    return [m for m in element.iter(f"{{{namespace(element)}}}mrk")
            if m.get("mtype") == "seg"]


def new_seg_mark(target: etree._Element, seg_source: etree._Element,
                 source_mark: etree._Element, ns: str) -> etree._Element:
    """A ``<mrk mtype="seg">`` for ``source_mark``'s segment in a target that lacks it, in
    the source's order: after the target's marker of the segment before it, else before the
    one after it, else at the end; followed by the spacing that follows it in the source."""
    mid = source_mark.get("mid") or ""
    mark = etree.Element(f"{{{ns}}}mrk", mtype="seg", mid=mid)
    order = [m.get("mid") for m in seg_marks(seg_source)]
    here = order.index(mid) if mid in order else len(order)
    present = {m.get("mid"): m for m in seg_marks(target)}
    before = [present[m] for m in order[:here] if m in present]
    after = [present[m] for m in order[here + 1:] if m in present]
    if before:
        before[-1].addnext(mark)  # after that marker's own tail
        mark.tail = source_mark.tail if after else None
    elif after:
        after[0].addprevious(mark)
        mark.tail = source_mark.tail
    else:
        target.append(mark)
    return mark


def places12(unit: etree._Element) -> list[Place]:
    ident = unit.get("id", "")
    source, target = child(unit, "source"), child(unit, "target")
    marks = seg_marks(child(unit, "seg-source"))
    by_mid = {m.get("mid"): m for m in seg_marks(target)}
    if not marks or (not by_mid and _has_content(target)):
        # a translation not cut like the seg-source is one text: it stays one segment
        return [Place(0, ident, source, target)]
    return [Place(i, ident if len(marks) == 1 else f"{ident}/{m.get('mid') or i + 1}", m,
                  by_mid.get(m.get("mid"))) for i, m in enumerate(marks)]


def _has_content(element: etree._Element | None) -> bool:
    return element is not None and (bool((element.text or "").strip()) or len(element) > 0)


def places20(unit: etree._Element) -> list[Place]:
    ident = unit.get("id", "")
    segments = [s for s in unit if local_name(s) == "segment"]
    return [Place(i, ident if len(segments) == 1 else f"{ident}/{s.get('id') or i + 1}",
                  child(s, "source"), child(s, "target"), s)
            for i, s in enumerate(segments)]


def places(unit: etree._Element, version: str) -> list[Place]:
    return places12(unit) if version == "1.2" else places20(unit)


def is_unit(element: etree._Element, version: str) -> bool:
    """Whether ``element`` is a unit the reader reads: a unit whose parents up to a
    ``<file>`` on top of the document are all containers."""
    if local_name(element) != UNIT[version]:
        return False
    parent = element.getparent()
    while parent is not None and local_name(parent) in CONTAINERS[version]:
        parent = parent.getparent()
    return (parent is not None and local_name(parent) == "file"
            and parent.getparent() is not None and parent.getparent().getparent() is None)


def inherited(element: etree._Element, attribute: str) -> str | None:
    """``attribute`` on ``element`` or its nearest ancestor that has it."""
    for node in (element, *element.iterancestors()):
        value = node.get(attribute)
        if value is not None:
            return value
    return None


def locked(unit: etree._Element) -> bool:
    """``translate="no"`` on the unit or the nearest group/file that says."""
    return inherited(unit, "translate") == "no"


def status12(unit: etree._Element) -> str | None:
    """The review status a 1.2 unit's state reads as (``None``: the file says nothing)."""
    target = child(unit, "target")
    state = target.get("state") if target is not None else None
    if target is None or state is None:
        return "approved" if unit.get("approved") == "yes" else None
    status = STATES_12_READ.get(state)
    if status in ("flagged", "fixed") and target.get("state-qualifier") in MT_QUALIFIERS:
        return "todo"
    return status


def status20(segment: etree._Element | None) -> str | None:
    if segment is None:
        return None
    state = segment.get("state")
    if state is None:
        return None
    if state == "translated" and segment.get("subState") == "mtr:flagged":
        return "flagged"
    return STATES_20_READ.get(state)
