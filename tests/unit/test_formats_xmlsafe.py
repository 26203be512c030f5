"""Hostile XML is refused with a message, before anything is expanded or fetched: whole
(``parse_xml``) or streamed in chunks (``iterparse_xml``), with the same messages."""

from __future__ import annotations

import io
import socket
from pathlib import Path

import pytest

from review.core.errors import InputError
from review.formats import xmlsafe
from review.formats.xmlsafe import iterparse_xml, local_name, parse_xml, release, xml_text

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
        ("picture.xlf", "looks binary"),
        ("picture.tmx", "looks binary"),
    ],
)
def test_hostile_files_are_refused(name: str, message: str) -> None:
    pattern = message.replace("(", r"\(").replace(")", r"\)")
    with pytest.raises(InputError, match=pattern):
        parse_xml((HOSTILE / name).read_bytes(), what=name)
    with pytest.raises(InputError, match=pattern):
        streamed((HOSTILE / name).read_bytes(), what=name)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"just some words", "looks plain text"),
        (b"<a><b></a>", "not well-formed XML \\(line 1"),
        (b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><x>&ent;</x>', "XML entities"),
        (b"<!DOCTYPE x [<!ELEMENT x ANY>]><x/>", "internal DTD"),
        (b"<x>&undeclared;</x>", "uses XML entities"),
    ],
)
def test_malformed_or_unsafe_documents(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_xml(data, what="The upload")
    with pytest.raises(InputError, match=message):
        streamed(data, what="The upload")


def test_a_dtd_url_is_accepted_without_a_fetch() -> None:
    """The URL points at a port where nothing answers: a fetch would fail the parse."""
    data = (HOSTILE / "dtd-fetch.tmx").read_bytes()
    for parse in (parse_xml, streamed):
        parse(data)
    assert parse_xml(data).getroottree().docinfo.system_url == "http://127.0.0.1:9/tmx14.dtd"


def test_bare_dtd_name_as_tmx_tools_write_is_accepted_and_not_read() -> None:
    root = parse_xml(b'<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx/>')
    assert local_name(root) == "tmx"


@pytest.mark.parametrize("system", ["tmx14.dtd", "dtd/tmx14.dtd", "{dir}/tmx14.dtd",
                                    "file://{dir}/tmx14.dtd", "http://127.0.0.1:{port}/x.dtd"])
def test_an_external_dtd_is_accepted_and_never_read_nor_fetched(system: str,
                                                                 tmp_path: Path) -> None:
    """The DTD named (a file that declares an entity and a default attribute, a URL that
    listens) is neither read nor fetched: the entity stays refused, no default appears and
    nobody connects."""
    (tmp_path / "tmx14.dtd").write_text('<!ENTITY e "EXPANDED"><!ATTLIST tmx d CDATA "x">')
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.setblocking(False)
        name = system.format(dir=tmp_path.as_posix(), port=server.getsockname()[1])
        head = f'<?xml version="1.0"?>\n<!DOCTYPE tmx PUBLIC "-//X//EN" "{name}">\n'.encode()
        for parse in (parse_xml, streamed):
            parse(head + b'<tmx v="1"><u>a</u></tmx>')
            with pytest.raises(InputError, match="XML entities"):
                parse(head + b"<tmx><u>&e;</u></tmx>")
        assert parse_xml(head + b"<tmx/>").get("d") is None
        with pytest.raises(BlockingIOError):
            server.accept()


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


def streamed(data: bytes, **options) -> list[tuple[str, str]]:
    """The events of ``iterparse_xml`` over ``data`` as (event, local name), releasing each
    element at its end as a reader does."""
    out = []
    for event, element in iterparse_xml(io.BytesIO(data), tags=("u", "g"), **options):
        out.append((event, local_name(element)))
        if event == "end":
            release(element)
    return out


@pytest.fixture
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 5 bytes: every token of a small document straddles a chunk boundary."""
    monkeypatch.setattr(xmlsafe, "_HEAD_BYTES", 5)
    monkeypatch.setattr(xmlsafe, "_CHUNK_BYTES", 5)


DOCUMENT = (b'<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "r.dtd">\n<r v="1"><!-- c --><u>a</u>'
            b'<x><g><u>b<i/></u></g></x>\n<g/></r>')
EVENTS = [("root", "r"), ("start", "u"), ("end", "u"), ("start", "g"), ("start", "u"),
          ("end", "u"), ("end", "g"), ("start", "g"), ("end", "g")]


def test_iterparse_gives_the_root_first_then_the_tags_asked_for() -> None:
    assert streamed(DOCUMENT) == EVENTS
    [(event, root)] = [e for e in iterparse_xml(io.BytesIO(DOCUMENT)) if e[0] == "root"]
    assert (root.get("v"), root.getparent()) == ("1", None)


def test_iterparse_reads_the_same_in_tiny_chunks(tiny_chunks: None) -> None:
    assert streamed(DOCUMENT) == EVENTS
    data = '<?xml version="1.0" encoding="UTF-16"?><r><u>你好 &amp; 🌍</u></r>'.encode("utf-16")
    texts = [e.text for event, e in iterparse_xml(io.BytesIO(data), tags=("u",),
                                                  events=("end",)) if event == "end"]
    assert texts == ["你好 & 🌍"]


def test_a_root_after_a_long_prolog_is_found_by_the_parse_itself() -> None:
    """Past the first MiB the root is taken from the first event, or from the end."""
    padding = b"<!--" + b"x" * (xmlsafe._SNIFF_BYTES + 10) + b"-->\n"
    assert streamed(padding + DOCUMENT.split(b"\n", 2)[2]) == EVENTS
    assert streamed(padding + b"<other><x/></other>") == [("root", "other")]


def test_release_frees_the_element_and_the_siblings_before_it() -> None:
    data = b"<r><u>a</u><u>b</u><!-- c --><u>c</u><u>d</u></r>"
    texts, left = [], []
    for event, element in iterparse_xml(io.BytesIO(data), tags=("u",), events=("end",)):
        if event == "root":
            continue
        texts.append(element.text)
        if element.text == "c":
            parent = element.getparent()
            release(element)
            left = [(child.tag, child.text) for child in parent]
    assert texts == ["a", "b", "c", "d"]
    assert left[0] == ("u", None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<r>\n<u>a</u>\n<u>b</u>\n<u>&undeclared;</u></r>",
         "uses XML entities in a way that is refused \\(Entity 'undeclared' not defined\\)"),
        (b"<r>\n<u>a</u>\n<u>b</u>\n<u>c</r>", "not well-formed XML \\(line 4: Opening and ending"),
        (b"<r>\n<u>a</u>\n<u>b</u>\n<x:u/></r>", "line 4: Namespace prefix x on u is not defined"),
        (b'<!DOCTYPE r SYSTEM "r.dtd"><r><u>a</u><u>b &ext; c</u></r>', "refers to XML entities"),
        (b"<r><u>a</u>" + b" " * 50 + b"<![CDATA[<!ENTITY x 'y'>]]></r>", "declares XML entities"),
    ],
)
@pytest.mark.parametrize("chunked", [False, True])
def test_iterparse_refuses_what_it_meets_after_the_first_elements(
        data: bytes, message: str, chunked: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A problem deep in a file stops the stream there, with the line, however the chunks fall
    (lxml's feed parser would start over silently after an undefined entity)."""
    if chunked:
        monkeypatch.setattr(xmlsafe, "_HEAD_BYTES", 7)
        monkeypatch.setattr(xmlsafe, "_CHUNK_BYTES", 7)
    seen = []
    with pytest.raises(InputError, match=message):
        for event, element in iterparse_xml(io.BytesIO(data), tags=("u",), events=("end",)):
            seen.append((event, element.text))
    if chunked:
        assert ("end", "a") in seen
    with pytest.raises(InputError, match=message):
        parse_xml(data)


def test_iterparse_stops_past_the_byte_limit() -> None:
    data = b"<r>" + b"<u>a</u>" * 10_000 + b"</r>"
    with pytest.raises(InputError, match="is larger than the .* MB limit"):
        streamed(data, limit=50_000)


def test_the_root_is_known_before_the_rest_of_the_file_is_read() -> None:
    data = io.BytesIO(b"<other>" + b"<x>filler</x>" * 100_000 + b"</other>")
    events = iterparse_xml(data, tags=("u",))
    assert local_name(next(events)[1]) == "other"
    assert data.tell() < 200_000


def test_a_dtd_named_next_to_the_file_is_never_read(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """libxml2 would open a bare DTD name from the working directory to look up an undefined
    entity; the resolver hands it nothing, so the entity stays a refused reference."""
    (tmp_path / "tmx14.dtd").write_text('<!ENTITY ext "SECRET">', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    data = b'<!DOCTYPE r SYSTEM "tmx14.dtd"><r><u>&ext;</u></r>'
    for read in (parse_xml, lambda d: streamed(d)):
        with pytest.raises(InputError, match="refers to XML entities"):
            read(data)
