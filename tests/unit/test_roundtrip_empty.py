"""A valid XLIFF or TMX file with no translation unit (the OASIS suite's ``almostEmpty.xlf``,
a memory with an empty body) has nothing to review: an article cannot be empty, so the
import says so plainly, says that nothing was imported, and leaves the database as it was
(no article, no kept original)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from review.accounts.permissions import SYSTEM_ACTOR
from review.core.errors import InputError
from review.db.models import Article, OriginalFile
from review.services import Workbench
from tests.unit.test_roundtrip_helpers import c14n, export_bytes, segments, valid

XLIFF20 = b"""<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en">
 <file id="f1">
  <group id="g1"/>
 </file>
</xliff>
"""
XLIFF12 = b"""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="a.txt" source-language="en" datatype="plaintext">
  <body/>
 </file>
</xliff>
"""
TMX = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
 <header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
  adminlang="en" srclang="en" datatype="plaintext"/>
 <body>
 </body>
</tmx>
"""
CASES = [("almostEmpty.xlf", XLIFF20), ("empty-body.xlf", XLIFF12), ("empty.tmx", TMX)]


def _rows(bench: Workbench) -> tuple[int, int]:
    with bench.store.read() as session:
        return (session.scalar(select(func.count()).select_from(Article)) or 0,
                session.scalar(select(func.count()).select_from(OriginalFile)) or 0)


@pytest.mark.parametrize(("name", "data"), CASES, ids=[c[0] for c in CASES])
def test_a_valid_file_without_units_says_there_is_nothing_to_review(bench: Workbench,
                                                                    name: str,
                                                                    data: bytes) -> None:
    assert valid(data) == (True, "None")
    before = _rows(bench)
    with pytest.raises(InputError) as caught:
        bench.imports.import_file(SYSTEM_ACTOR, data, name)
    message = str(caught.value)
    assert message.startswith(f"{name} ")
    assert "no translation unit" in message
    assert "nothing to review" in message
    assert "nothing was imported" in message
    assert _rows(bench) == before


def test_a_file_whose_only_unit_is_empty_imports_and_comes_back_the_same(
        bench: Workbench) -> None:
    """A unit with an empty source is a unit: the file imports with it as metadata (nothing
    to act on, shown dimmed) and its export with no edit is the same document."""
    data = XLIFF20.replace(b'<group id="g1"/>',
                           b"<unit id=\"1\">\n   <segment>\n    <source/>\n   </segment>\n  "
                           b"</unit>")
    assert valid(data) == (True, "None")
    report = bench.imports.import_file(SYSTEM_ACTOR, data, "almostEmpty.xlf")
    [article] = report.articles
    [segment] = segments(bench, article.id)
    assert (segment.kind, segment.mt, segment.source) == ("metadata", "", "")
    out = export_bytes(bench, article.id, "xliff2")
    assert c14n(out) == c14n(data)
    assert valid(out) == (True, "None")
