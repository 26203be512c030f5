"""Write a document read from an original file back in that file's own form.

lxml writes the XML declaration and a ``DOCTYPE`` in its own spelling (single quotes and
``standalone='no'``; double quotes, one space, one line), so an export into an original
would change the lines a CAT tool wrote. Both are taken from the original instead, exactly
as they were: only their text is copied, the DTD a ``DOCTYPE`` names is never read.
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

from review.formats.xmlsafe import prolog_text

_QUOTED = r"(?:\"[^\"]*\"|'[^']*')"
_DOCTYPE = re.compile(
    r"<!DOCTYPE\s+(?P<name>[^\s\[>]+)"
    rf"(?:\s+(?:SYSTEM\s+{_QUOTED}|PUBLIC\s+{_QUOTED}(?:\s+{_QUOTED})?))?\s*>"
)

_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
         codecs.BOM_UTF16_BE)
_DECLARATION = re.compile(r"<\?xml\s[^?>]*\?>")


def serialise_like(root: etree._Element, original: bytes) -> bytes:
    """The whole document of ``root``, in the encoding, XML declaration, ``DOCTYPE`` line
    and final line break of ``original`` (the line break in that encoding: one byte would
    break UTF-16)."""
    tree = root.getroottree()
    encoding = tree.docinfo.encoding or "UTF-8"
    data = etree.tostring(tree, xml_declaration=True, encoding=encoding,
                          standalone=tree.docinfo.standalone)
    codec = _codec(encoding, data)
    data = _keep_declaration(data, original, encoding, codec)
    data = _keep_doctype(data, tree.docinfo, original, encoding, codec)
    newline = "\n".encode(codec)
    return data + (newline if original.rstrip(b"\0").endswith(b"\n") else b"")


def _keep_declaration(data: bytes, original: bytes, encoding: str, codec: str) -> bytes:
    """``data`` with the original's XML declaration (its quotes, ``standalone``, spelling of
    the encoding) in place of lxml's; it names the same encoding, the one ``data`` is in."""
    theirs = _DECLARATION.match(prolog_text(original, encoding))
    bom = next((len(b) for b in _BOMS if data.startswith(b)), 0)
    ours = _DECLARATION.match(data[bom:bom + 512].decode(codec, "replace"))
    if theirs is None or ours is None or theirs.group() == ours.group():
        return data
    try:
        before, after = ours.group().encode(codec), theirs.group().encode(codec)
    except (LookupError, UnicodeError):
        return data
    return data.replace(before, after, 1)


def _keep_doctype(data: bytes, docinfo: etree.DocInfo, original: bytes, encoding: str,
                  codec: str) -> bytes:
    """``data`` with lxml's spelling of the ``DOCTYPE`` replaced by the original's (the one
    that names the same root and identifiers: a comment before it may quote another)."""
    written = docinfo.doctype
    if not written:
        return data
    ids = [i for i in (docinfo.public_id, docinfo.system_url) if i]
    match = next((m for m in _DOCTYPE.finditer(prolog_text(original, encoding))
                  if m.group("name") == docinfo.root_name and _quoted(m.group()) == ids), None)
    if match is None or match.group() == written:
        return data
    try:
        before, after = written.encode(codec), match.group().encode(codec)
    except (LookupError, UnicodeError):
        return data
    return data.replace(before, after, 1)


def _quoted(text: str) -> list[str]:
    """The quoted identifiers of a ``DOCTYPE``, in order."""
    return [a or b for a, b in re.findall(r"\"([^\"]*)\"|'([^']*)'", text)]


def _codec(encoding: str, data: bytes) -> str:
    """A codec that encodes text as it stands inside ``data`` (no byte-order mark)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return "ascii"
    if name in ("utf-16", "utf-32"):
        little = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF32_LE))
        return f"{name}-{'le' if little else 'be'}"
    return name
