"""XLIFF 1.2 and 2.0: bilingual files from CAT tools, read either way, written either way.

Reading detects the version from the namespace (1.0/1.1 files read like 1.2). One article per
``<file>`` (title = its ``original`` attribute); one segment per 1.2 ``<trans-unit>`` or 2.0
``<segment>`` (id ``UNIT/SEGMENT`` when a unit has several; export puts them back in one unit,
whose notes, a unit-level thing in 2.0, come back on its first segment), with its notes, its
state mapped to a review status, its kind from a ``restype`` of ``x-KIND`` (1.2) or a ``type``
of ``mtr:KIND`` (2.0), and paragraphs from ``<group>``s.

Inline tags (1.2 ``g x bx ex ph bpt ept it mrk``; 2.0 ``pc ph sc ec sm em mrk cp``) become
visible placeholders in the review text: ``{1}…{/1}`` for a tag around text, ``{2/}`` for a
standalone code, numbered in order of appearance in the source, the same number in source and
target for the same tag id. The tags themselves are kept in ``DocSegment.meta["xliff"]`` and
written back on export. Should a segment's own text contain something that reads as a
placeholder, that segment uses ``⟦1⟧…⟦/1⟧`` instead.

Export writes the corrected text (else the MT) as the target. A corrected text must keep its
placeholders balanced and carry the same ones as the source (or as the imported target);
otherwise export stops with a message naming the segment. Exporting to the other XLIFF
version keeps tag positions and ids but not tool-specific codes. Statuses become states —
1.2: fixed ``translated``, approved ``final``, flagged ``needs-review-translation``, to do
``needs-review-translation`` with ``state-qualifier="mt-suggestion"``; 2.0: to do ``initial``,
flagged ``translated`` (``subState="mtr:flagged"``), fixed ``reviewed``, approved ``final``.
Each flag becomes a ``<note>`` reading ``MQM flag: {json}`` (in 2.0 also
``category="mqm-flag"``), which this reader turns back into the flag: exact offsets survive,
which ITS ``<mrk>`` markup cannot promise for overlapping spans of several reviewers, so none
is written. Characters XML cannot hold are dropped (``xmlsafe.xml_text``).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from review.errors import InputError
from review.formats.base import (
    MAX_IMPORT_BYTES,
    DocArticle,
    DocFlag,
    DocSegment,
    ReadOptions,
    WriteOptions,
)
from review.formats.filenames import stream_title
from review.formats.rows import export_segments
from review.formats.streams import read_limited
from review.formats.xmlsafe import local_name, namespace, parse_xml, xml_text
from review.vocab import SEGMENT_KINDS

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
_OLD_NAMESPACES = ("urn:oasis:names:tc:xliff:document:1.1", "urn:oasis:names:tc:xliff:document:1.0")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FLAG_PREFIX = "MQM flag: "
FLAG_CATEGORY = "mqm-flag"
_PAIRED = {"1.2": frozenset({"g", "mrk"}), "2.0": frozenset({"pc", "mrk"})}
_BRACES = ("{}", "⟦⟧")
_FLAG_FIELDS = {f.name for f in dataclasses.fields(DocFlag)}
_NMTOKEN = re.compile(r"^[\w.:-]+$")

_STATES_12_READ = {
    "final": "approved", "signed-off": "approved", "translated": "fixed",
    "needs-review-translation": "flagged", "needs-review-adaptation": "flagged",
    "needs-review-l10n": "flagged", "new": "todo", "needs-translation": "todo",
    "needs-adaptation": "todo", "needs-l10n": "todo",
}
_MT_QUALIFIERS = frozenset({"mt-suggestion", "leveraged-mt"})
_STATES_12_WRITE = {"approved": ("final", None), "fixed": ("translated", None),
                    "flagged": ("needs-review-translation", None),
                    "todo": ("needs-review-translation", "mt-suggestion")}
_STATES_20_READ = {"initial": "todo", "translated": "todo", "reviewed": "fixed",
                   "final": "approved"}
_STATES_20_WRITE = {"todo": ("initial", None), "flagged": ("translated", "mtr:flagged"),
                    "fixed": ("reviewed", None), "approved": ("final", None)}


# --- placeholders ---------------------------------------------------------------------------

def _token_pattern(brace: str) -> re.Pattern[str]:
    left, right = re.escape(brace[0]), re.escape(brace[1])
    return re.compile(f"{left}(/?)([0-9]+)(/?){right}")


_TOKENS = {brace: _token_pattern(brace) for brace in _BRACES}


@dataclasses.dataclass
class _Inline:
    """The inline content of one ``<source>``/``<target>`` while it is being read."""

    version: str
    numbers: dict[str, str]
    tags: dict[str, dict]
    parts: list = dataclasses.field(default_factory=list)
    used: set[str] = dataclasses.field(default_factory=set)

    def walk(self, element: etree._Element) -> None:
        if element.text:
            self.parts.append(element.text)
        counts: dict[str, int] = {}
        for child in element:
            name = local_name(child)
            if name:
                ident = child.get("id") or child.get("mid") or ""
                counts[name] = counts.get(name, 0) + 1
                key = f"{name}#{ident}" if ident else f"{name}@{counts[name]}"
                while key in self.used:
                    key += "+"
                self.used.add(key)
                number = self.numbers.setdefault(key, str(len(self.numbers) + 1))
                if name in _PAIRED[self.version] and namespace(child) == namespace(element):
                    self.tags.setdefault(number, {"kind": "pair", "tag": child.tag,
                                                  "attrib": dict(child.attrib)})
                    self.parts.append(("open", number))
                    self.walk(child)
                    self.parts.append(("close", number))
                else:
                    xml = etree.tostring(child, with_tail=False, encoding="unicode")
                    self.tags.setdefault(number, {"kind": "single", "tag": child.tag,
                                                  "attrib": dict(child.attrib), "xml": xml})
                    self.parts.append(("single", number))
            if child.tail:
                self.parts.append(child.tail)

    def plain(self) -> str:
        return "".join(p for p in self.parts if isinstance(p, str))

    def render(self, brace: str) -> str:
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            else:
                kind, number = part
                inner = {"open": number, "close": f"/{number}", "single": f"{number}/"}[kind]
                out.append(f"{brace[0]}{inner}{brace[1]}")
        return "".join(out)

    def numbers_used(self) -> list[str]:
        return [p[1] for p in self.parts if isinstance(p, tuple) and p[0] != "close"]


def _choose_brace(*contents: _Inline, where: str) -> str:
    for brace in _BRACES:
        if not any(_TOKENS[brace].search(c.plain()) for c in contents):
            return brace
    raise InputError(
        f"{where}: the text contains both {{1}}-style and ⟦1⟧-style markers, so inline tags "
        "cannot be shown unambiguously; simplify that segment in the source tool."
    )


def _tokens(text: str, info: dict, where: str) -> list:
    """``text`` split into strings and ``(kind, number)`` tags, checked for balance."""
    tags = info["tags"]
    pattern = _TOKENS[info.get("brace", "{}")]
    parts: list = []
    stack: list[str] = []
    seen: set[str] = set()
    position = 0
    for match in pattern.finditer(text):
        slash_before, number, slash_after = match.groups()
        if number not in tags:
            continue  # not one of this segment's tags: ordinary text
        kind = "close" if slash_before else "single" if slash_after else "open"
        expected = tags[number]["kind"]
        token = match.group(0)
        if (kind == "single") != (expected == "single"):
            raise InputError(f"{where}: {token} has the wrong form for tag {number}; "
                             "write it as in the source.")
        if kind == "close":
            if not stack or stack[-1] != number:
                raise InputError(f"{where}: {token} closes a tag that is not open there; "
                                 "keep the tags nested as in the source.")
            stack.pop()
        else:
            if number in seen:
                raise InputError(f"{where}: tag {number} appears twice; keep each tag once.")
            seen.add(number)
            if kind == "open":
                stack.append(number)
        parts.append(text[position:match.start()])
        parts.append((kind, number))
        position = match.end()
    parts.append(text[position:])
    if stack:
        brace = info.get("brace", "{}")
        raise InputError(f"{where}: tag {stack[-1]} is opened but never closed; add "
                         f"{brace[0]}/{stack[-1]}{brace[1]}.")
    return parts


def _check_same_tags(parts: list, info: dict, where: str) -> None:
    used = {p[1] for p in parts if isinstance(p, tuple) and p[0] != "close"}
    allowed = [set(info.get("source_tags", [])), set(info.get("target_tags", []))]
    if used in allowed:
        return
    missing = sorted(allowed[0] - used, key=int)
    extra = sorted(used - allowed[0], key=int)
    details = []
    if missing:
        details.append("lost " + ", ".join(_shown(info, n) for n in missing))
    if extra:
        details.append("added " + ", ".join(_shown(info, n) for n in extra))
    raise InputError(f"{where}: the corrected text {' and '.join(details)} compared with the "
                     "source; put the tags back as in the source and export again.")


def _shown(info: dict, number: str) -> str:
    left, right = info.get("brace", "{}")
    if info["tags"][number]["kind"] == "single":
        return f"{left}{number}/{right}"
    return f"{left}{number}{right}…{left}/{number}{right}"


def _fill(element: etree._Element, parts: list, info: dict, version: str) -> None:
    """Append text and inline tags to ``element`` (a ``<source>`` or ``<target>``)."""
    stack = [element]
    last: etree._Element | None = None
    for part in parts:
        current = stack[-1]
        if isinstance(part, str):
            text = xml_text(part)
            if not text:
                continue
            if last is not None and last.getparent() is current:
                last.tail = (last.tail or "") + text
            else:
                current.text = (current.text or "") + text
            continue
        kind, number = part
        if kind == "close":
            last = stack.pop()
            continue
        child = _inline_element(info, number, version)
        current.append(child)
        last = child
        if kind == "open":
            stack.append(child)
            last = None


def _inline_element(info: dict, number: str, version: str) -> etree._Element:
    """The XML element of placeholder ``number``: as read, or mapped to the other version."""
    tag = info["tags"][number]
    if info.get("version") == version:
        if tag["kind"] == "single":
            return parse_xml(tag["xml"].encode("utf-8"), what="An inline tag")
        return etree.Element(tag["tag"], tag["attrib"])
    ns = NS12 if version == "1.2" else NS20
    name = tag["tag"].rsplit("}", 1)[-1]
    ident = _converted_id(info, number)
    if tag["kind"] == "pair":
        if name == "mrk":
            if version == "1.2":
                return etree.Element(f"{{{ns}}}mrk", mtype="x-mrk", mid=ident)
            return etree.Element(f"{{{ns}}}mrk", id=ident)
        return etree.Element(f"{{{ns}}}{'g' if version == '1.2' else 'pc'}", id=ident)
    return etree.Element(f"{{{ns}}}{'x' if version == '1.2' else 'ph'}", id=ident)


def _converted_id(info: dict, number: str) -> str:
    """A tag's id for the other XLIFF version: its own if unique and valid, else ``tN``."""
    def own(tag: dict) -> str:
        return tag["attrib"].get("id") or tag["attrib"].get("mid") or ""

    mine = own(info["tags"][number])
    clashes = sum(1 for tag in info["tags"].values() if own(tag) == mine)
    return mine if mine and clashes == 1 and _NMTOKEN.match(mine) else f"t{number}"


# --- reading --------------------------------------------------------------------------------

class XliffFormat:
    """XLIFF, reading 1.x and 2.0, writing ``version``."""

    extensions: tuple[str, ...] = (".xlf", ".xliff")
    can_read = True
    can_write = True
    mime = "application/xliff+xml"

    def __init__(self, name: str, version: str) -> None:
        self.name = name
        self.version = version

    def read(self, stream: BinaryIO, options: ReadOptions) -> Iterator[DocArticle]:
        what = options.origin or "The XLIFF file"
        root = parse_xml(read_limited(stream, MAX_IMPORT_BYTES, what), what=what, kind="XLIFF")
        version = _version(root, what)
        files = [f for f in root if local_name(f) == "file"]
        if not files:
            raise InputError(f"{what} has no <file> element; it holds nothing to import.")
        default_title = options.title or stream_title(stream)
        articles = []
        for number, file in enumerate(files, 1):
            title = file.get("original") or (default_title if len(files) == 1
                                             else f"{default_title} ({number})")
            if options.title and len(files) == 1:
                title = options.title
            if version == "1.2":
                article = _read_file12(file, title, options, what)
            else:
                article = _read_file20(file, root, title, options, what)
            article.origin = options.origin
            articles.append(article)
        if not any(a.segments for a in articles):
            raise InputError(f"{what} holds no translation units; nothing to import.")
        yield from articles

    def write(self, articles: list[DocArticle], stream: BinaryIO, options: WriteOptions) -> None:
        root = _write12(articles, options) if self.version == "1.2" else _write20(articles,
                                                                                    options)
        _indent(root)
        stream.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
        stream.write(b"\n")


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
        data = json.loads(text[len(FLAG_PREFIX):])
    except json.JSONDecodeError:
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


# --- writing --------------------------------------------------------------------------------

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


def _flag_note(flag: DocFlag) -> str:
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
        note.text = xml_text(_flag_note(flag))
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
            note.text = xml_text(_flag_note(flag))
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
        _fill(etree.SubElement(seg, f"{ns}source"), source_parts, seg_info, "2.0")
        if target_parts is not None:
            _fill(etree.SubElement(seg, f"{ns}target"), target_parts, seg_info, "2.0")
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


XLIFF12_FORMAT = XliffFormat("xliff", "1.2")
XLIFF20_FORMAT = XliffFormat("xliff2", "2.0")
FORMAT = XLIFF12_FORMAT
