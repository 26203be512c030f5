"""TMX 1.4b translation memories: the corrected pairs out, source/target pairs in.

Export writes one ``<tu>`` per segment that has both a source and a target text (the
corrected text where there is one, else the MT as imported; residue only with
``include_residue``), or, for an article imported from TMX, one per unit it came from
(``review.formats.tmx_units``), with ``tuid`` = the segment id, ``creationid``/``changeid``
= who last changed it and ``creationdate``/``changedate`` from its change time in TMX's
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import BinaryIO

from lxml import etree

from review.core.errors import InputError
from review.core.vocab import SEGMENT_STATUSES
from review.formats.base import (
    MAX_TABLE_IMPORT_BYTES,
    NOTHING_TO_REVIEW,
    WARNINGS_KEY,
    DocArticle,
    DocSegment,
    ReadOptions,
    SegmentStream,
    WriteOptions,
    collect,
)
from review.formats.filenames import stream_title
from review.formats.tmx_units import kept_dates, memory_units, unit_dates
from review.formats.xliff.inline import (
    TagBudget,
    _check_same_tags,
    _choose_brace,
    _fill,
    _Inline,
    _tokens,
)
from review.formats.xliff.reader import parse_flag
from review.formats.xmlsafe import iterparse_xml, local_name, release, xml_text

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_DATE = "%Y%m%dT%H%M%SZ"
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
        pair = _Pair(options.target_lang or "")
        header_read = body_read = False
        count = 0
        for _, element in events:
            name = local_name(element)
            if name == "tu" and not body_read and _in_body(element):
                segment, source_lang = _read_tu(element, source_lang, pair, count, what)
                release(element, what)
                article.source_lang = source_lang
                if pair.target and not options.target_lang:
                    article.target_lang = pair.target
                article.meta["tmx"] = {"source": source_lang, "target": pair.target}
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
            raise InputError(f"{what} has no <body>, so no translation unit: "
                             f"{NOTHING_TO_REVIEW}")
        if not count:
            raise InputError(f"{what} holds no translation unit (<tu>): {NOTHING_TO_REVIEW}")
        others = sorted(pair.others - {source_lang.lower(), pair.target.lower()})
        if others:
            article.meta[WARNINGS_KEY] = [
                f"the memory also holds {', '.join(others)}: reviewing {source_lang} -> "
                f"{pair.target or '?'} (pass --source-lang/--target-lang to review another "
                "pair); the other languages are kept in exports into the original file"]

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
        for number, (article, segment, target) in enumerate(memory_units(articles, options),
                                                            1):
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


@dataclass
class _Pair:
    """The target language of the pair under review: asked for, else the first language
    other than the source that a ``<tu>`` holds; and every language seen."""

    target: str
    others: set[str] = field(default_factory=set)


def pick_tuvs(tuvs: list[tuple[etree._Element, str]], source_lang: str, target_lang: str
              ) -> tuple[tuple | None, tuple | None]:
    """The source and target ``<tuv>`` (with its language) of a unit: an exact language
    match first, else one of the same base language."""
    def find(wanted: str, exclude: object = None) -> tuple | None:
        if not wanted:
            return None
        candidates = [t for t in tuvs if t[0] is not exclude]
        return (next((t for t in candidates if t[1].lower() == wanted.lower()), None)
                or next((t for t in candidates if _matches(t[1], wanted)), None))

    source = find(source_lang)
    target = find(target_lang, source[0] if source else None)
    return source, target


def tuvs_of(tu: etree._Element) -> list[tuple[etree._Element, str]]:
    return [(tuv, _lang(tuv)) for tuv in tu if local_name(tuv) == "tuv"]


def _read_tu(tu: etree._Element, source_lang: str, pair: _Pair, number: int, what: str
             ) -> tuple[DocSegment, str]:
    tuvs = tuvs_of(tu)
    if not tuvs:
        raise InputError(f"{what}, line {tu.sourceline}: a <tu> without any <tuv>.")
    for tuv, lang in tuvs:
        if not lang:
            raise InputError(f"{what}, line {tuv.sourceline}: a <tuv> without xml:lang.")
    if not source_lang:
        source_lang = tuvs[0][1]
    if not pair.target:  # another base language first (en-GB next to en-US only if alone)
        pair.target = next((lang for _, lang in tuvs if not _matches(lang, source_lang)),
                           next((lang for _, lang in tuvs
                                 if lang.lower() != source_lang.lower()), ""))
    pair.others.update(lang.lower() for _, lang in tuvs)
    source, target = pick_tuvs(tuvs, source_lang, pair.target)
    if source is None:
        raise InputError(
            f"{what}, line {tu.sourceline}: no <tuv> in the source language {source_lang!r}; "
            "pass --source-lang with one of the languages the file holds."
        )
    where = f"{what}, line {tu.sourceline}"
    notes = [n for n in tu if local_name(n) == "note"]
    source_text, target_text, info = read_segs(source[0], target[0] if target else None, where)
    segment = DocSegment(
        mt=target_text,
        source=source_text,
        external_id=(tu.get("tuid") or "").strip(),
        notes=[n.text or "" for n in notes if parse_flag(n.text or "") is None],
        flags=[f for f in (parse_flag(n.text or "") for n in notes) if f is not None],
        changed_by=tu.get("changeid") or tu.get("creationid") or "",
        changed_at=_iso_date(tu.get("changedate") or tu.get("creationdate") or ""),
        meta={"tmx": {**info, "loc": number, "dates": unit_dates(tu)}},
    )
    segment.status = tu_status(tu)
    if not segment.source and not segment.mt:
        raise InputError(f"{what}, line {tu.sourceline}: a <tu> with no text in any <tuv>.")
    return segment, source_lang


def tu_status(tu: etree._Element) -> str | None:
    """The review status a ``<prop type="x-status">`` gives, if any."""
    for prop in tu:
        if local_name(prop) == "prop" and prop.get("type") == "x-status":
            status = (prop.text or "").strip().lower()
            return status if status in SEGMENT_STATUSES else None
    return None


def read_segs(source: etree._Element, target: etree._Element | None, where: str,
              elements: tuple[dict, dict] | None = None) -> tuple[str, str, dict]:
    """The texts of a source and a target ``<tuv>``, inline codes as markers (as XLIFF)."""
    numbers: dict[tuple, str] = {}
    tags: dict[str, dict] = {}
    budget = TagBudget()
    sides = []
    for number, tuv in enumerate((source, target)):
        inline = _Inline("tmx", numbers, tags, budget, where,
                         elements[number] if elements else None)
        seg = _child(tuv, "seg") if tuv is not None else None
        if seg is not None:
            inline.walk(seg)
        sides.append(inline)
    if not tags:
        return sides[0].plain(), sides[1].plain(), {}
    brace = _choose_brace(*sides, where=where)
    info = {"version": "tmx", "brace": brace, "tags": tags,
            "source_tags": sides[0].numbers_used(), "target_tags": sides[1].numbers_used()}
    return sides[0].render(brace), sides[1].render(brace), info


def _tu(segment: DocSegment, target: str, source_lang: str, target_lang: str,
        number: int) -> etree._Element:
    attrs = {"tuid": segment.external_id or str(segment.id or number)}
    date = _tmx_date(segment.changed_at)
    if segment.changed_by:
        attrs["creationid"] = attrs["changeid"] = xml_text(segment.changed_by)
    if date:
        attrs["creationdate"] = attrs["changedate"] = date
    attrs = kept_dates(segment, attrs)
    tu = etree.Element("tu", {k: xml_text(v) for k, v in attrs.items()})
    if segment.status:
        etree.SubElement(tu, "prop", type="x-status").text = segment.status
    for note in segment.notes:
        etree.SubElement(tu, "note").text = xml_text(note)
    info = _tag_info(segment)
    where = f"Segment {attrs['tuid']!r}"
    for side, lang, text in (("source", source_lang, segment.source),
                             ("target", target_lang, target)):
        if side == "target" and not target:
            continue  # a unit of the memory without a translation: its source alone
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        seg = etree.SubElement(tuv, "seg")
        if not info:
            seg.text = xml_text(text)
            continue
        parts = _tokens(text, info, f"{where} ({side})")
        if side == "target" and segment.corrected is not None:
            _check_same_tags(parts, info, where)
        _fill(seg, parts, info, "tmx")
    return tu


def _tag_info(segment: DocSegment) -> dict | None:
    """The inline tags a segment's texts show as markers (read from TMX or XLIFF)."""
    meta = segment.meta if isinstance(segment.meta, dict) else {}
    for key in ("tmx", "xliff"):
        info = meta.get(key)
        if isinstance(info, dict) and info.get("tags"):
            return info
    return None


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
