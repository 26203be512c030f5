"""Hostile XML is refused with a message, before anything is expanded or fetched."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.errors import InputError
from review.formats.xmlsafe import local_name, parse_xml, xml_text

HOSTILE = Path(__file__).parents[1] / "data" / "formats" / "hostile"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("billion-laughs.xlf", "declares XML entities"),
        ("billion-laughs.tmx", "declares XML entities"),
        ("external-entity.xlf", "declares XML entities"),
        ("external-entity.tmx", "declares XML entities"),
        ("external-entity-utf16.xlf", "declares XML entities"),
        ("parameter-entity.xlf", "declares XML entities"),
        ("dtd-fetch.tmx", "external DTD (http://127.0.0.1:9/tmx14.dtd)"),
        ("picture.xlf", "looks binary"),
        ("picture.tmx", "looks binary"),
    ],
)
def test_hostile_files_are_refused(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_xml((HOSTILE / name).read_bytes(), what=name)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"just some words", "looks plain text"),
        (b"<a><b></a>", "not well-formed XML \\(line 1"),
        (b'<!DOCTYPE x SYSTEM "/etc/x.dtd"><x/>', "external DTD"),
        (b'<!DOCTYPE x SYSTEM "file:///etc/x.dtd"><x/>', "external DTD"),
        (b"<!DOCTYPE x [<!ELEMENT x ANY>]><x/>", "internal DTD"),
        (b"<x>&undeclared;</x>", "uses XML entities"),
    ],
)
def test_malformed_or_unsafe_documents(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_xml(data, what="The upload")


def test_bare_dtd_name_as_tmx_tools_write_is_accepted_and_not_read() -> None:
    root = parse_xml(b'<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx/>')
    assert local_name(root) == "tmx"


def test_utf16_document_parses() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><a>你好 &amp; 🌍</a>'.encode("utf-16")
    assert parse_xml(data).text == "你好 & 🌍"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("tab\tnew\nline\r", "tab\tnew\nline\r"),
        ("bell\x07 vt\x0b ff\x0c nul\x00", "bell vt ff nul"),
        ("\ufffe\uffff𝄞", "𝄞"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        (None, ""),
    ],
)
def test_xml_text_drops_characters_xml_cannot_hold(text: str | None, expected: str) -> None:
    assert xml_text(text) == expected
