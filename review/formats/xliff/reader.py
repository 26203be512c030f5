"""Reading XLIFF 1.x and 2.0 into articles: units and segments, groups as
paragraphs, states as review statuses, flags back from their notes.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

from lxml import etree

from review.errors import InputError
from review.formats import jsonsafe
from review.formats.base import DocArticle, DocFlag, DocSegment, ReadOptions
from review.formats.xliff.inline import _choose_brace, _Inline
from review.formats.xliff.names import _OLD_NAMESPACES, FLAG_PREFIX, NS12, NS20
from review.formats.xmlsafe import local_name, namespace
from review.vocab import SEGMENT_KINDS

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


def _units12(element: etree._Element, group: int | None = None,
             counter: list[int] | None = None) -> Iterator[tuple[etree._Element, int | None]]:
    """Trans-units in document order with the number of their innermost group."""
    counter = counter if counter is not None else [0]
    for child in element:
        name = local_name(child)
        if name == "trans-unit":
            yield child, group
        elif name in ("body", "group"):
            inner = group
            if name == "group":
                counter[0] += 1
                inner = counter[0]
            yield from _units12(child, inner, counter)


def _units20(element: etree._Element, group: int | None = None,
             counter: list[int] | None = None) -> Iterator[tuple[etree._Element, int | None]]:
    counter = counter if counter is not None else [0]
    for child in element:
        name = local_name(child)
        if name == "unit":
            yield child, group
        elif name == "group":
            counter[0] += 1
            yield from _units20(child, counter[0], counter)


def _paragraphs(groups: list[int | None]) -> list[int]:
    """Paragraph numbers: a new paragraph wherever the enclosing group changes."""
    out, paragraph, previous = [], 0, object()
    for index, group in enumerate(groups):
        if index and group != previous:
            paragraph += 1
        out.append(paragraph)
        previous = group
    return out


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


def _read_file12(file: etree._Element, title: str, options: ReadOptions,
                 what: str) -> DocArticle:
    article = _new_article(title, file.get("source-language", ""),
                           file.get("target-language", ""), options)
    units = list(_units12(file))
    seen: dict[str, int] = {}
    for (unit, _), paragraph in zip(units, _paragraphs([g for _, g in units])):
        ident = unit.get("id", "")
        where = f"{what}, line {unit.sourceline} (trans-unit {ident!r})"
        _unique(seen, ident, unit.sourceline or 0, where)
        source, target, info = _segment(_child(unit, "source"), _child(unit, "target"), "1.2",
                                        where)
        _need_text(source, target, where)
        notes, flags = _notes([n for n in unit if local_name(n) == "note"])
        target_el = _child(unit, "target")
        segment = DocSegment(
            mt=target, source=source, kind=_kind(unit.get("restype", ""), "x-"),
            paragraph=paragraph, external_id=ident, notes=notes, flags=flags,
            status=_status12(unit, target_el), position=len(article.segments),
        )
        if info:
            segment.meta["xliff"] = info
        article.segments.append(segment)
    return article


def _status12(unit: etree._Element, target: etree._Element | None) -> str | None:
    state = target.get("state") if target is not None else None
    if state is None:
        return "approved" if unit.get("approved") == "yes" else None
    status = _STATES_12_READ.get(state)
    if status in ("flagged", "fixed") and target.get("state-qualifier") in _MT_QUALIFIERS:
        return "todo"
    return status


def _read_file20(file: etree._Element, root: etree._Element, title: str,
                 options: ReadOptions, what: str) -> DocArticle:
    article = _new_article(title, root.get("srcLang", ""), root.get("trgLang", ""), options)
    units = list(_units20(file))
    seen: dict[str, int] = {}
    rows: list[tuple[DocSegment, int | None]] = []
    for unit, group in units:
        unit_id = unit.get("id", "")
        segments = [s for s in unit if local_name(s) == "segment"]
        notes_el = _child(unit, "notes")
        notes, flags = _notes([n for n in notes_el if local_name(n) == "note"]
                              if notes_el is not None else [])
        original_data = _child(unit, "originalData")
        for index, seg in enumerate(segments):
            ident = unit_id if len(segments) == 1 else f"{unit_id}/{seg.get('id') or index + 1}"
            where = f"{what}, line {seg.sourceline} (unit {ident!r})"
            _unique(seen, ident, seg.sourceline or 0, where)
            source, target, info = _segment(_child(seg, "source"), _child(seg, "target"),
                                            "2.0", where)
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
            rows.append((segment, group))
    for (segment, _), paragraph in zip(rows, _paragraphs([g for _, g in rows])):
        segment.paragraph = paragraph
        segment.position = len(article.segments)
        article.segments.append(segment)
    return article


def _status20(segment: etree._Element) -> str | None:
    state = segment.get("state")
    if state is None:
        return None
    if state == "translated" and segment.get("subState") == "mtr:flagged":
        return "flagged"
    return _STATES_20_READ.get(state)


def _unique(seen: dict[str, int], ident: str, line: int, where: str) -> None:
    if not ident:
        return
    if ident in seen:
        raise InputError(f"{where}: the id appears twice (first on line {seen[ident]}); ids "
                         "must be unique within a file.")
    seen[ident] = line


def _need_text(source: str, target: str, where: str) -> None:
    if not source and not target:
        raise InputError(f"{where}: neither source nor target has text; remove the unit or "
                         "fill it in.")
