"""A file whose DOCTYPE names an external DTD (a bare name, a path, the OASIS URL) imports
without the DTD being read, and its export writes the XML declaration and the DOCTYPE line
back as they were, quotes, line breaks and encoding included, with or without an edit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.models import Segment
from review.services import Workbench
from tests.unit.test_roundtrip_helpers import c14n, export_bytes, import_bytes, segments, valid

XLIFF12 = """<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="a.txt" source-language="en" target-language="fr" datatype="plaintext">
  <body>
   <trans-unit id="1"><source>Hello</source><target>Bonjour</target></trans-unit>
   <trans-unit id="2"><source>World</source><target>Monde</target></trans-unit>
  </body>
 </file>
</xliff>
"""
XLIFF20 = """<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en"
 trgLang="fr">
 <file id="f1">
  <unit id="u1"><segment><source>Hello</source><target>Bonjour</target></segment></unit>
  <unit id="u2"><segment><source>World</source><target>Monde</target></segment></unit>
 </file>
</xliff>
"""
TMX = """<tmx version="1.4">
 <header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
  adminlang="en" srclang="en" datatype="plaintext"/>
 <body>
  <tu tuid="1"><tuv xml:lang="en"><seg>Hello</seg></tuv>
   <tuv xml:lang="fr"><seg>Bonjour</seg></tuv></tu>
  <tu tuid="2"><tuv xml:lang="en"><seg>World</seg></tuv>
   <tuv xml:lang="fr"><seg>Monde</seg></tuv></tu>
 </body>
</tmx>
"""
CASES = [
    ("xliff", XLIFF12, '<!DOCTYPE xliff PUBLIC "-//XLIFF//DTD XLIFF//EN" '
                       '"http://www.oasis-open.org/committees/xliff/documents/xliff.dtd">'),
    ("xliff", XLIFF12, "<!DOCTYPE xliff PUBLIC '-//XLIFF//DTD XLIFF//EN'\n"
                       "  'http://www.oasis-open.org/committees/xliff/documents/xliff.dtd' >"),
    ("xliff", XLIFF12, '<!DOCTYPE xliff SYSTEM "file:///opt/dtd/xliff.dtd">'),
    ("xliff2", XLIFF20, '<!DOCTYPE xliff SYSTEM "xliff20.dtd">'),
    ("tmx", TMX, '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'),
    ("tmx", TMX, "<!DOCTYPE tmx SYSTEM 'http://www.lisa.org/tmx/tmx14.dtd'>"),
    ("tmx", TMX, '<!DOCTYPE tmx SYSTEM "../dtd/tmx14.dtd">'),
]
IDS = ["xliff12-oasis-url", "xliff12-single-quotes-two-lines", "xliff12-file-url",
       "xliff20-name", "tmx-name", "tmx-url", "tmx-relative-path"]


def _document(body: str, doctype: str, encoding: str) -> bytes:
    head = f'<?xml version="1.0" encoding="{encoding}"?>\n{doctype}\n'
    return (head + body).encode("utf-16" if encoding == "UTF-16" else encoding)


def _edit_first(bench: Workbench, article_id: int) -> None:
    seg = segments(bench, article_id)[0]
    with bench.store.read() as session:
        version = session.scalar(select(Segment.version).where(Segment.id == seg.id))
    bench.editing.save_segment(SYSTEM_ACTOR, seg.id, "Salut", version)


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16", "ISO-8859-1"])
@pytest.mark.parametrize(("fmt", "body", "doctype"), CASES, ids=IDS)
def test_the_doctype_comes_back_as_it_was(bench: Workbench, fmt: str, body: str,
                                          doctype: str, encoding: str) -> None:
    data = _document(body, doctype, encoding)
    codec = "utf-16-le" if encoding == "UTF-16" else "utf-8"
    [article_id] = import_bytes(bench, data, "doc." + ("tmx" if fmt == "tmx" else "xlf"))
    out = export_bytes(bench, article_id, fmt)
    assert c14n(out) == c14n(data)
    assert out.split(b"<", 1)[1].startswith(data.split(b"<", 1)[1].split(b"\n")[0])
    assert f"?>\n{doctype}\n<".encode(codec) in out
    if valid(data)[0]:
        assert valid(out) == (True, "None")

    _edit_first(bench, article_id)
    out = export_bytes(bench, article_id, fmt)
    assert f"?>\n{doctype}\n<".encode(codec) in out
    assert "Salut".encode(codec) in out
    assert c14n(out) != c14n(data)


def test_a_doctype_quoted_in_a_comment_before_it_is_not_taken_for_it(
        bench: Workbench) -> None:
    doctype = "<!DOCTYPE tmx SYSTEM   'tmx14.dtd'>"
    data = _document(TMX, f"<!-- was <!DOCTYPE tmx SYSTEM 'old.dtd'> -->\n{doctype}", "UTF-8")
    [article_id] = import_bytes(bench, data, "doc.tmx")
    out = export_bytes(bench, article_id, "tmx")
    assert b"<!-- was <!DOCTYPE tmx SYSTEM 'old.dtd'> -->" in out
    assert f"{doctype}\n<tmx".encode() in out
    assert c14n(out) == c14n(data)
