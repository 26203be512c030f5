"""Reading XLIFF 1.x and 2.0 as a stream of segments: units and segments, groups as
paragraphs, states as review statuses, flags back from their notes.

The file streams (``iterparse_xml``): each ``<file>`` is an article from its start tag on, each
unit becomes its segments as soon as it ends and is then freed. The units read are those the
format places: 1.2 ``<trans-unit>``s in the ``<file>``, its ``<body>`` and ``<group>``s; 2.0
``<unit>``s in the ``<file>`` and its ``<group>``s; groups are numbered in document order
within their file and a new paragraph starts wherever the innermost group changes.
"""

from __future__ import annotations

import dataclasses
import json
from typing import BinaryIO

from lxml import etree

from review.core.errors import InputError
from review.core.vocab import SEGMENT_KINDS
from review.formats import jsonsafe
from review.formats.base import (
    MAX_TABLE_IMPORT_BYTES,
    DocArticle,
    DocFlag,
    DocSegment,
    ReadOptions,
    SegmentStream,
)
from review.formats.xliff.inline import _choose_brace, _Inline
from review.formats.xliff.names import _OLD_NAMESPACES, FLAG_PREFIX, NS12, NS20
from review.formats.xmlsafe import iterparse_xml, local_name, namespace, release

_FLAG_FIELDS = {f.name for f in dataclasses.fields(DocFlag)}

_STATES_12_READ = {
    "final": "approved", "signed-off": "approved", "translated": "fixed",
    "needs-review-translation": "flagged", "needs-review-adaptation": "flagged",
    "needs-review-l10n": "flagged", "new": "todo", "needs-translation": "todo",
    "needs-adaptation": "todo", "needs-l10n": "todo",
}
_MT_QUALIFIERS = frozenset({"mt-suggestion", "leveraged-mt"})

_STATES_20_READ = {"initial": "todo", "translated": "todo", "reviewed": "fixed",
                   "final": "approved"}


def _version(root: etree._Element, what: str) -> str:
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


_TAGS = ("file", "body", "group", "trans-unit", "unit")
_CONTAINERS = {"1.2": frozenset({"body", "group"}), "2.0": frozenset({"group"})}
_UNIT = {"1.2": "trans-unit", "2.0": "unit"}
_NO_GROUP = object()


@dataclasses.dataclass
class _File:
    """A ``<file>`` being read: its article, and where its groups and paragraphs stand."""

    article: DocArticle
    original: str
    groups: int = 0
    last_group: object = _NO_GROUP
    paragraph: int = 0
    count: int = 0

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
    version = _version(root, what)
    containers, unit_name = _CONTAINERS[version], _UNIT[version]
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
                holders.append((element, group))
        elif holders and element is holders[-1][0]:
            holders.pop()
            release(element, what)
        elif name == unit_name and holders and element.getparent() is holders[-1][0]:
            file, group = files[-1], holders[-1][1]
            segments = (_segments12(element, what) if version == "1.2"
                        else _segments20(element, what))
            release(element, what)
            for segment in segments:
                file.place(segment, group)
                read_any = True
                yield file.article, segment
        elif not any(local_name(a) in _UNIT.values() for a in element.iterancestors()):
            release(element, what)
    if not files:
        raise InputError(f"{what} has no <file> element; it holds nothing to import.")
    if not read_any:
        raise InputError(f"{what} holds no translation units; nothing to import.")


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
    return _File(article, original)


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in element if local_name(c) == name), None)


def _notes(note_elements: list[etree._Element]) -> tuple[list[str], list[DocFlag]]:
    notes, flags = [], []
    for note in note_elements:
        text = "".join(note.itertext())
        flag = _parse_flag(text)
        if flag is not None:
            flags.append(flag)
        else:
            notes.append(text)
    return notes, flags


def _parse_flag(text: str) -> DocFlag | None:
    if not text.startswith(FLAG_PREFIX):
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


def _segment(source_el: etree._Element | None, target_el: etree._Element | None,
             version: str, where: str) -> tuple[str, str, dict]:
    numbers: dict[str, str] = {}
    tags: dict[str, dict] = {}
    source = _Inline(version, numbers, tags)
    target = _Inline(version, numbers, tags)
    if source_el is not None:
        source.walk(source_el)
    if target_el is not None:
        target.walk(target_el)
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


def _segments12(unit: etree._Element, what: str) -> list[DocSegment]:
    ident = unit.get("id", "")
    where = f"{what}, line {unit.sourceline} (trans-unit {ident!r})"
    target_el = _child(unit, "target")
    source, target, info = _segment(_child(unit, "source"), target_el, "1.2", where)
    _need_text(source, target, where)
    notes, flags = _notes([n for n in unit if local_name(n) == "note"])
    segment = DocSegment(
        mt=target, source=source, kind=_kind(unit.get("restype", ""), "x-"),
        external_id=ident, notes=notes, flags=flags, status=_status12(unit, target_el),
    )
    if info:
        segment.meta["xliff"] = info
    return [segment]


def _status12(unit: etree._Element, target: etree._Element | None) -> str | None:
    state = target.get("state") if target is not None else None
    if state is None:
        return "approved" if unit.get("approved") == "yes" else None
    status = _STATES_12_READ.get(state)
    if status in ("flagged", "fixed") and target.get("state-qualifier") in _MT_QUALIFIERS:
        return "todo"
    return status


def _segments20(unit: etree._Element, what: str) -> list[DocSegment]:
    unit_id = unit.get("id", "")
    segments = [s for s in unit if local_name(s) == "segment"]
    notes_el = _child(unit, "notes")
    notes, flags = _notes([n for n in notes_el if local_name(n) == "note"]
                          if notes_el is not None else [])
    original_data = _child(unit, "originalData")
    out = []
    for index, seg in enumerate(segments):
        ident = unit_id if len(segments) == 1 else f"{unit_id}/{seg.get('id') or index + 1}"
        where = f"{what}, line {seg.sourceline} (unit {ident!r})"
        source, target, info = _segment(_child(seg, "source"), _child(seg, "target"), "2.0",
                                        where)
        _need_text(source, target, where)
        segment = DocSegment(
            mt=target, source=source, kind=_kind(unit.get("type", ""), "mtr:"),
            external_id=ident, notes=notes if index == 0 else [],
            flags=flags if index == 0 else [], status=_status20(seg),
        )
        if info:
            if original_data is not None:
                info["original_data"] = etree.tostring(original_data, encoding="unicode")
            segment.meta["xliff"] = info
        out.append(segment)
    return out


def _status20(segment: etree._Element) -> str | None:
    state = segment.get("state")
    if state is None:
        return None
    if state == "translated" and segment.get("subState") == "mtr:flagged":
        return "flagged"
    return _STATES_20_READ.get(state)


def _need_text(source: str, target: str, where: str) -> None:
    if not source and not target:
        raise InputError(f"{where}: neither source nor target has text; remove the unit or "
                         "fill it in.")
