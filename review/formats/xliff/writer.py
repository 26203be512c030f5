"""Writing articles as XLIFF 1.2 or 2.0: the corrected text (else the MT) as target,
statuses as states, flags as notes, structure indented without touching texts.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator

from lxml import etree

from review.core.errors import InputError
from review.formats.base import DocArticle, DocFlag, DocSegment, WriteOptions
from review.formats.rows import export_segments
from review.formats.xliff.inline import _check_same_tags, _fill, _tokens
from review.formats.xliff.names import _NMTOKEN, FLAG_CATEGORY, FLAG_PREFIX, NS12, NS20
from review.formats.xliff.units import XML_SPACE
from review.formats.xmlsafe import local_name, parse_xml, xml_text

_STATES_12_WRITE = {"approved": ("final", None), "fixed": ("translated", None),
                    "flagged": ("needs-review-translation", None),
                    "todo": ("needs-review-translation", "mt-suggestion")}

_STATES_20_WRITE = {"todo": ("initial", None), "flagged": ("translated", "mtr:flagged"),
                    "fixed": ("reviewed", None), "approved": ("final", None)}


def _languages(articles: list[DocArticle], options: WriteOptions,
               article: DocArticle | None = None) -> tuple[str, str]:
    first = article or (articles[0] if articles else DocArticle(title=""))
    return (options.source_lang or first.source_lang or "und",
            options.target_lang or first.target_lang or "und")


def _texts(segment: DocSegment, version: str, where: str) -> tuple[list, list | None]:
    """Source and target parts of a segment, its placeholders checked and resolved."""
    target = segment.corrected if segment.corrected is not None else segment.mt
    info = segment.meta.get("xliff") if isinstance(segment.meta, dict) else None
    if not info or not info.get("tags"):
        return [segment.source], ([target] if target else None)
    source_parts = _tokens(segment.source, info, f"{where} (source)")
    target_parts = _tokens(target, info, where) if target else None
    if segment.corrected is not None and target_parts is not None:
        _check_same_tags(target_parts, info, where)
    return source_parts, target_parts


def _needs_preserve(parts: list | None) -> bool:
    """Whether a text's whitespace would be lost where ``xml:space`` is ``default``: line
    breaks, tabs, runs of spaces, spaces at either end."""
    text = "".join(p for p in parts or [] if isinstance(p, str))
    return text != " ".join(text.split())


def flag_note(flag: DocFlag) -> str:
    return FLAG_PREFIX + json.dumps(dataclasses.asdict(flag), ensure_ascii=False)


def _grouped(articles: list[DocArticle], options: WriteOptions
             ) -> Iterator[tuple[DocArticle, list[list[DocSegment]]]]:
    """Each article with its exported segments split into paragraphs."""
    by_article: dict[int, tuple[DocArticle, list[list[DocSegment]]]] = {}
    for article, segment in export_segments(articles, options):
        entry = by_article.setdefault(id(article), (article, []))
        paragraphs = entry[1]
        if not paragraphs or paragraphs[-1][-1].paragraph != segment.paragraph:
            paragraphs.append([])
        paragraphs[-1].append(segment)
    for article in articles:
        yield by_article.get(id(article), (article, []))


def _unit_ids(segments: list[DocSegment], valid: re.Pattern[str] | None) -> list[str]:
    ids, seen = [], set()
    for number, segment in enumerate(segments, 1):
        ident = segment.external_id or str(segment.id if segment.id is not None else number)
        ident = xml_text(ident)
        if valid is not None and not valid.match(ident):
            ident = re.sub(r"[^\w.:-]", "_", ident) or f"u{number}"
        while ident in seen:
            ident = f"{ident}_{number}"
        seen.add(ident)
        ids.append(ident)
    return ids


def _write12(articles: list[DocArticle], options: WriteOptions) -> etree._Element:
    ns = f"{{{NS12}}}"
    root = etree.Element(f"{ns}xliff", version="1.2", nsmap={None: NS12})
    for article, paragraphs in _grouped(articles, options):
        source_lang, target_lang = _languages(articles, options, article)
        file = etree.SubElement(root, f"{ns}file", {
            "original": xml_text(article.title) or "article", "source-language": source_lang,
            "target-language": target_lang, "datatype": "plaintext"})
        body = etree.SubElement(file, f"{ns}body")
        ids = iter(_unit_ids([s for p in paragraphs for s in p], None))
        for number, paragraph in enumerate(paragraphs, 1):
            parent = etree.SubElement(body, f"{ns}group", id=f"p{number}") \
                if len(paragraphs) > 1 else body
            for segment in paragraph:
                parent.append(_unit12(segment, next(ids), article))
    return root


def _unit12(segment: DocSegment, ident: str, article: DocArticle) -> etree._Element:
    ns = f"{{{NS12}}}"
    where = f"Segment {ident!r} of {article.title!r}"
    unit = etree.Element(f"{ns}trans-unit", id=ident)
    if segment.kind != "body":
        unit.set("restype", f"x-{segment.kind}")
    if segment.status == "approved":
        unit.set("approved", "yes")
    source_parts, target_parts = _texts(segment, "1.2", where)
    info = segment.meta.get("xliff") or {}
    _fill(etree.SubElement(unit, f"{ns}source"), source_parts, info, "1.2")
    if _needs_preserve(source_parts) or _needs_preserve(target_parts):
        unit.set(XML_SPACE, "preserve")  # 1.2 says xml:space on the unit, not the texts
    if target_parts is not None:
        target = etree.SubElement(unit, f"{ns}target")
        _fill(target, target_parts, info, "1.2")
        state, qualifier = _STATES_12_WRITE.get(segment.status or "", (None, None))
        if state:
            target.set("state", state)
        if qualifier:
            target.set("state-qualifier", qualifier)
    for text in segment.notes:
        etree.SubElement(unit, f"{ns}note").text = xml_text(text)
    for flag in segment.flags:
        note = etree.SubElement(unit, f"{ns}note", annotates="source"
                                if flag.span_in == "source" else "target",
                                priority="1" if flag.severity in ("Major", "Critical") else "5")
        if flag.author:
            note.set("from", xml_text(flag.author))
        note.text = xml_text(flag_note(flag))
    return unit


def _write20(articles: list[DocArticle], options: WriteOptions) -> etree._Element:
    ns = f"{{{NS20}}}"
    source_lang, target_lang = _languages(articles, options)
    root = etree.Element(f"{ns}xliff", version="2.0", srcLang=source_lang, trgLang=target_lang,
                         nsmap={None: NS20})
    written = 0
    for article, paragraphs in _grouped(articles, options):
        if not paragraphs:
            continue  # XLIFF 2.0 files need at least one unit
        written += 1
        file = etree.SubElement(root, f"{ns}file", id=f"f{written}")
        if article.title:
            file.set("original", xml_text(article.title))
        units = [_units_of(paragraph) for paragraph in paragraphs]
        ids = iter(_unit_ids([DocSegment(mt="", external_id=_unit_part(u[0].external_id),
                                         id=u[0].id) for p in units for u in p], _NMTOKEN))
        for index, paragraph in enumerate(units, 1):
            parent = etree.SubElement(file, f"{ns}group", id=f"p{index}") \
                if len(paragraphs) > 1 else file
            for unit_segments in paragraph:
                parent.append(_unit20(unit_segments, next(ids), article))
    if not written:
        raise InputError("Nothing to export: the articles have no segments (residue is left "
                         "out unless asked for).")
    return root


def _unit_part(external_id: str) -> str:
    return external_id.partition("/")[0] if "/" in external_id else external_id


def _units_of(segments: list[DocSegment]) -> list[list[DocSegment]]:
    """Consecutive segments read from one 2.0 unit (ids ``UNIT/SEGMENT``) go back together."""
    units: list[list[DocSegment]] = []
    for segment in segments:
        unit, _, part = segment.external_id.partition("/")
        previous = units[-1][0].external_id.partition("/") if units else ("", "", "")
        if part and previous[2] and previous[0] == unit:
            units[-1].append(segment)
        else:
            units.append([segment])
    return units


def _unit20(segments: list[DocSegment], ident: str, article: DocArticle) -> etree._Element:
    """One ``<unit>``; the notes and flags of all its segments go in its ``<notes>``."""
    ns = f"{{{NS20}}}"
    first = segments[0]
    unit = etree.Element(f"{ns}unit", id=ident)
    if first.kind != "body":
        unit.set("type", f"mtr:{first.kind}")
    notes_text = [text for s in segments for text in s.notes]
    flags = [flag for s in segments for flag in s.flags]
    if notes_text or flags:
        notes = etree.SubElement(unit, f"{ns}notes")
        for text in notes_text:
            etree.SubElement(notes, f"{ns}note").text = xml_text(text)
        for flag in flags:
            note = etree.SubElement(notes, f"{ns}note", category=FLAG_CATEGORY,
                                    appliesTo="source" if flag.span_in == "source"
                                    else "target")
            note.text = xml_text(flag_note(flag))
    info = first.meta.get("xliff") or {}
    if info.get("version") == "2.0" and info.get("original_data"):
        unit.append(parse_xml(info["original_data"].encode("utf-8"), what="Original data"))
    used: set[str] = set()
    for number, segment in enumerate(segments, 1):
        where = f"Segment {segment.external_id or ident!r} of {article.title!r}"
        source_parts, target_parts = _texts(segment, "2.0", where)
        seg = etree.SubElement(unit, f"{ns}segment")
        if len(segments) > 1:
            part = segment.external_id.partition("/")[2]
            seg_id = part if _NMTOKEN.match(part) and part not in used else f"s{number}"
            used.add(seg_id)
            seg.set("id", seg_id)
        state, sub_state = _STATES_20_WRITE.get(segment.status or "", (None, None))
        if state:
            seg.set("state", state)
        if sub_state:
            seg.set("subState", sub_state)
        seg_info = segment.meta.get("xliff") or {}
        for name, parts in (("source", source_parts), ("target", target_parts)):
            if parts is None:
                continue
            element = etree.SubElement(seg, f"{ns}{name}")
            _fill(element, parts, seg_info, "2.0")
            if _needs_preserve(parts):
                element.set(XML_SPACE, "preserve")
    return unit


_STRUCTURE = frozenset({"xliff", "file", "body", "group", "trans-unit", "unit", "segment",
                        "notes", "header", "originalData"})


def _indent(element: etree._Element, level: int = 0) -> None:
    """Indent structural elements only: whitespace inside texts would change them."""
    if local_name(element) not in _STRUCTURE or not len(element):
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in element:
        _indent(child, level + 1)
        child.tail = pad
    element[-1].tail = "\n" + "  " * level
