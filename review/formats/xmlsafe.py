"""Parse uploaded XML (XLIFF, TMX) without letting the file reach outside itself.

An uploaded file is untrusted: entity declarations can expand to gigabytes ("billion
laughs") or pull in local files (``file:///etc/passwd``), and a DTD reference can make the
parser fetch a URL. lxml is configured to resolve nothing, load no DTD and use no network,
and on top of that every entity declaration, internal DTD subset and DTD that points at a
URL or path is refused with a message, so the person knows what to remove. A bare DTD file
name (``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``, as many TMX tools write) is accepted and never
read.

Text written into XML goes through :func:`xml_text`: characters that XML 1.0 cannot hold
(C0 controls other than tab, newline and carriage return, lone surrogates, U+FFFE/U+FFFF)
are dropped, because a single stray vertical tab from a word processor must not make a
whole export fail.
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

from review.errors import InputError

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
    r"(?:\s+SYSTEM\s+[\"'](?P<system1>[^\"']*)[\"']"
    rf"|\s+PUBLIC\s+{_QUOTED}(?:\s+[\"'](?P<system2>[^\"']*)[\"'])?)?"
    r"\s*(?P<subset>\[)?"
)


def parse_xml(data: bytes, *, what: str = "The XML file", kind: str = "XML") -> etree._Element:
    """The root element of ``data``; ``InputError`` for anything unsafe or malformed.

    ``kind`` names the expected format (``"XLIFF"``, ``"TMX"``) in messages.
    """
    _refuse_non_xml(data, what, kind)
    if any(pattern in data for pattern in _ENTITY_PATTERNS):
        raise InputError(
            f"{what} declares XML entities (<!ENTITY ...>); they are refused because they can "
            "expand without limit or read files from the server. Remove the DOCTYPE block "
            f"(a {kind} file does not need one) and import again."
        )
    _refuse_doctype(_prolog(data), what, kind)
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        message = str(err.msg or err).split(", line ")[0]
        if "amplification" in message or "entity" in message.lower():
            raise InputError(
                f"{what} uses XML entities in a way that is refused ({message}); remove the "
                "DOCTYPE block and entity references and import again."
            ) from None
        line = f"line {err.lineno}: " if err.lineno else ""
        raise InputError(
            f"{what} is not well-formed XML ({line}{message}); check that it was saved "
            f"completely as {kind}."
        ) from None
    _refuse_dtd(root.getroottree().docinfo, what, kind)
    if any(True for _ in root.iter(etree.Entity)):
        raise InputError(
            f"{what} refers to XML entities that are not allowed; replace them with the "
            "characters they stand for and import again."
        )
    return root


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


def _prolog(data: bytes) -> str:
    """The first few KB as text, enough to find a DOCTYPE (markup characters are ASCII)."""
    head = data[:8192]
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(name, "replace")
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", "replace")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", "replace")
    return head.decode("latin-1")


def _refuse_doctype(prolog: str, what: str, kind: str) -> None:
    """Refuse DTDs that point outside the file before the parser sees them."""
    match = _DOCTYPE.search(prolog)
    if not match:
        return
    system_url = match.group("system1") or match.group("system2") or ""
    _refuse_system_url(system_url, what, kind)
    if match.group("subset"):
        raise InputError(
            f"{what} carries an internal DTD with declarations; it is refused. Remove the "
            "<!DOCTYPE ...> block and import again."
        )


def _refuse_system_url(system_url: str, what: str, kind: str) -> None:
    if system_url and (":" in system_url or "/" in system_url or "\\" in system_url):
        raise InputError(
            f"{what} names an external DTD ({system_url}) that would have to be fetched; "
            f"fetching is refused. Remove the <!DOCTYPE ...> line (a {kind} file does not "
            "need it) and import again."
        )


def _refuse_dtd(docinfo: etree.DocInfo, what: str, kind: str) -> None:
    _refuse_system_url(docinfo.system_url or "", what, kind)
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
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(element: etree._Element) -> str:
    tag = element.tag
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].split("}", 1)[0]
    return ""
