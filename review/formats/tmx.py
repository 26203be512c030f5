"""TMX 1.4b translation memories: the corrected pairs out, source/target pairs in.

Export writes one ``<tu>`` per segment that has both a source and a target text (the
corrected text where there is one, else the MT as imported; residue only with
``include_residue``), with ``tuid`` = the segment id, ``creationid``/``changeid`` = who last
changed it and ``creationdate``/``changedate`` from its change time in TMX's
``YYYYMMDDThhmmssZ``; reviewers' notes become ``<note>``s and the review status a
``<prop type="x-status">`` so a TM manager can leave out unreviewed MT. Languages come from
the write options, else from the article (``und`` when unknown).

Import reads every ``<tu>`` of the ``<body>`` into one article: the source is the ``<tuv>`` in
the header's ``srclang`` (or ``--source-lang``; with neither, the language of the first
``<tu>``'s first ``<tuv>``), the target the first other ``<tuv>`` (or the one in
``--target-lang``); the article's target language is that of the first ``<tu>`` with a target.
Inline codes (``<bpt>``, ``<ept>``, ``<it>``, ``<ph>``, ``<ut>``) are native formatting, not
text: they are dropped; the text inside ``<hi>`` is kept. The file streams (``iterparse_xml``):
each ``<tu>`` becomes a segment as soon as it ends and is then freed, so a memory of a million
units reads in flat memory; that ``tuid``s are unique is the importer's check (``collect``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import BinaryIO

from lxml import etree

from review.core.errors import InputError
from review.core.vocab import SEGMENT_STATUSES
from review.formats.base import (
    MAX_TABLE_IMPORT_BYTES,
    DocArticle,
    DocSegment,
    ReadOptions,
    SegmentStream,
    WriteOptions,
    collect,
)
from review.formats.filenames import stream_title
from review.formats.rows import export_segments
from review.formats.xmlsafe import iterparse_xml, local_name, release, xml_text

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_DATE = "%Y%m%dT%H%M%SZ"
_CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})
TOOL = "MT Review Workbench"
TOOL_VERSION = "0.1"


class NoPairs(InputError):
    """TMX asked for an article without any source text: an empty memory helps nobody."""


def no_pairs_reason(title: str) -> str:
    return (f"TMX pairs each source sentence with its translation, but "
            f"{title or 'this article'!r} has no source text; export it as text, CSV, JSONL "
            "or XLIFF instead, or import its source first.")


class TmxFormat:
    """The ``tmx`` format (TMX 1.4b)."""

    name = "tmx"
    label = "TMX 1.4b"
    description = "translation memory of the corrected pairs"
    extensions: tuple[str, ...] = (".tmx",)
    can_read = True
    can_write = True
    mime = "application/x-tmx+xml"

    def stream(self, stream: BinaryIO, options: ReadOptions) -> SegmentStream:
        """The segments one by one, each as soon as its ``<tu>`` ends (see the module notes)."""
        what = options.origin or "The TMX file"
        events = iterparse_xml(stream, what=what, kind="TMX", tags=("header", "body", "tu"),
                               events=("end",), limit=MAX_TABLE_IMPORT_BYTES)
        _, root = next(events)
        if local_name(root) != "tmx":
            raise InputError(
                f"{what} is not TMX: its root element is <{local_name(root)}>, not <tmx>; "
                "pick the right file or format."
            )
        source_lang = options.source_lang or ""
        article = DocArticle(title=options.title or stream_title(stream), origin=options.origin,
                             source_lang=source_lang, target_lang=options.target_lang or "en")
        header_read = body_read = target_read = False
        count = 0
        for _, element in events:
            name = local_name(element)
            if name == "tu" and not body_read and _in_body(element):
                segment, source_lang, target_lang = _read_tu(element, source_lang, options,
                                                             what)
                release(element, what)
                article.source_lang = source_lang
                if target_lang and not target_read and not options.target_lang:
                    article.target_lang, target_read = target_lang, True
                segment.position, count = count, count + 1
                yield article, segment
                continue
            on_top = _on_top(element)
            if name == "header" and on_top and not header_read and not count:
                header_read = True
                header_lang = element.get("srclang", "").strip()
                if not source_lang and header_lang != "*all*":
                    source_lang = article.source_lang = header_lang
            elif name == "body" and on_top:
                body_read = True
            if on_top or not _inside_tu(element):
                release(element, what)
        if not body_read:
            raise InputError(f"{what} has no <body>; it holds no translation units.")
        if not count:
            raise InputError(f"{what} holds no translation units (<tu>); nothing to import.")

    def read(self, stream: BinaryIO, options: ReadOptions) -> Iterator[DocArticle]:
        """The whole file as one article (small files, tests); ``tuid``s must be unique."""
        yield from collect(self.stream(stream, options))

    def write(self, articles: list[DocArticle], stream: BinaryIO, options: WriteOptions) -> None:
        first = articles[0] if articles else DocArticle(title="")
        header_lang = options.source_lang or first.source_lang or "und"
        if any((a.source_lang or header_lang) != header_lang for a in articles):
            header_lang = "*all*"
        root = etree.Element("tmx", version="1.4")
        etree.SubElement(root, "header", creationtool=TOOL, creationtoolversion=TOOL_VERSION,
                         segtype="sentence", adminlang="en", srclang=header_lang,
                         datatype="plaintext", **{"o-tmf": "mt-review"})
        body = etree.SubElement(root, "body")
        for number, (article, segment) in enumerate(export_segments(articles, options), 1):
            target = segment.corrected if segment.corrected is not None else segment.mt
            if not segment.source or not target:
                continue
            source_lang = options.source_lang or article.source_lang or "und"
            target_lang = options.target_lang or article.target_lang or "und"
            body.append(_tu(segment, target, source_lang, target_lang, number))
        if not len(body):
            raise NoPairs(no_pairs_reason(first.title))
        stream.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    pretty_print=True))


def _on_top(element: etree._Element) -> bool:
    """Whether ``element`` is a child of the root (its parent has no parent)."""
    parent = element.getparent()
    return parent is not None and parent.getparent() is None


def _in_body(tu: etree._Element) -> bool:
    """Whether ``tu`` is a child of a ``<body>`` that is a child of the root."""
    body = tu.getparent()
    return local_name(body) == "body" and _on_top(body)


def _inside_tu(element: etree._Element) -> bool:
    return any(local_name(a) == "tu" for a in element.iterancestors())


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in element if local_name(c) == name), None)


def _lang(tuv: etree._Element) -> str:
    return (tuv.get(XML_LANG) or tuv.get("lang") or "").strip()


def _matches(lang: str, wanted: str) -> bool:
    lang, wanted = lang.lower(), wanted.lower()
    return lang == wanted or lang.split("-")[0] == wanted.split("-")[0]


def _read_tu(tu: etree._Element, source_lang: str, options: ReadOptions, what: str
             ) -> tuple[DocSegment, str, str]:
    kids = [(local_name(child), child) for child in tu]  # one pass over the unit
    tuvs = [(tuv, _lang(tuv)) for name, tuv in kids if name == "tuv"]
    if not tuvs:
        raise InputError(f"{what}, line {tu.sourceline}: a <tu> without any <tuv>.")
    for tuv, lang in tuvs:
        if not lang:
            raise InputError(f"{what}, line {tuv.sourceline}: a <tuv> without xml:lang.")
    if not source_lang:
        source_lang = tuvs[0][1]
    source = next(((t, lang) for t, lang in tuvs if _matches(lang, source_lang)), None)
    if source is None:
        raise InputError(
            f"{what}, line {tu.sourceline}: no <tuv> in the source language {source_lang!r}; "
            "pass --source-lang with one of the languages the file holds."
        )
    others = [(t, lang) for t, lang in tuvs if t is not source[0]]
    if options.target_lang:
        others = [(t, lang) for t, lang in others if _matches(lang, options.target_lang)]
    target = others[0] if others else None
    segment = DocSegment(
        mt=_seg_text(target[0]) if target else "",
        source=_seg_text(source[0]),
        external_id=(tu.get("tuid") or "").strip(),
        notes=[n.text or "" for name, n in kids if name == "note"],
        changed_by=tu.get("changeid") or tu.get("creationid") or "",
        changed_at=_iso_date(tu.get("changedate") or tu.get("creationdate") or ""),
    )
    for name, prop in kids:
        if name == "prop" and prop.get("type") == "x-status":
            status = (prop.text or "").strip().lower()
            segment.status = status if status in SEGMENT_STATUSES else None
    if not segment.source and not segment.mt:
        raise InputError(f"{what}, line {tu.sourceline}: a <tu> with no text in any <tuv>.")
    return segment, source_lang, (target[1] if target else "")


def _seg_text(tuv: etree._Element) -> str:
    seg = _child(tuv, "seg")
    return "" if seg is None else _text(seg)


def _text(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        name = local_name(child)
        if name and name not in _CODES:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _tu(segment: DocSegment, target: str, source_lang: str, target_lang: str,
        number: int) -> etree._Element:
    attrs = {"tuid": segment.external_id or str(segment.id or number)}
    date = _tmx_date(segment.changed_at)
    if segment.changed_by:
        attrs["creationid"] = attrs["changeid"] = xml_text(segment.changed_by)
    if date:
        attrs["creationdate"] = attrs["changedate"] = date
    tu = etree.Element("tu", {k: xml_text(v) for k, v in attrs.items()})
    if segment.status:
        etree.SubElement(tu, "prop", type="x-status").text = segment.status
    for note in segment.notes:
        etree.SubElement(tu, "note").text = xml_text(note)
    for lang, text in ((source_lang, segment.source), (target_lang, target)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        etree.SubElement(tuv, "seg").text = xml_text(text)
    return tu


def _tmx_date(iso: str) -> str:
    """``2026-11-29T21:35:00+00:00`` -> ``20261129T213500Z``; ``""`` if not a date."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(TMX_DATE)


def _iso_date(tmx_date: str) -> str:
    if not tmx_date:
        return ""
    try:
        return datetime.strptime(tmx_date, TMX_DATE).replace(tzinfo=UTC).isoformat()
    except ValueError:
        return ""


FORMAT = TmxFormat()
