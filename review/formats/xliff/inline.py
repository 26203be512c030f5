"""Inline tags <-> visible placeholders (``{1}…{/1}``, ``{2/}``, or ``⟦1⟧`` when the
text itself holds braces): a reviewer edits plain text, and export puts the very tags back.
"""

from __future__ import annotations

import dataclasses
import re

from lxml import etree

from review.core.errors import InputError
from review.formats.xliff.names import _NMTOKEN, NS12, NS20
from review.formats.xmlsafe import local_name, namespace, parse_xml, xml_text

_PAIRED = {"1.2": frozenset({"g", "mrk"}), "2.0": frozenset({"pc", "mrk"})}
_BRACES = ("{}", "⟦⟧")


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
