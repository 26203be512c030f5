"""Export into the original XLIFF file: the reviewed targets, states and notes written into
the document the import read, everything else left as it was (the way CAT tools and
Okapi's merge step work).

Each stored segment knows its place in the file (``meta["xliff"]["loc"]``, see ``units``).
The merge walks the original's units with the reader's own rules and, per segment, compares
what the workbench holds with what the file says:

- target: the corrected text (a segment split in the workbench: its parts joined again with
  the separators they were split at) replaces the target's content when it differs from the
  target as imported; inline tags are copies of the original elements; a unit or segment
  without a target gets one. Where the new text needs its whitespace kept and the file does
  not say ``xml:space="preserve"`` already, the export says it (1.2: on the unit; 2.0: on
  the target).
- state: written only where the review status differs from the one the file's state reads
  as (table in docs/formats.md); 1.2 keeps one state per unit, the least finished of its
  segments' (flagged, to do, fixed, approved).
- notes: reviewer notes the file does not have are added; flags (only those the export
  service hands over: confirmed ones, unless suggestions were asked for) replace the unit's
  ``MQM flag:`` notes when they differ from them.
- a segment merged into the one before it in the workbench (it is gone from the article):
  its text is in that segment's target, so its own target is emptied, and a note says where
  the text went. Source, ids and structure stay valid.
- locked segments (``translate="no"``, no text) and every file the export was not given
  are left exactly as they are.
"""

from __future__ import annotations

import copy
import dataclasses
from collections import defaultdict

from lxml import etree

from review.core.errors import InputError
from review.core.vocab import STATUS_PROGRESS
from review.formats.base import DocArticle, DocFlag, DocSegment, WriteOptions
from review.formats.xliff.inline import _check_same_tags, _fill, _tokens
from review.formats.xliff.names import FLAG_CATEGORY
from review.formats.xliff.reader import parse_flag, read_place, xliff_version
from review.formats.xliff.units import (
    UNIT,
    XML_SPACE,
    Place,
    child,
    inherited,
    is_unit,
    locked,
    new_seg_mark,
    places,
    seg_marks,
    status12,
    status20,
)
from review.formats.xliff.writer import flag_note
from review.formats.xmlsafe import local_name, namespace, parse_xml, xml_text
from review.formats.xmlwrite import serialise_like

TOOL_NAME = "MT Review Workbench"
_ORDER = STATUS_PROGRESS
_STATES_12 = {"approved": ("final", None), "fixed": ("translated", None),
              "flagged": ("needs-review-translation", None),
              "todo": ("needs-review-translation", "mt-suggestion")}
_STATES_20 = {"todo": ("initial", None), "flagged": ("translated", "mtr:flagged"),
              "fixed": ("reviewed", None), "approved": ("final", None)}
_NOTE_AFTER_12 = frozenset({"source", "seg-source", "target", "context-group", "count-group",
                            "prop-group", "note", "alt-trans"})


def merge_xliff(original: bytes, articles: list[DocArticle], options: WriteOptions,
                what: str = "The original XLIFF file") -> bytes:
    """``original`` with the articles' reviewed segments written into it."""
    root = parse_xml(original, what=what, kind="XLIFF")
    version = xliff_version(root, what)
    stored, files = _by_place(articles)
    file_elements = [f for f in root if local_name(f) == "file"]
    for file_number, file in enumerate(file_elements):
        units = (u for u in file.iter(f"{{*}}{UNIT[version]}") if is_unit(u, version))
        for unit_number, unit in enumerate(units):
            _Unit(unit, version, (file_number, unit_number), stored,
                  file_number in files, what).merge()
    return serialise_like(root, original)


def _by_place(articles: list[DocArticle]
              ) -> tuple[dict[tuple[int, int, int], list[DocSegment]], set[int]]:
    """The stored segments by their place in the file (the parts of a split segment share
    one), and the files the articles cover."""
    stored: dict[tuple[int, int, int], list[DocSegment]] = defaultdict(list)
    files: set[int] = set()
    for article in articles:
        for segment in article.segments:
            info = segment.meta.get("xliff") if isinstance(segment.meta, dict) else None
            loc = info.get("loc") if isinstance(info, dict) else None
            if (isinstance(loc, list) and len(loc) == 3
                    and all(isinstance(n, int) for n in loc)):
                stored[tuple(loc)].append(segment)
                files.add(loc[0])
    return stored, files


def joined(parts: list[DocSegment]) -> tuple[str, list[DocFlag], str]:
    """The text of a segment the workbench may have split (its parts in order), the flags
    of all parts with their offsets moved into the joined text, and the least finished
    status of the parts."""
    text, flags = "", []
    for number, part in enumerate(parts):
        if number:
            text += str((part.meta or {}).get("sep", " "))
        offset = len(text)
        text += part.corrected if part.corrected is not None else part.mt
        for flag in part.flags:
            if offset and flag.span_in != "source" and flag.start is not None \
                    and flag.end is not None:
                flag = dataclasses.replace(flag, start=flag.start + offset,
                                           end=flag.end + offset)
            flags.append(flag)
    statuses = [p.status or "todo" for p in parts]
    return text, flags, min(statuses, key=lambda s: _ORDER.index(s) if s in _ORDER else 1)


def _needs_preserve(text: str) -> bool:
    return text != " ".join(text.split())


@dataclasses.dataclass
class _Unit:
    unit: etree._Element
    version: str
    key: tuple[int, int]
    stored: dict
    file_given: bool
    what: str

    def merge(self) -> None:
        if locked(self.unit) or not self.file_given:
            return
        if any(part.held for place in places(self.unit, self.version)
               for part in self.stored.get((*self.key, place.index), [])):
            return  # not released by this export: the unit stays as the file has it
        ns = namespace(self.unit)
        flags: list[DocFlag] = []
        notes: list[str] = []
        statuses: list[str] = []
        writes: list[tuple[Place, str, dict, dict]] = []
        absorbed: list[Place] = []
        for place in places(self.unit, self.version):
            parts = self.stored.get((*self.key, place.index), [])
            where = (f"Segment {place.ident!r} ({self.what}, line "
                     f"{(place.source if place.source is not None else self.unit).sourceline})")
            elements: tuple[dict, dict] = ({}, {})
            source, target, info = read_place(place, self.version, where, elements=elements)
            if not parts:
                if target:
                    absorbed.append(place)
                continue
            if not (source.strip() or target.strip()) and all(
                    (p.meta.get("xliff") or {}).get("locked") for p in parts):
                continue  # a segment without text, shown as metadata
            text, part_flags, status = joined(parts)
            flags += part_flags
            notes += [n for p in parts for n in p.notes]
            if text != target:
                templates = {**elements[0], **elements[1]}
                writes.append((place, text, info, templates))
            if self.version == "2.0":
                self._state20(place, status, bool(text or target))
            else:
                statuses.append(status)
        for place, text, info, templates in writes:
            self._write_target(place, text, info, templates, ns)
        for place in absorbed:
            self._write_target(place, "", {}, {}, ns)
        if statuses:
            self._state12(statuses)
        self._notes(notes, flags, absorbed, ns)

    # ---------------------------------------------------------------- targets
    def _write_target(self, place: Place, text: str, info: dict, templates: dict,
                      ns: str) -> None:
        where = f"Segment {place.ident!r} of {self.what}"
        if info.get("tags"):
            parts = _tokens(text, info, where)
            _check_same_tags(parts, info, where)
        else:
            parts = [text]
        target = place.target if place.target is not None else self._new_target(place, ns)
        target.text = None
        for node in list(target):
            target.remove(node)
        _fill(target, parts, info, self.version, templates)
        if _needs_preserve(text):
            holder = self.unit if self.version == "1.2" else target
            if inherited(holder, XML_SPACE) != "preserve":
                holder.set(XML_SPACE, "preserve")

    def _new_target(self, place: Place, ns: str) -> etree._Element:
        if self.version == "2.0":
            segment = place.segment
            assert segment is not None  # every 2.0 place is a <segment>
            source = place.source if place.source is not None else segment[-1]
            target = etree.Element(f"{{{ns}}}target")
            source.addnext(target)
            target.tail, source.tail = source.tail, segment.text
            place.target = target
            return target
        unit_target = child(self.unit, "target")
        seg_source = child(self.unit, "seg-source")
        if unit_target is None:
            anchor = seg_source if seg_source is not None else child(self.unit, "source")
            if anchor is None:
                raise _no_source(place, self.what)
            if seg_source is not None:
                unit_target = _emptied_copy(seg_source, f"{{{ns}}}target")
            else:
                unit_target = etree.Element(f"{{{ns}}}target")
            anchor.addnext(unit_target)
            unit_target.tail, anchor.tail = anchor.tail, anchor.tail
        if seg_source is None:
            place.target = unit_target
            return unit_target
        if place.source is None:
            raise _no_source(place, self.what)
        mid = place.source.get("mid")
        mark = next((m for m in seg_marks(unit_target) if m.get("mid") == mid), None)
        if mark is None:
            mark = new_seg_mark(unit_target, seg_source, place.source, ns)
        place.target = mark
        return mark

    # ---------------------------------------------------------------- states
    def _state12(self, statuses: list[str]) -> None:
        was = status12(self.unit) or "todo"
        status = min(statuses, key=_ORDER.index)
        if status == was:
            return
        target = child(self.unit, "target")
        if status == "approved":
            self.unit.set("approved", "yes")
        elif self.unit.get("approved") == "yes":
            del self.unit.attrib["approved"]
        if target is None:
            return
        state, qualifier = _STATES_12[status]
        target.set("state", state)
        if qualifier:
            target.set("state-qualifier", qualifier)
        elif "state-qualifier" in target.attrib:
            del target.attrib["state-qualifier"]

    def _state20(self, place: Place, status: str, has_target: bool) -> None:
        segment = place.segment
        assert segment is not None  # every 2.0 place is a <segment>
        if status == (status20(segment) or "todo"):
            return
        state, sub_state = _STATES_20[status]
        if state != "initial" and not has_target:
            return  # a state past "initial" needs a target
        segment.set("state", state)
        if sub_state:
            segment.set("subState", sub_state)
        elif "subState" in segment.attrib:
            del segment.attrib["subState"]

    # ---------------------------------------------------------------- notes
    def _notes(self, notes: list[str], flags: list[DocFlag], absorbed: list[Place],
               ns: str) -> None:
        elements = self._note_elements()
        texts = ["".join(n.itertext()) for n in elements]
        old_flags = [(n, f) for n, t in zip(elements, texts) if (f := parse_flag(t)) is not None]
        plain = [t for t in texts if parse_flag(t) is None]
        new_notes = [n for n in notes if n not in plain]
        for place in absorbed:
            new_notes.append(f"The reviewer merged segment {place.ident} into the one before "
                             "it: its translation is in that segment's target.")
        same_flags = sorted(map(_flag_key, flags)) == sorted(_flag_key(f) for _, f in old_flags)
        if same_flags and not new_notes:
            return
        if not same_flags:
            for note, _ in old_flags:
                _remove(note)
        made = [self._note(ns, text, None) for text in new_notes]
        if not same_flags:
            made += [self._note(ns, flag_note(flag), flag) for flag in flags]
        self._place_notes(made, ns)

    def _note_elements(self) -> list[etree._Element]:
        if self.version == "1.2":
            return [n for n in self.unit if local_name(n) == "note"]
        notes = child(self.unit, "notes")
        return [n for n in notes if local_name(n) == "note"] if notes is not None else []

    def _note(self, ns: str, text: str, flag: DocFlag | None) -> etree._Element:
        note = etree.Element(f"{{{ns}}}note")
        note.text = xml_text(text)
        if flag is None:
            if self.version == "1.2":
                note.set("from", TOOL_NAME)
            return note
        applies = "source" if flag.span_in == "source" else "target"
        if self.version == "1.2":
            note.set("annotates", applies)
            note.set("priority", "1" if flag.severity in ("Major", "Critical") else "5")
            if flag.author:
                note.set("from", xml_text(flag.author))
        else:
            note.set("category", FLAG_CATEGORY)
            note.set("appliesTo", applies)
        return note

    def _place_notes(self, made: list[etree._Element], ns: str) -> None:
        if not made:
            return
        if self.version == "1.2":
            kids = list(self.unit)
            last = max(i for i, c in enumerate(kids)
                       if local_name(c) in _NOTE_AFTER_12 and namespace(c) == ns)
            anchor = kids[last]
            for note in reversed(made):
                _insert_after(anchor, note)
            return
        notes = child(self.unit, "notes")
        if notes is None:
            notes = etree.Element(f"{{{ns}}}notes")
            first = next(c for c in self.unit if namespace(c) == ns
                         and local_name(c) in ("originalData", "segment", "ignorable"))
            before = first.getprevious()
            notes.tail = before.tail if before is not None else self.unit.text
            first.addprevious(notes)
        for note in made:
            notes.append(note)


def _no_source(place: Place, what: str) -> InputError:
    return InputError(f"Segment {place.ident!r} of {what} has no <source> to place its "
                      "translation after; add the source and try again.")


def _flag_key(flag: DocFlag) -> tuple:
    return (flag.category, flag.severity, flag.start, flag.end, flag.note, flag.span_in,
            flag.target)


def _remove(element: etree._Element) -> None:
    """Remove ``element`` and the whitespace after it, keeping the text after it."""
    parent = element.getparent()
    tail = element.tail or ""
    previous = element.getprevious()
    if tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _insert_after(anchor: etree._Element, element: etree._Element) -> None:
    """Insert ``element`` after ``anchor``, indented like ``anchor``."""
    before = anchor.getprevious()
    indent = before.tail if before is not None else anchor.getparent().text
    element.tail = anchor.tail
    anchor.addnext(element)
    if indent is not None and not indent.strip() and not (anchor.tail or "").strip():
        anchor.tail = indent


def _emptied_copy(seg_source: etree._Element, tag: str) -> etree._Element:
    """A new 1.2 ``<target>`` shaped like ``<seg-source>``: the same markers, empty."""
    target = copy.deepcopy(seg_source)
    target.tag = tag
    target.tail = None
    for mark in seg_marks(target):
        mark.text = None
        for node in list(mark):
            mark.remove(node)
    return target
