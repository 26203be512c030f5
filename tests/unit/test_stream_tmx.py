"""TMX streams: each <tu> is a segment as soon as it ends, and memory stays flat however many
units the file holds."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from review.core.errors import InputError
from review.formats import tmx
from review.formats.base import ReadOptions
from review.formats.tmx import FORMAT
from tests.conftest import REPO_DIR

HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
          '<tmx version="1.4"><header srclang="{srclang}" adminlang="en" segtype="sentence" '
          'datatype="plaintext" o-tmf="x" creationtool="x" creationtoolversion="1"/>\n<body>\n')
FOOTER = "</body></tmx>\n"


def tu(number: int, source: str = "en", target: str | None = "de") -> str:
    tuvs = f'<tuv xml:lang="{source}"><seg>Sentence {number}, <hi>bold</hi>.</seg></tuv>'
    if target:
        tuvs += f'<tuv xml:lang="{target}"><seg>Satz {number}.<ph>&lt;br/&gt;</ph></seg></tuv>'
    return (f'<tu tuid="t{number}" changeid="ann" changedate="20261129T213507Z">'
            f'<prop type="x-status">fixed</prop><note>n{number}</note>{tuvs}</tu>\n')


def document(body: str, srclang: str = "en") -> bytes:
    return (HEADER.format(srclang=srclang) + body + FOOTER).encode("utf-8")


def stream(data: bytes | io.BytesIO, **options) -> list:
    source = data if isinstance(data, io.BytesIO) else io.BytesIO(data)
    return list(FORMAT.stream(source, ReadOptions(**options)))


def test_each_unit_is_yielded_before_the_rest_of_the_file_is_read() -> None:
    data = document("".join(tu(n) for n in range(5_000)))
    source = io.BytesIO(data)
    pairs = FORMAT.stream(source, ReadOptions())
    article, first = next(pairs)
    assert source.tell() < len(data) // 10
    assert (first.source, first.mt, first.external_id) == (
        "Sentence 0, {1}bold{/1}.", "Satz 0.{2/}", "t0")
    assert (first.notes, first.status, first.changed_by) == (["n0"], "fixed", "ann")
    assert first.changed_at == "2026-11-29T21:35:07+00:00"
    rest = list(pairs)
    assert len(rest) == 4_999
    assert all(a is article for a, _ in rest) and article.segments == []
    assert [s.position for _, s in rest[:3]] == [1, 2, 3]
    assert (article.source_lang, article.target_lang) == ("en", "de")


def test_the_target_language_comes_from_the_first_unit_that_has_one() -> None:
    data = document(tu(1, target=None) + tu(2, target="fr-FR") + tu(3, target="de"))
    pairs = FORMAT.stream(io.BytesIO(data), ReadOptions())
    article, _ = next(pairs)
    assert article.target_lang == "en"  # not known yet: the importer reads it at the end
    next(pairs)
    assert article.target_lang == "fr-FR"
    next(pairs)
    assert article.target_lang == "fr-FR"
    [(article, segment)] = stream(data, target_lang="de")[2:]
    assert (article.target_lang, segment.mt) == ("de", "Satz 3.{2/}")


def test_the_source_language_from_the_header_else_the_first_unit() -> None:
    [(article, _)] = stream(document(tu(1, source="zh"), srclang="zh"))
    assert article.source_lang == "zh"
    pairs = stream(document(tu(1, source="ja") + tu(2, source="ja"), srclang="*all*"))
    assert pairs[0][0].source_lang == "ja"
    with pytest.raises(InputError, match="line 6: no <tuv> in the source language 'ja'"):
        stream(document(tu(1, source="ja") + tu(2, source="en"), srclang="*all*"))


def test_units_outside_the_first_body_are_left_out() -> None:
    data = (HEADER.format(srclang="en") + tu(1) + "<extra>" + tu(2) + "</extra>" + FOOTER
            + "").encode("utf-8")
    data = data.replace(b"</body></tmx>", b"</body><body>" + tu(3).encode() + b"</body></tmx>")
    assert [s.external_id for _, s in stream(data)] == ["t1"]


def test_duplicate_tuids_are_the_importers_to_refuse() -> None:
    data = document(tu(1) + tu(1))
    assert [s.external_id for _, s in stream(data)] == ["t1", "t1"]
    with pytest.raises(InputError, match="id 't1' appears twice \\(segments 1 and 2\\)"):
        list(FORMAT.read(io.BytesIO(data), ReadOptions()))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<tmx version='1.4'><header srclang='en'/></tmx>", "has no <body>"),
        (b"<tmx version='1.4'><header srclang='en'/><x><body>" + tu(1).encode()
         + b"</body></x></tmx>", "has no <body>"),
        (b"<tmx><header srclang='en'/><body>\n</body></tmx>", "holds no translation unit"),
    ],
)
def test_what_needs_the_whole_file_is_refused_at_its_end(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        stream(data)


def test_a_file_that_is_not_tmx_is_refused_before_it_is_read() -> None:
    data = b"<xliff>" + b"<x>filler</x>" * 200_000 + b"</xliff>"
    source = io.BytesIO(data)
    with pytest.raises(InputError, match="its root element is <xliff>, not <tmx>"):
        stream(source)
    assert source.tell() < 200_000


def test_broken_xml_deep_in_the_file_stops_the_stream_with_its_line() -> None:
    data = document("".join(tu(n) for n in range(2_000)) + "<tu><tuv></tu>\n")
    pairs = FORMAT.stream(io.BytesIO(data), ReadOptions())
    got = 0
    with pytest.raises(InputError, match="not well-formed XML \\(line 2005: Opening and ending"):
        for _ in pairs:
            got += 1
    assert 0 < got <= 2_000  # not those parsed from the chunk that holds the error


def test_the_file_may_be_larger_than_the_whole_document_limit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """TMX streams, so it has the streaming formats' limit; past it the stream stops."""
    from review.formats.base import MAX_IMPORT_BYTES, MAX_TABLE_IMPORT_BYTES

    assert tmx.MAX_TABLE_IMPORT_BYTES == MAX_TABLE_IMPORT_BYTES > MAX_IMPORT_BYTES
    monkeypatch.setattr(tmx, "MAX_TABLE_IMPORT_BYTES", 200_000)
    with pytest.raises(InputError, match="is larger than the .* MB limit"):
        stream(document("".join(tu(n) for n in range(5_000))))


CHILD = """
import json, sys
from review.formats.base import ReadOptions
from review.formats.tmx import FORMAT

count = 0
with open(sys.argv[1], "rb") as source:
    for article, segment in FORMAT.stream(source, ReadOptions()):
        count += 1
with open("/proc/self/status", encoding="ascii") as status:  # this process's own peak
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"units": count, "segments_kept": len(article.segments), "peak_kb": peak_kb}))
"""


def _peak(tmp_path: Path, units: int) -> dict:
    path = tmp_path / f"{units}.tmx"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER.format(srclang="en"))
        for n in range(units):
            out.write(f'<tu tuid="t{n}"><tuv xml:lang="en"><seg>Sentence number {n}.</seg></tuv>'
                      f'<tuv xml:lang="de"><seg>Satz Nummer {n}.</seg></tuv></tu>\n')
        out.write(FOOTER)
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                          text=True, timeout=600, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    path.unlink()
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["units"], result["segments_kept"]) == (units, 0)
    return result


@pytest.mark.system
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc")
def test_memory_stays_flat_however_many_units(tmp_path: Path) -> None:
    """200,000 units (a 24 MB file) peak under 300 MiB, and 150,000 more units than 50,000
    cost under 40 MiB: nothing per unit is kept (the whole tree took over 2 KiB a unit)."""
    small, large = _peak(tmp_path, 50_000), _peak(tmp_path, 200_000)
    growth_kb = large["peak_kb"] - small["peak_kb"]
    print(f"TMX stream peak: {small['peak_kb'] / 1024:.0f} MiB for 50,000 units, "
          f"{large['peak_kb'] / 1024:.0f} MiB for 200,000")
    assert large["peak_kb"] < 300 * 1024, large
    assert growth_kb < 40 * 1024, (small, large)
