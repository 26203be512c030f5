"""Inline tags <-> visible placeholders (``{1}…{/1}``, ``{2/}``, or ``⟦1⟧`` when the
text itself holds braces): a reviewer edits plain text, and export puts the very tags back.

Shared by XLIFF 1.2, XLIFF 2.0 and TMX (``version`` ``"1.2"``, ``"2.0"``, ``"tmx"``): a
tag around text (1.2 ``g mrk``, 2.0 ``pc mrk``, TMX ``hi``) becomes ``{n}…{/n}``, every
other code (1.2 ``x bx ex ph bpt ept it``, 2.0 ``ph sc ec sm em cp``, TMX ``bpt ept it ph
ut``) a standalone ``{n/}`` that stands for the whole element, its content included.

Reading is linear in the number of tags, and stops as soon as the shown text passes the
segment length limit (``review.core.limits``): a segment of 50,000 tags is refused after reading
about 2,000 of them. What a segment keeps of its tags in ``DocSegment.meta`` is bounded
(``MAX_TAG_CHARS`` per tag, ``MAX_SEGMENT_TAG_CHARS`` per segment): a tag whose attributes
or content are bigger is kept by name and id only, and the import says so. The file itself,
when the import keeps it (``review.formats.originals``), still has the whole tag, and an
export into that file copies it from there.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections import Counter

from lxml import etree

from review.core import limits
from review.core.errors import InputError
from review.formats.xliff.names import _NMTOKEN, NS12, NS20
from review.formats.xmlsafe import local_name, namespace, parse_xml, xml_text

_PAIRED = {"1.2": frozenset({"g", "mrk"}), "2.0": frozenset({"pc", "mrk"}),
           "tmx": frozenset({"hi"})}
_BRACES = ("{}", "⟦⟧")

MAX_TAG_CHARS = 1_000
"""Characters of one tag's attributes (and, for a standalone code, its XML) kept in the
segment's metadata; a bigger tag is kept by its name and id."""

MAX_SEGMENT_TAG_CHARS = 16_000
"""...and of all the tags of one segment together."""


def _token_pattern(brace: str) -> re.Pattern[str]:
    left, right = re.escape(brace[0]), re.escape(brace[1])
    return re.compile(f"{left}(/?)([0-9]+)(/?){right}")


_TOKENS = {brace: _token_pattern(brace) for brace in _BRACES}


@dataclasses.dataclass
class TagBudget:
    """What one segment may still keep of its tags' data, and how many tags were cut."""

    left: int = MAX_SEGMENT_TAG_CHARS
    cut: int = 0


class SegmentTooLong(InputError):
    """The shown text of a segment (its inline tags as markers) passed the length limit."""


@dataclasses.dataclass
class _Inline:
    """The inline content of one ``<source>``/``<target>`` (or ``<seg>``) being read.

    ``numbers`` and ``tags`` are shared by the source and the target of a segment, so the
    same tag gets the same number on both sides; ``elements`` (when given) collects the
    element of each number, for an export that copies tags from the original file.
    """

    version: str
    numbers: dict[tuple, str]
    tags: dict[str, dict]
    budget: TagBudget = dataclasses.field(default_factory=TagBudget)
    where: str = "A segment"
    elements: dict[str, etree._Element] | None = None
    parts: list = dataclasses.field(default_factory=list)
    seen: Counter = dataclasses.field(default_factory=Counter)
    shown: int = 0

    def walk(self, element: etree._Element) -> None:
        if element.text:
            self._text(element.text)
        for child in element:
            name = local_name(child)
            if name:
                number = self._number(name, child)
                paired = (name in _PAIRED[self.version]
                          and namespace(child) == namespace(element))
                if self.elements is not None:
                    self.elements.setdefault(number, child)
                if number not in self.tags:
                    self.tags[number] = self._data(child, paired)
                if paired:
                    self._part(("open", number))
                    self.walk(child)
                    self._part(("close", number))
                else:
                    self._part(("single", number))
            if child.tail:
                self._text(child.tail)

    def _number(self, name: str, child: etree._Element) -> str:
        """The tag's number: the n-th tag of one name and id is the same tag on both sides
        (a counter per key, so thousands of tags sharing an id cost no more than others)."""
        ident = (child.get("id") or child.get("mid") or child.get("i") or child.get("x")
                 or "")
        base = (name, ident)
        occurrence = self.seen[base]
        self.seen[base] = occurrence + 1
        return self.numbers.setdefault((*base, occurrence), str(len(self.numbers) + 1))

    def _data(self, child: etree._Element, paired: bool) -> dict:
        """What the segment's metadata keeps of a tag: bounded (see the module notes)."""
        data: dict = {"kind": "pair" if paired else "single", "tag": child.tag}
        size = sum(len(k) + len(v) for k, v in child.attrib.items())
        xml = None
        if size <= min(MAX_TAG_CHARS, self.budget.left) and not paired:
            xml = etree.tostring(child, with_tail=False, encoding="unicode")
            size = max(size, len(xml))
        if size <= min(MAX_TAG_CHARS, self.budget.left):
            self.budget.left -= size
            data["attrib"] = dict(child.attrib)
            if xml is not None:
                data["xml"] = xml
            return data
        self.budget.cut += 1
        ident = next((child.get(k) for k in ("id", "mid", "i", "x")
                      if child.get(k) and len(child.get(k)) <= 200), None)
        key = next((k for k in ("id", "mid", "i", "x") if child.get(k) == ident), None)
        data["attrib"] = {key: ident} if key else {}
        data["cut"] = True
        return data

    def _text(self, text: str) -> None:
        self._part(text)

    def _part(self, part: str | tuple) -> None:
        if isinstance(part, str):
            self.shown += len(part)
        else:
            self.shown += len(part[1]) + 3
        if self.shown > limits.MAX_SEGMENT_CHARS:
            raise SegmentTooLong(
                f"{self.where}: a segment of more than {limits.MAX_SEGMENT_CHARS:,} "
                "characters (its inline tags counted as the markers that show them) is "
                f"longer than the limit; {limits.ADVICE}.")
        self.parts.append(part)

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


def _fill(element: etree._Element, parts: list, info: dict, version: str,
          templates: dict[str, etree._Element] | None = None) -> None:
    """Append text and inline tags to ``element`` (a ``<source>``, ``<target>``, ``<seg>``).

    With ``templates`` (number -> element of the original file) each tag is a copy of the
    original element; otherwise it is rebuilt from the segment's metadata.
    """
    stack = [element]
    last: etree._Element | None = None
    counts: Counter | None = None
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
        if templates is not None and number in templates:
            template = templates[number]
            if kind == "open":
                child = etree.SubElement(current, template.tag, dict(template.attrib))
            else:
                child = copy.deepcopy(template)
                child.tail = None
                current.append(child)
        else:
            if counts is None:  # counted once per text: linear in its tags
                counts = Counter(_own_id(tag) for tag in info["tags"].values())
            child = _inline_element(info, number, version, counts)
            current.append(child)
        last = child
        if kind == "open":
            stack.append(child)
            last = None


def _inline_element(info: dict, number: str, version: str,
                    counts: Counter) -> etree._Element:
    """The XML element of placeholder ``number``: as read, or mapped to the other version."""
    tag = info["tags"][number]
    if info.get("version") == version:
        if tag["kind"] == "single" and tag.get("xml"):
            return parse_xml(tag["xml"].encode("utf-8"), what="An inline tag")
        return etree.Element(tag["tag"], tag.get("attrib") or {})
    if version == "tmx":
        return etree.Element("hi" if tag["kind"] == "pair" else "ph")
    ns = NS12 if version == "1.2" else NS20
    name = tag["tag"].rsplit("}", 1)[-1]
    ident = _converted_id(info, number, counts)
    if tag["kind"] == "pair":
        if name == "mrk":
            if version == "1.2":
                return etree.Element(f"{{{ns}}}mrk", mtype="x-mrk", mid=ident)
            return etree.Element(f"{{{ns}}}mrk", id=ident)
        return etree.Element(f"{{{ns}}}{'g' if version == '1.2' else 'pc'}", id=ident)
    return etree.Element(f"{{{ns}}}{'x' if version == '1.2' else 'ph'}", id=ident)


def _own_id(tag: dict) -> str:
    attrib = tag.get("attrib") or {}
    return attrib.get("id") or attrib.get("mid") or ""


def _converted_id(info: dict, number: str, counts: Counter) -> str:
    """A tag's id for the other XLIFF version: its own if unique and valid, else ``tN``
    (``counts``: how many of the segment's tags carry each id)."""
    mine = _own_id(info["tags"][number])
    return mine if mine and counts[mine] == 1 and _NMTOKEN.match(mine) else f"t{number}"
