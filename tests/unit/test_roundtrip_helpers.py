"""Helpers of the round-trip tests (no tests here): schemas, canonical XML, units by place,
an import and an export through the services.

The schemas come from ``tests/data/formats/schemas`` (licences in the README there); their
``xml.xsd`` import points at the local copy, so validation needs no network.
"""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

from review.accounts.permissions import SYSTEM_ACTOR
from review.formats.xliff.reader import xliff_version
from review.formats.xliff.units import UNIT, is_unit
from review.services import Workbench

DATA = Path(__file__).parents[1] / "data" / "formats"
ROUNDTRIP = DATA / "roundtrip"
SCHEMAS = DATA / "schemas"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@functools.cache
def schema(name: str) -> etree.XMLSchema:
    """``xliff12`` (the 1.2 strict schema) or ``xliff20`` (the 2.0 core schema)."""
    path = SCHEMAS / {"xliff12": "xliff-core-1.2-strict.xsd",
                      "xliff20": "xliff_core_2.0.xsd"}[name]
    text = path.read_bytes()
    local = (SCHEMAS / "xml.xsd").as_uri().encode()
    for location in (b"http://www.w3.org/2001/xml.xsd",
                     b"informativeCopiesOf3rdPartySchemas/w3c/xml.xsd"):
        text = text.replace(b'schemaLocation="' + location + b'"',
                            b'schemaLocation="' + local + b'"')
    return etree.XMLSchema(etree.fromstring(text, base_url=path.as_uri()))


@functools.cache
def tmx_dtd() -> etree.DTD:
    return etree.DTD(str(SCHEMAS / "tmx14.dtd"))


def root_of(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def valid(data: bytes) -> tuple[bool, str]:
    """Whether an XLIFF (against its version's schema) or TMX (against the DTD) is valid,
    and the first error (``"None"`` when valid)."""
    root = root_of(data)
    if etree.QName(root).localname == "tmx":
        checker = tmx_dtd()
        ok = checker.validate(root)
    elif etree.QName(root).namespace not in ("urn:oasis:names:tc:xliff:document:1.2",
                                             "urn:oasis:names:tc:xliff:document:2.0"):
        return False, "not an XLIFF 1.2 or 2.0 namespace"
    else:
        checker = schema("xliff12" if xliff_version(root, "x") == "1.2" else "xliff20")
        ok = checker.validate(etree.ElementTree(root))
    return ok, "None" if ok else str(checker.error_log[0])


def c14n(data: bytes) -> bytes:
    """The document in canonical XML (C14N 2.0): what the round trip must give back."""
    return etree.tostring(etree.ElementTree(root_of(data)), method="c14n2")


def canonical(element: etree._Element) -> bytes:
    try:
        return etree.tostring(element, method="c14n")
    except (etree.C14NError, ValueError):
        return etree.tostring(element)


def xliff_units(data: bytes) -> dict[tuple[int, int], bytes]:
    """Each unit of an XLIFF document, canonical, by its place (file, unit)."""
    root = root_of(data)
    version = xliff_version(root, "x")
    files = [f for f in root if isinstance(f.tag, str) and etree.QName(f).localname == "file"]
    return {(number, index): canonical(unit)
            for number, file in enumerate(files)
            for index, unit in enumerate(u for u in file.iter(f"{{*}}{UNIT[version]}")
                                         if is_unit(u, version))}


def tmx_units(data: bytes) -> list[bytes]:
    body = next(c for c in root_of(data) if c.tag == "body")
    return [canonical(tu) for tu in body if tu.tag == "tu"]


def import_bytes(bench: Workbench, data: bytes, name: str, **options) -> list[int]:
    """Import a file through the service; the new article ids in order."""
    from review.formats.base import ReadOptions

    report = bench.imports.import_file(SYSTEM_ACTOR, data, name,
                               options=ReadOptions(**options) if options else None)
    return [a.id for a in report.articles]


def export_bytes(bench: Workbench, article_id: int, fmt: str, **options) -> bytes:
    return bench.exports.export_article(SYSTEM_ACTOR, article_id, fmt, record=False, **options).data


def segments(bench: Workbench, article_id: int) -> list:
    """The stored segments of an article (the export's document model)."""
    return bench.exports.document(SYSTEM_ACTOR, article_id).segments
