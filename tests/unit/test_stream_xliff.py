"""XLIFF streams: each <file> is an article from its start tag on, each unit its segments as
soon as it ends; groups, notes, titles and refusals as when the whole file was read."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from review.core.errors import InputError
from review.formats.base import ReadOptions
from review.formats.xliff import FORMAT, NS12, NS20
from tests.conftest import REPO_DIR


def xliff12(*files: str) -> bytes:
    return (f'<?xml version="1.0"?>\n<xliff xmlns="{NS12}" version="1.2">\n' + "".join(files)
            + "</xliff>\n").encode("utf-8")


def file12(body: str, original: str = "", langs: str = 'source-language="zh"') -> str:
    attrs = f' original="{original}"' if original else ""
    return f'<file{attrs} {langs} datatype="plaintext"><body>\n{body}</body></file>\n'


def unit12(ident: str, source: str = "源", target: str = "Target") -> str:
    return (f'<trans-unit id="{ident}"><source>{source}</source>'
            f'<target state="translated">{target}</target><note>on {ident}</note></trans-unit>\n')


def stream(data: bytes, name: str | None = None, **options) -> list:
    source = io.BytesIO(data)
    if name:
        source.name = name
    return list(FORMAT.stream(source, ReadOptions(**options)))


def test_each_unit_is_yielded_before_the_rest_of_the_file_is_read() -> None:
    data = xliff12(file12("".join(unit12(f"u{n}") for n in range(5_000)), original="a.html"))
    source = io.BytesIO(data)
    pairs = FORMAT.stream(source, ReadOptions())
    article, first = next(pairs)
    assert source.tell() < len(data) // 5
    assert (article.title, article.source_lang, article.target_lang) == ("a.html", "zh", "en")
    assert (first.external_id, first.source, first.mt, first.status, first.notes) == (
        "u0", "源", "Target", "fixed", ["on u0"])
    rest = list(pairs)
    assert len(rest) == 4_999 and all(a is article for a, _ in rest)
    assert article.segments == [] and rest[-1][1].position == 4_999


def test_titles_are_numbered_once_a_second_file_starts() -> None:
    data = xliff12(file12(unit12("a")), file12(unit12("b"), original="b.html"),
                   file12(unit12("c")))
    pairs = FORMAT.stream(io.BytesIO(data), ReadOptions(title="Doc"))
    first, _ = next(pairs)
    assert first.title == "Doc"  # alone so far
    second, _ = next(pairs)
    third, _ = next(pairs)
    assert [first.title, second.title, third.title] == ["Doc (1)", "b.html", "Doc (3)"]
    [(article, _)] = stream(xliff12(file12(unit12("a"), original="a.html")), title="Mine")
    assert article.title == "Mine"
    [(article, _)] = stream(xliff12(file12(unit12("a"))), name="uploads/report.xlf")
    assert article.title == "report"


def test_groups_become_paragraphs_as_the_units_stream() -> None:
    body = ('<group id="g1">' + unit12("a") + unit12("b") + '<group id="g2">' + unit12("c")
            + "</group>" + unit12("d") + "</group>" + unit12("e") + "<group>" + unit12("f")
            + "</group><other>" + unit12("skipped") + "</other>")
    data = xliff12(f'<file original="f" source-language="zh">{unit12("top")}<body>{body}'
                   "</body></file>")
    pairs = stream(data)
    assert [(s.external_id, s.paragraph, s.position) for _, s in pairs] == [
        ("top", 0, 0), ("a", 1, 1), ("b", 1, 2), ("c", 2, 3), ("d", 3, 4), ("e", 4, 5),
        ("f", 5, 6)]


def test_xliff_20_units_notes_and_segments() -> None:
    data = (f'<xliff xmlns="{NS20}" version="2.0" srcLang="zh" trgLang="de"><file id="f">'
            '<group id="g"><unit id="u1"><notes><note>first only</note></notes>'
            '<originalData><data id="d1">&lt;b&gt;</data></originalData>'
            '<segment id="s1" state="final"><source>一<ph id="1" dataRef="d1"/></source>'
            '<target>One<ph id="1" dataRef="d1"/></target></segment>'
            "<segment><source>二</source></segment></unit></group>"
            '<unit id="u2"><segment><source>三</source></segment></unit>'
            '<unit id="empty"/></file></xliff>').encode()
    pairs = stream(data)
    assert [(s.external_id, s.source, s.mt, s.notes, s.status, s.paragraph)
            for _, s in pairs] == [
        ("u1/s1", "一{1/}", "One{1/}", ["first only"], "approved", 0),
        ("u1/2", "二", "", [], None, 0),
        ("u2", "三", "", [], None, 1)]
    article = pairs[0][0]
    assert (article.source_lang, article.target_lang) == ("zh", "de")
    assert pairs[0][1].meta["xliff"]["original_data"].startswith("<originalData")


def test_a_file_without_units_gives_no_article() -> None:
    data = xliff12(file12("", original="empty.html"), file12(unit12("a"), original="a.html"))
    assert [a.title for a in FORMAT.read(io.BytesIO(data), ReadOptions())] == ["a.html"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (f'<xliff xmlns="{NS12}" version="1.2"><other/></xliff>'.encode(),
         "has no <file> element"),
        (xliff12(file12(""), file12("<group/>")), "holds no translation unit"),
        (f'<xliff xmlns="{NS20}" version="2.0"><file><body><unit id="u"><segment><source>a'
         "</source></segment></unit></body></file></xliff>".encode(),
         "holds no translation unit"),
    ],
)
def test_what_needs_the_whole_file_is_refused_at_its_end(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        stream(data)


@pytest.mark.parametrize(
    ("root", "message"),
    [("<tmx>", "its root element is <tmx>, not <xliff>"),
     ('<xliff xmlns="urn:example" version="3.0">', "XLIFF version this tool does not read")],
)
def test_a_file_that_is_not_xliff_is_refused_before_it_is_read(root: str, message: str) -> None:
    data = root.encode() + b"<x>filler</x>" * 200_000 + f"</{root[1:].split()[0]}>".encode()
    source = io.BytesIO(data)
    with pytest.raises(InputError, match=message.replace("(", "\\(")):
        list(FORMAT.stream(source, ReadOptions()))
    assert source.tell() < 200_000


def test_a_bad_unit_deep_in_the_file_stops_the_stream_with_its_line() -> None:
    units = "".join(unit12(f"u{n}") for n in range(3_000))
    data = xliff12(file12(units + '<trans-unit id="bad"><source>{1} ⟦1⟧ <x id="1"/></source>'
                                  '</trans-unit>\n'))
    got = 0
    with pytest.raises(InputError, match="line 3004 \\(trans-unit 'bad'\\): the text contains"):
        for _ in FORMAT.stream(io.BytesIO(data), ReadOptions()):
            got += 1
    assert got == 3_000


CHILD = """
import json, sys
from review.formats.base import ReadOptions
from review.formats.xliff import FORMAT

count = 0
with open(sys.argv[1], "rb") as source:
    for article, segment in FORMAT.stream(source, ReadOptions()):
        count += 1
with open("/proc/self/status", encoding="ascii") as status:  # this process's own peak
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"units": count, "peak_kb": peak_kb}))
"""


def _peak(tmp_path: Path, groups: int) -> dict:
    """A 1.2 file of ``groups`` groups of five units (groups are freed too, not only units)."""
    path = tmp_path / f"{groups}.xlf"
    with path.open("w", encoding="utf-8") as out:
        out.write(xliff12().decode().replace("</xliff>\n", ""))
        out.write('<file original="f" source-language="zh"><body>\n')
        for group in range(groups):
            out.write(f'<group id="g{group}">' + "".join(
                f'<trans-unit id="u{group}.{n}"><source>源 <g id="1">{n}</g></source>'
                f"<target>Target {n}</target></trans-unit>" for n in range(5)) + "</group>\n")
        out.write("</body></file></xliff>\n")
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                          text=True, timeout=600, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    path.unlink()
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["units"] == groups * 5
    return result


@pytest.mark.system
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc")
def test_memory_stays_flat_however_many_units(tmp_path: Path) -> None:
    small, large = _peak(tmp_path, 2_000), _peak(tmp_path, 12_000)
    print(f"XLIFF stream peak: {small['peak_kb'] / 1024:.0f} MiB for 10,000 units, "
          f"{large['peak_kb'] / 1024:.0f} MiB for 60,000")
    assert large["peak_kb"] - small["peak_kb"] < 10 * 1024, (small, large)
