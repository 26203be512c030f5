"""Reading XLIFF 1.x and 2.0 as a stream of segments: units and segments, groups as
paragraphs, states as review statuses, flags back from their notes.

The file streams (``iterparse_xml``): each ``<file>`` is an article from its start tag on, each
unit becomes its segments as soon as it ends and is then freed. The units read are those the
format places (``units.is_unit``): 1.2 ``<trans-unit>``s in the ``<file>``, its ``<body>``,
``<group>``s and ``<bin-unit>``s; 2.0 ``<unit>``s in the ``<file>`` and its ``<group>``s;
groups are numbered in document order within their file and a new paragraph starts wherever
the innermost group changes. Segments follow ``units.places`` (1.2 ``<seg-source>`` markers,
2.0 ``<segment>``s); texts are kept exactly as the file has them, whitespace included.

Every unit gives its segments, even those the reviewer cannot act on: a locked unit
(``translate="no"``) or a segment without text on either side becomes a ``metadata``
segment (residue: shown dimmed, never scored) marked ``locked`` in its metadata, and the
import report counts them; export leaves them as they are.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from typing import BinaryIO

from lxml import etree

from review.core import limits
from review.core.errors import InputError
from review.core.vocab import SEGMENT_KINDS
from review.formats import jsonsafe
from review.formats.base import (
    MAX_TABLE_IMPORT_BYTES,
    NOTHING_TO_REVIEW,
    WARNINGS_KEY,
    DocArticle,
    DocFlag,
    DocSegment,
    ReadOptions,
    SegmentStream,
)
from review.formats.xliff.inline import TagBudget, _choose_brace, _Inline
from review.formats.xliff.names import _OLD_NAMESPACES, FLAG_PREFIX, NS12, NS20
from review.formats.xliff.units import (
    CONTAINERS,
    UNIT,
    Place,
    child,
    locked,
    places,
    status12,
    status20,
)
from review.formats.xmlsafe import iterparse_xml, local_name, namespace, release

_FLAG_FIELDS = {f.name for f in dataclasses.fields(DocFlag)}
LOCKED_KIND = "metadata"
"""The kind of a segment the reviewer cannot act on: residue, shown dimmed, never scored."""


def xliff_version(root: etree._Element, what: str) -> str:
    if local_name(root) != "xliff":
        raise InputError(f"{what} is not XLIFF: its root element is <{local_name(root)}>, "
                         "not <xliff>; pick the right file or format.")
    ns = namespace(root)
    declared = root.get("version", "")
    if ns == NS20 or (not ns and declared.startswith("2")):
        return "2.0"
    if ns in (NS12, *_OLD_NAMESPACES) or (not ns and declared.startswith("1")):
        return "1.2"
    raise InputError(f"{what} uses an XLIFF version this tool does not read ({ns or declared}); "
                     "export XLIFF 1.2 or 2.0 from your tool.")


_TAGS = ("file", "body", "group", "bin-unit", "trans-unit", "unit")
_NO_GROUP = object()


@dataclasses.dataclass
class _File:
    """A ``<file>`` being read: its article, and where its groups and paragraphs stand."""

    article: DocArticle
    original: str
    number: int
    groups: int = 0
    last_group: object = _NO_GROUP
    paragraph: int = 0
    count: int = 0
    units: int = 0
    counts: Counter = dataclasses.field(default_factory=Counter)
    ids: set[int] = dataclasses.field(default_factory=set)
    """Hashes of the segment ids given so far (bounded memory: no strings kept)."""
    repeats: dict[str, int] = dataclasses.field(default_factory=dict)

    def unique(self, ident: str) -> str:
        """``ident``, or ``ident#2``, ``#3``… when a unit of this file already had it (tools
        write such files; the export writes the file's own ids back, whatever they are)."""
        if hash(ident) not in self.ids:
            self.ids.add(hash(ident))
            return ident
        number = self.repeats.get(ident, 1)
        while hash(candidate := f"{ident}#{number + 1}") in self.ids:
            number += 1
        self.repeats[ident] = number + 1
        self.ids.add(hash(candidate))
        self.counts["repeated"] += 1
        return candidate

    def place(self, segment: DocSegment, group: int | None) -> None:
        """Paragraph and position: a new paragraph wherever the enclosing group changes."""
        if self.count and group != self.last_group:
            self.paragraph += 1
        self.last_group = group
        segment.paragraph, segment.position = self.paragraph, self.count
        self.count += 1


def stream_xliff(stream: BinaryIO, options: ReadOptions, what: str,
                 default_title: str) -> SegmentStream:
    """Each unit's segments with their file's article, as the units end."""
    events = iterparse_xml(stream, what=what, kind="XLIFF", tags=_TAGS,
                           limit=MAX_TABLE_IMPORT_BYTES)
    _, root = next(events)
    version = xliff_version(root, what)
    containers, unit_name = CONTAINERS[version], UNIT[version]
    files: list[_File] = []
    # The open <file> and the open containers whose units count, innermost last, each with
    # the number of the innermost group around it.
    holders: list[tuple[etree._Element, int | None]] = []
    read_any = False
    for event, element in events:
        name = local_name(element)
        if event == "start":
            if name == "file" and _on_top(element):
                files.append(_new_file(element, root, version, files, options, default_title))
                holders = [(element, None)]
            elif name in containers and holders and element.getparent() is holders[-1][0]:
                group = holders[-1][1]
                if name == "group":
                    files[-1].groups += 1
                    group = files[-1].groups
                elif name == "bin-unit":
                    files[-1].counts["bin-unit"] += 1
                holders.append((element, group))
        elif holders and element is holders[-1][0]:
            holders.pop()
            release(element, what)
        elif name == unit_name and holders and element.getparent() is holders[-1][0]:
            file, group = files[-1], holders[-1][1]
            segments = unit_segments(element, version, what, file)
            release(element, what)
            for segment in segments:
                file.place(segment, group)
                read_any = True
                yield file.article, segment
        elif not any(local_name(a) in UNIT.values() for a in element.iterancestors()):
            release(element, what)
    if not files:
        raise InputError(f"{what} has no <file> element, so no translation unit: "
                         f"{NOTHING_TO_REVIEW}")
    if not read_any:
        raise InputError(f"{what} holds no translation unit (<{unit_name}>): "
                         f"{NOTHING_TO_REVIEW}")
    for file in files:
        warnings = _warnings(file)
        if warnings:
            file.article.meta.setdefault(WARNINGS_KEY, []).extend(warnings)


def _warnings(file: _File) -> list[str]:
    counts, out = file.counts, []
    if counts["locked"]:
        out.append(f"{counts['locked']:,} segment(s) of units marked translate=\"no\" are "
                   "shown as metadata and exported as they are")
    if counts["empty"]:
        out.append(f"{counts['empty']:,} segment(s) with no text on either side are shown as "
                   "metadata and exported as they are")
    if counts["bin-unit"]:
        out.append(f"{counts['bin-unit']:,} binary unit(s) (<bin-unit>) are kept in the file "
                   "as they are; the translation units inside them are reviewed like others")
    if counts["repeated"]:
        out.append(f"{counts['repeated']:,} unit id(s) repeat an earlier id of the file: "
                   "they are numbered (#2, #3…) in the workbench, and exports into the "
                   "original keep the file's own ids")
    if counts["cut"]:
        out.append(f"{counts['cut']:,} inline tag(s) carry more than the workbench keeps per "
                   "tag: they show as tags, and only an export into the original file (which "
                   "the import keeps up to its size limit) writes them whole")
    if counts["long_note"]:
        out.append(f"{counts['long_note']:,} note(s) longer than "
                   f"{limits.MAX_SEGMENT_CHARS:,} characters are shown cut short; the file "
                   "keeps them whole")
    return out


def _on_top(element: etree._Element) -> bool:
    """Whether ``element`` is a child of the root (its parent has no parent)."""
    parent = element.getparent()
    return parent is not None and parent.getparent() is None


def _new_file(file: etree._Element, root: etree._Element, version: str, files: list[_File],
              options: ReadOptions, default_title: str) -> _File:
    """The article of the next ``<file>``: titled by its ``original``, else by the default
    title, numbered once there are several files (which renames the first one's)."""
    number = len(files) + 1
    original = file.get("original") or ""
    if number == 1:
        title = options.title or original or default_title
    else:
        title = original or f"{default_title} ({number})"
        if number == 2:
            files[0].article.title = files[0].original or f"{default_title} (1)"
    if version == "1.2":
        languages = file.get("source-language", ""), file.get("target-language", "")
    else:
        languages = root.get("srcLang", ""), root.get("trgLang", "")
    article = _new_article(title, *languages, options)
    article.origin = options.origin
    return _File(article, original, number - 1)


def _notes(note_elements: list[etree._Element], counts: Counter
           ) -> tuple[list[str], list[DocFlag]]:
    notes, flags = [], []
    for note in note_elements:
        text = "".join(note.itertext())
        flag = parse_flag(text)
        if flag is not None:
            flags.append(flag)
        else:
            if len(text) > limits.MAX_SEGMENT_CHARS:
                counts["long_note"] += 1
                text = text[:limits.MAX_SEGMENT_CHARS - 1] + "…"
            notes.append(text)
    return notes, flags


def parse_flag(text: str) -> DocFlag | None:
    """The flag a ``MQM flag: {json}`` note carries, or ``None`` for any other note."""
    if not text.startswith(FLAG_PREFIX) or len(text) > limits.MAX_SEGMENT_CHARS:
        return None
    try:
        data = jsonsafe.loads(text[len(FLAG_PREFIX):])
    except (json.JSONDecodeError, jsonsafe.JsonTooDeep):
        return None
    if (not isinstance(data, dict) or not set(data) <= _FLAG_FIELDS
            or not isinstance(data.get("category"), str)
            or not isinstance(data.get("severity"), str)):
        return None
    try:
        return DocFlag(**data)
    except TypeError:
        return None


def read_place(place: Place, version: str, where: str, budget: TagBudget | None = None,
               elements: tuple[dict, dict] | None = None) -> tuple[str, str, dict]:
    """A segment's source and target as shown (tags as markers) and what its metadata keeps
    of the tags; ``elements`` collects each tag's source and target element (merge)."""
    numbers: dict[tuple, str] = {}
    tags: dict[str, dict] = {}
    budget = budget or TagBudget()
    source = _Inline(version, numbers, tags, budget, where,
                     elements[0] if elements else None)
    target = _Inline(version, numbers, tags, budget, where,
                     elements[1] if elements else None)
    if place.source is not None:
        source.walk(place.source)
    if place.target is not None:
        target.walk(place.target)
    if not tags:
        return source.plain(), target.plain(), {}
    brace = _choose_brace(source, target, where=where)
    info = {"version": version, "brace": brace, "tags": tags,
            "source_tags": source.numbers_used(), "target_tags": target.numbers_used()}
    return source.render(brace), target.render(brace), info


def _new_article(title: str, source_lang: str, target_lang: str,
                 options: ReadOptions) -> DocArticle:
    return DocArticle(title=title, source_lang=options.source_lang or source_lang,
                      target_lang=options.target_lang or target_lang or "en")


def _kind(value: str, prefix: str) -> str:
    if value.startswith(prefix) and value[len(prefix):] in SEGMENT_KINDS:
        return value[len(prefix):]
    return "body"


def unit_segments(unit: etree._Element, version: str, what: str,
                  file: _File) -> list[DocSegment]:
    """The segments of one unit, each with its place in the file (``meta["xliff"]``)."""
    unit_number, file.units = file.units, file.units + 1
    is_locked = locked(unit)
    if version == "1.2":
        note_elements = [n for n in unit if local_name(n) == "note"]
        kind = _kind(unit.get("restype", ""), "x-")
        unit_status = status12(unit)
    else:
        notes_el = child(unit, "notes")
        note_elements = ([n for n in notes_el if local_name(n) == "note"]
                         if notes_el is not None else [])
        kind = _kind(unit.get("type", ""), "mtr:")
    notes, flags = _notes(note_elements, file.counts)
    label = "trans-unit" if version == "1.2" else "unit"
    budget = TagBudget()
    original_data = _original_data(unit, budget) if version == "2.0" else None
    out = []
    for place in places(unit, version):
        line = (place.source if place.source is not None else unit).sourceline
        where = f"{what}, line {line} ({label} {place.ident!r})"
        source, target, info = read_place(place, version, where, budget)
        status = unit_status if version == "1.2" else status20(place.segment)
        first = place.index == 0
        segment = DocSegment(mt=target, source=source, kind=kind,
                             external_id=file.unique(place.ident),
                             notes=notes if first else [], flags=flags if first else [],
                             status=status)
        info = {"version": version, **info, "loc": [file.number, unit_number, place.index]}
        if first and original_data:
            info["original_data"] = original_data
        if is_locked or not (source.strip() or target.strip()):
            reason = "translate=no" if is_locked else "empty"
            info["locked"] = reason
            segment.kind = LOCKED_KIND
            file.counts["locked" if is_locked else "empty"] += 1
        segment.meta["xliff"] = info
        out.append(segment)
    file.counts["cut"] += budget.cut
    return out


def _original_data(unit: etree._Element, budget: TagBudget) -> str | None:
    """A 2.0 unit's ``<originalData>`` as XML, within the segment's budget for tag data."""
    element = child(unit, "originalData")
    if element is None:
        return None
    xml = etree.tostring(element, encoding="unicode")
    if len(xml) > budget.left:
        budget.cut += 1
        return None
    budget.left -= len(xml)
    return xml
