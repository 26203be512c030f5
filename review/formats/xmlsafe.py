"""Parse uploaded XML (XLIFF, TMX) without letting the file reach outside itself.

An uploaded file is untrusted: entity declarations can expand to gigabytes ("billion
laughs") or pull in local files (``file:///etc/passwd``), and a DTD reference can make the
parser fetch a URL. lxml is configured to resolve nothing, load no DTD and use no network,
and on top of that every entity declaration and internal DTD subset is refused with a
message, so the person knows what to remove. A ``DOCTYPE`` that only names an external DTD
(``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``, or the OASIS URL many XLIFF 1.2 tools write) is
accepted and the DTD is never read or fetched: the parser loads no DTD, so the file means
the same with or without it, and an export into the original writes the line back as it was.

Large files stream: :func:`iterparse_xml` parses in chunks with the same parser settings and
the same refusals (the ``<!ENTITY`` scan runs over every chunk before the parser sees it), and
:func:`release` frees each processed element, so memory stays flat however many units a file
holds. Neither parser ever opens a file or URL: a resolver hands libxml2 an empty text for
every DTD or entity it would otherwise load (libxml2 would otherwise open a bare DTD name from
the working directory to look up an undeclared entity).

Text written into XML goes through :func:`xml_text`: characters that XML 1.0 cannot hold
(C0 controls other than tab, newline and carriage return, lone surrogates, U+FFFE/U+FFFF)
are dropped, because a single stray vertical tab from a word processor must not make a
whole export fail.
"""

from __future__ import annotations

import codecs
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from lxml import etree

from review.core.errors import InputError
from review.formats.base import MAX_TABLE_IMPORT_BYTES
from review.formats.encoding import check_size

_PARSER_OPTIONS = dict(
    resolve_entities=False,
    no_network=True,
    dtd_validation=False,
    load_dtd=False,
    huge_tree=False,
    remove_blank_text=False,
    collect_ids=False,
)

_ENTITY_DECL = "<!ENTITY"
_ENTITY_PATTERNS = tuple(
    _ENTITY_DECL.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")
)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_QUOTED = r"(?:\"[^\"]*\"|'[^']*')"
_DOCTYPE = re.compile(
    r"<!DOCTYPE\s+[^\s\[>]+"
    rf"(?:\s+SYSTEM\s+{_QUOTED}|\s+PUBLIC\s+{_QUOTED}(?:\s+{_QUOTED})?)?"
    r"\s*(?P<subset>\[)?"
)
_HEAD_BYTES = 8192
_CHUNK_BYTES = 64 * 1024
_SNIFF_BYTES = 1024 * 1024  # how far to look for the root element before parsing for real
_OVERLAP = max(len(p) for p in _ENTITY_PATTERNS) - 1


class _RefuseExternal(etree.Resolver):
    """An empty text for every DTD or external entity libxml2 would load."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        return self.resolve_string("", context)


def _parser(cls: type = etree.XMLParser, **extra: object) -> etree._FeedParser:
    parser = cls(**_PARSER_OPTIONS, **extra)
    parser.resolvers.add(_RefuseExternal())
    return parser


def parse_xml(data: bytes, *, what: str = "The XML file", kind: str = "XML") -> etree._Element:
    """The root element of ``data``; ``InputError`` for anything unsafe or malformed.

    ``kind`` names the expected format (``"XLIFF"``, ``"TMX"``) in messages.
    """
    _refuse_non_xml(data, what, kind)
    _refuse_entity_declarations(data, what, kind)
    _refuse_doctype(prolog_text(data), what, kind)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as err:
        raise _syntax_error(str(err.msg or err), err.lineno, what, kind) from None
    _refuse_dtd(root.getroottree().docinfo, what, kind)
    _refuse_entity_nodes(root, what)
    return root


def iterparse_xml(stream: BinaryIO, *, what: str = "The XML file", kind: str = "XML",
                  tags: Iterable[str] = (), events: tuple[str, ...] = ("start", "end"),
                  limit: int = MAX_TABLE_IMPORT_BYTES
                  ) -> Iterator[tuple[str, etree._Element]]:
    """The document read from ``stream`` in chunks, as ``(event, element)`` pairs.

    The first pair is ``("root", element)``: the root element as its start tag reads (its
    name, namespace and attributes; a copy, so test for the top of the tree with
    ``getparent()``, not by identity). Then ``"start"``/``"end"`` events (as ``events`` asks)
    for the elements whose local name is in ``tags``, in any namespace. Everything
    ``parse_xml`` refuses is refused here with the same ``InputError``, as soon as the bytes
    that show it are read: a malformed document can fail after elements were handed out. The
    caller calls :func:`release` on each element it is done with, or the tree grows.
    """
    chunks = _chunks(stream, what, kind, limit)
    head = next(chunks)
    _refuse_non_xml(head, what, kind)
    _refuse_entity_declarations(head, what, kind)
    _refuse_doctype(prolog_text(head), what, kind)
    seen, root = _sniff_root(itertools.chain((head,), chunks))
    if root is not None:
        _refuse_dtd(root.getroottree().docinfo, what, kind)
        yield "root", root
    parser = _parser(etree.XMLPullParser, events=events, tag=[f"{{*}}{t}" for t in tags])
    for chunk in itertools.chain(seen, chunks):
        try:
            parser.feed(chunk)
        except etree.XMLSyntaxError as err:
            raise _pull_error(parser, err, what, kind) from None
        _refuse_logged_errors(parser, what, kind)
        for event, element in parser.read_events():
            if root is None:
                root = element.getroottree().getroot()
                _refuse_dtd(root.getroottree().docinfo, what, kind)
                yield "root", root
            if event == "end":
                _refuse_entity_nodes(element, what)
            yield event, element
    try:
        rest = parser.close()
    except etree.XMLSyntaxError as err:
        raise _pull_error(parser, err, what, kind) from None
    _refuse_entity_nodes(rest, what)
    if root is None:
        _refuse_dtd(rest.getroottree().docinfo, what, kind)
        yield "root", rest


def release(element: etree._Element, what: str = "The XML file") -> None:
    """Free an element read by :func:`iterparse_xml`: its content and the siblings before it.

    Call it at the element's ``end`` event, once nothing will read the element again (not on
    an element inside one still to be read). Siblings are checked for entity references first,
    as ``parse_xml`` checks the whole tree.
    """
    element.clear()
    parent = element.getparent()
    if parent is None:
        return
    while element.getprevious() is not None:
        _refuse_entity_nodes(parent[0], what)
        del parent[0]


def _chunks(stream: BinaryIO, what: str, kind: str, limit: int) -> Iterator[bytes]:
    """``stream`` in chunks, the first one at least the prolog long (unless the file is
    shorter); refuses (``InputError``) past ``limit`` bytes and at any ``<!ENTITY``."""
    head = b""
    while len(head) < _HEAD_BYTES and (more := stream.read(_CHUNK_BYTES)):
        head += more
    total = len(head)
    check_size(total, limit, what)
    yield head
    tail = head[-_OVERLAP:]
    while chunk := stream.read(_CHUNK_BYTES):
        total += len(chunk)
        check_size(total, limit, what)
        _refuse_entity_declarations(tail + chunk, what, kind)
        tail = chunk[-_OVERLAP:]
        yield chunk


def _sniff_root(chunks: Iterator[bytes]) -> tuple[list[bytes], etree._Element | None]:
    """The chunks read and the root element, found by a throwaway parser within the first
    ``_SNIFF_BYTES``; ``None`` if not there or the XML is broken before it (the real parse
    then reports the error)."""
    parser = _parser(etree.XMLPullParser, events=("start",))
    seen: list[bytes] = []
    for chunk in chunks:
        seen.append(chunk)
        try:
            parser.feed(chunk)
        except etree.XMLSyntaxError:
            break
        if _logged_error(parser) is not None:
            break
        for _, element in parser.read_events():
            return seen, element
        if sum(map(len, seen)) >= _SNIFF_BYTES:
            break
    return seen, None


def _logged_error(parser: etree._FeedParser) -> etree._LogEntry | None:
    """The first error a feed parser logged: lxml does not raise every one of them (after an
    undefined entity it starts over silently when entities are not resolved)."""
    return next((e for e in parser.feed_error_log if e.level >= etree.ErrorLevels.ERROR),
                None)


def _refuse_logged_errors(parser: etree._FeedParser, what: str, kind: str) -> None:
    entry = _logged_error(parser)
    if entry is not None:
        raise _syntax_error(entry.message, entry.line, what, kind)


def _pull_error(parser: etree._FeedParser, err: etree.XMLSyntaxError, what: str,
                kind: str) -> InputError:
    entry = _logged_error(parser)
    if entry is not None:
        return _syntax_error(entry.message, entry.line, what, kind)
    return _syntax_error(str(err.msg or err), err.lineno, what, kind)


def _syntax_error(message: str, line: int | None, what: str, kind: str) -> InputError:
    message = message.split(", line ")[0]
    if "amplification" in message or "entity" in message.lower():
        return InputError(
            f"{what} uses XML entities in a way that is refused ({message}); remove the "
            "DOCTYPE block and entity references and import again."
        )
    where = f"line {line}: " if line else ""
    return InputError(
        f"{what} is not well-formed XML ({where}{message}); check that it was saved "
        f"completely as {kind}."
    )


def _refuse_entity_declarations(data: bytes, what: str, kind: str) -> None:
    if any(pattern in data for pattern in _ENTITY_PATTERNS):
        raise InputError(
            f"{what} declares XML entities (<!ENTITY ...>); they are refused because they can "
            "expand without limit or read files from the server. Remove the DOCTYPE block "
            f"(a {kind} file does not need one) and import again."
        )


def _refuse_entity_nodes(element: etree._Element, what: str) -> None:
    if element.tag is etree.Entity or any(True for _ in element.iter(etree.Entity)):
        raise InputError(
            f"{what} refers to XML entities that are not allowed; replace them with the "
            "characters they stand for and import again."
        )


def _refuse_non_xml(data: bytes, what: str, kind: str) -> None:
    head = data[:4096]
    for bom in _BOMS:
        if head.startswith(bom):
            return
    if head[:2] in (b"<\x00", b"\x00<"):
        return
    stripped = head.lstrip(b" \t\r\n")
    if not stripped:
        raise InputError(f"{what} is empty; export it again from your tool.")
    if not stripped.startswith(b"<"):
        looks = "binary (an image or archive?)" if b"\x00" in head else "plain text"
        raise InputError(
            f"{what} is not a {kind} file: it looks {looks}, and {kind} files start with "
            "'<'. Pick the right file or the right format."
        )


def prolog_text(data: bytes, encoding: str = "latin-1") -> str:
    """The first few KB as text, enough to find a DOCTYPE: UTF-16 told by its byte-order
    mark or first character, anything else read in ``encoding`` (markup is ASCII)."""
    head = data[:8192]
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(name, "replace")
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", "replace")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", "replace")
    try:
        return head.decode(encoding, "replace")
    except LookupError:
        return head.decode("latin-1")


def _refuse_doctype(prolog: str, what: str, kind: str) -> None:
    """Refuse an internal DTD subset (declarations) before the parser sees it."""
    match = _DOCTYPE.search(prolog)
    if not match:
        return
    if match.group("subset"):
        raise InputError(
            f"{what} carries an internal DTD with declarations; it is refused. Remove the "
            "<!DOCTYPE ...> block and import again."
        )


def _refuse_dtd(docinfo: etree.DocInfo, what: str, kind: str) -> None:
    dtd = docinfo.internalDTD
    if dtd is not None and (any(True for _ in dtd.iterentities())
                            or any(True for _ in dtd.iterelements())):
        raise InputError(
            f"{what} carries an internal DTD with declarations; it is refused. Remove the "
            "<!DOCTYPE ...> block and import again."
        )


def xml_text(text: str | None) -> str:
    """``text`` without the characters XML 1.0 cannot represent (see the module notes)."""
    if not text:
        return ""
    return _XML_ILLEGAL.sub("", text)


def local_name(element: etree._Element) -> str:
    """The tag without its namespace; comments and processing instructions give ``""``."""
    tag = element.tag
    if type(tag) is not str:
        return "" if not isinstance(tag, str) else tag.rsplit("}", 1)[-1]
    return tag if tag[:1] != "{" else tag.rsplit("}", 1)[-1]


def namespace(element: etree._Element) -> str:
    tag = element.tag
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].split("}", 1)[0]
    return ""
