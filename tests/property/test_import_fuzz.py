"""Every import format through the CLI: exit 0 or 2, never a traceback, and a refused
file leaves the database exactly as it was."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from review.cli.main import main
from review.db.models import Base
from review.db.store import open_store
from review.formats.registry import FORMATS

FUZZ = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

CELL = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
ODD = st.sampled_from(["", " ", "\t", "\n", "\r\n", '"', "=1+1", "\x00", "\x1b[31m", "\ufeff",
                       "é", "中文", "[x](y)", "{", "<a>", "&amp;", "major", "Minor",
                       "Accuracy/Mistranslation", "no-error", "Non-translation!"])
CELLS = st.one_of(CELL, ODD)
COLUMNS = ["id", "source", "mt", "corrected", "reference", "kind", "status", "paragraph",
           "article", "notes", "flags", "system:A", "extra"]
MQM_HEADER = ["system", "doc", "docSegId", "globalSegId", "rater", "source", "target",
              "category", "severity", "metadata"]


def _table(draw: st.DrawFn, sep: str, header: list[str]) -> bytes:
    columns = draw(st.lists(st.sampled_from(header), min_size=1, max_size=len(header)))
    rows = draw(st.lists(st.lists(CELLS, min_size=len(columns), max_size=len(columns) + 1),
                         max_size=5))
    lines = [sep.join(columns)] + [sep.join(row) for row in rows]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), CELLS),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(COLUMNS + ["candidates"]), inner,
                                            max_size=4)),
    max_leaves=12)


def _xml(draw: st.DrawFn, kind: str) -> bytes:
    texts = [escape(draw(CELL)) for _ in range(3)]
    if kind == "tmx":
        doc = (f'<?xml version="1.0"?><tmx version="1.4"><header srclang="{texts[0]}"/><body>'
               f'<tu tuid="1"><tuv xml:lang="zh"><seg>{texts[1]}</seg></tuv>'
               f'<tuv xml:lang="en"><seg>{texts[2]}</seg></tuv></tu></body></tmx>')
    elif kind == "xliff2":
        doc = ('<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
               f'version="2.0" srcLang="zh" trgLang="en"><file id="f"><unit id="{texts[0]}">'
               f'<segment><source>{texts[1]}</source><target>{texts[2]}</target></segment>'
               '</unit></file></xliff>')
    else:
        doc = ('<?xml version="1.0"?><xliff version="1.2" '
               'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" '
               'source-language="zh" target-language="en" datatype="plaintext"><body>'
               f'<trans-unit id="{texts[0]}"><source>{texts[1]}</source>'
               f'<target>{texts[2]}</target></trans-unit></body></file></xliff>')
    data = doc.encode("utf-8", "surrogatepass")
    cut = draw(st.integers(0, len(data)))
    return data if draw(st.booleans()) else data[:cut] + draw(st.binary(max_size=8))


@st.composite
def payloads(draw: st.DrawFn, fmt: str) -> bytes:
    """Mostly near-valid files of ``fmt``, sometimes raw bytes."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.binary(max_size=200))
    if fmt == "text":
        return "\n".join(draw(st.lists(CELLS, max_size=6))).encode("utf-8", "surrogatepass")
    if fmt in ("csv", "tsv"):
        return _table(draw, "," if fmt == "csv" else "\t", COLUMNS)
    if fmt == "mqm-tsv":
        return _table(draw, "\t", MQM_HEADER)
    if fmt == "jsonl":
        deep = st.integers(1, 5000).map(lambda n: '{"mt": "x", "k": ' + "[" * n + "]" * n + "}")
        lines = draw(st.lists(st.one_of(JSON_VALUES.map(json.dumps), CELL, deep), max_size=4))
        return "\n".join(lines).encode("utf-8", "surrogatepass")
    return _xml(draw, fmt)


def _snapshot(url: str) -> dict[str, int]:
    with open_store(url).read() as session:
        return {name: session.scalar(select(func.count()).select_from(table))
                for name, table in Base.metadata.tables.items()}


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{folder / 'fuzz.db'}"
    seed = folder / "seed.txt"
    seed.write_text("A first article.\n", encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["import", str(seed), "--db", url]) == 0
    return url, folder


READABLE = [name for name, f in FORMATS.items() if f.can_read]


@pytest.mark.parametrize("fmt", READABLE)
def test_every_import_format_exits_0_or_2_and_refusals_change_nothing(
        fuzz_db: tuple[str, Path], fmt: str) -> None:
    """A Hypothesis fuzz test per import format, through the CLI."""
    url, folder = fuzz_db

    @FUZZ
    @given(payloads(fmt))
    def run(data: bytes) -> None:
        path = folder / f"input.{fmt}"
        path.write_bytes(data)
        before = _snapshot(url)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["import", str(path), "--format", fmt, "--db", url])
        assert code in (0, 2)
        if code == 2:
            message = err.getvalue()
            assert message.startswith("error: ") and message.count("\n") == 1, message
            assert _snapshot(url) == before

    run()
