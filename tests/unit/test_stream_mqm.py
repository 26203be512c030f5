"""The MQM TSV reader streams its segments in bounded memory through a SQLite spool.

One segment's rows are spread through the whole file, so the reader spools every parsed row to
a temporary SQLite file and reads the segments back one by one. These tests pin what it yields
to what the in-memory reader it replaced gave, show that the spool is deleted however the
stream ends, and measure peak memory on a 200,000-row file in a subprocess.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pytest

from review.core.errors import InputError
from review.formats.base import WARNINGS_KEY, DocArticle, DocSegment, ReadOptions
from review.formats.mqm_tsv import FORMAT

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("REVIEW_SHARED_DATA") or ROOT.parent / "shared" / "data")
HEADER = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\tcomment\n"


def fingerprint(pairs: Iterable[tuple[DocArticle, DocSegment]]) -> str:
    """A digest of everything a segment stream carries: headers, segments, flags."""
    digest = hashlib.sha256()
    for article, seg in pairs:
        record = [article.title, article.source_lang, article.target_lang, article.mt_system,
                  article.origin, article.meta, seg.external_id, seg.position, seg.paragraph,
                  seg.source, seg.mt, seg.reference, list(seg.candidates.items()), seg.meta,
                  [[f.category, f.severity, f.start, f.end, f.note, f.author, f.target,
                    f.origin, f.span_in, f.state] for f in seg.flags]]
        digest.update(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
    return digest.hexdigest()[:16]


def stream_of(data: bytes, name: str | None = None, **options) -> list[tuple]:
    stream = io.BytesIO(data)
    if name:
        stream.name = name  # readers guess the languages from the file's name
    return list(FORMAT.stream(stream, ReadOptions(**options)))


# Digests of what the in-memory reader (before the spool) gave for these files, each read
# three ways: named after its file; with an origin and a source language given; unnamed (the
# languages guessed from the script of the first segments).
IN_MEMORY = {
    "tests/data/mqm/wmt21-ted-ende-mqm.tsv": (
        "a7504bbf61051104", "ae5c82d80dbf8b2f", "6d6f8bdf3060a3eb", 529),
    "tests/data/formats/wmt21-ted-ende-extract.tsv": (
        "7bbdc0f0a71f5261", "9bf5ba70efdfee3b", "6c738bce7f76ddc5", 101),
    "tests/data/mqm/wmt23-zhen-scoring-sample.tsv": (
        "69f1f51dec1f4fd8", "919d4284d3523963", "69f1f51dec1f4fd8", 4),
    "samples/wmt23/wmt23-zhen-sample.tsv": (
        "8e4e8b7275f2343e", "4af1be5be12a710a", "8e4e8b7275f2343e", 30),
}
FULL_WMT23 = ("3bed193029ee10b5", "6d74cf62c1ea58da", "3bed193029ee10b5", 377)


def _check_against_in_memory(path: Path, expected: tuple[str, str, str, int]) -> None:
    data = path.read_bytes()
    named, with_options, unnamed, segments = expected
    pairs = stream_of(data, path.name)
    assert len(pairs) == segments
    assert fingerprint(pairs) == named
    assert fingerprint(stream_of(data, path.name, origin="x.tsv", source_lang="fr")) == (
        with_options)
    assert fingerprint(stream_of(data)) == unnamed


@pytest.mark.parametrize("name", sorted(IN_MEMORY))
def test_the_stream_equals_the_in_memory_reader(name: str) -> None:
    _check_against_in_memory(ROOT / name, IN_MEMORY[name])


@pytest.mark.system
@pytest.mark.skipif(not (SHARED / "wmt23-zhen-sxs-mqm.tsv.tar.gz").is_file(),
                    reason="the full WMT files live in ../shared/data")
def test_the_stream_equals_the_in_memory_reader_on_the_full_wmt23_archive() -> None:
    _check_against_in_memory(SHARED / "wmt23-zhen-sxs-mqm.tsv.tar.gz", FULL_WMT23)


def test_read_collects_the_stream() -> None:
    name = "tests/data/formats/wmt21-ted-ende-extract.tsv"
    data = (ROOT / name).read_bytes()
    articles = list(FORMAT.read(io.BytesIO(gzip.compress(data)), ReadOptions()))
    pairs = [(article, seg) for article in articles for seg in article.segments]
    assert fingerprint(pairs) == IN_MEMORY[name][2]


def _row(system: str, doc: str, seg: int, rater: str = "r1", target: str = "",
         category: str = "No-error", severity: str = "No-error") -> str:
    target = target or f"{doc} {seg} by {system}"
    return f"{system}\t{doc}\t{seg}\t{seg}\t{rater}\tsrc {doc} {seg}\t{target}\t{category}\t" \
           f"{severity}\t\n"


INTERLEAVED = HEADER + "".join([
    _row("sysB", "d2", 3), _row("sysA", "d1", 2), _row("sysA", "d2", 1),
    _row("ref", "d1", 1), _row("sysB", "d1", 2, "r2", "<v>d1</v> 2 by sysB", "Odd/Thing",
                               "Minor"),
    _row("sysA", "d1", 1), _row("sysB", "d2", 1, "r2"), _row("sysA", "d2", 3),
])


def test_segments_come_by_document_then_number_each_article_one_header() -> None:
    pairs = stream_of(INTERLEAVED.encode("utf-8"), "a.tsv")
    assert [(a.title, s.external_id) for a, s in pairs] == [
        ("d2", "1"), ("d2", "3"), ("d1", "1"), ("d1", "2")]
    d2, d1 = pairs[0][0], pairs[2][0]
    assert pairs[1][0] is d2 and pairs[3][0] is d1  # one header object per article
    assert d2.segments == [] and d1.segments == []  # segments travel alone
    assert [s.position for _, s in pairs] == [0, 1, 0, 1]
    assert d1.mt_system == "sysA"
    seg = pairs[2][1]
    assert seg.candidates == {"ref": "d1 1 by ref", "sysA": "d1 1 by sysA"}
    assert seg.reference == "d1 1 by ref"
    flag = pairs[3][1].flags[1]
    assert (flag.target, flag.author, flag.start, flag.end) == ("sysB", "r2", 0, 2)
    warning = ("1 row(s) have an unfamiliar MQM category: 'Odd/Thing' ×1 (first on line 6); "
               "imported, weighted by severity")
    assert d2.meta[WARNINGS_KEY] == d1.meta[WARNINGS_KEY] == [warning]


def test_every_file_error_comes_before_the_first_segment() -> None:
    bad_last_row = INTERLEAVED + "sysA\td1\t9\t9\tr1\tsrc\n"
    stream = FORMAT.stream(io.BytesIO(bad_last_row.encode("utf-8")), ReadOptions())
    with pytest.raises(InputError, match="line 10: expected 10 tab-separated fields, found 6"):
        next(stream)
    unknown_severity = INTERLEAVED + _row("sysA", "d1", 9, severity="Majr")
    stream = FORMAT.stream(io.BytesIO(unknown_severity.encode("utf-8")), ReadOptions())
    with pytest.raises(InputError, match="'Majr' ×1 \\(first on line 10\\)"):
        next(stream)


@pytest.fixture
def spool_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the spool's temporary directory goes into."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_the_spool_is_a_temporary_sqlite_file_deleted_at_the_end(spool_root: Path) -> None:
    stream = FORMAT.stream(io.BytesIO(INTERLEAVED.encode("utf-8")), ReadOptions())
    assert list(spool_root.iterdir()) == []  # nothing happens before the first segment
    next(stream)
    [folder] = spool_root.iterdir()
    assert [p.name for p in folder.iterdir()] == ["spool.sqlite3"]
    assert len(list(stream)) == 3
    assert list(spool_root.iterdir()) == []


def test_the_spool_is_deleted_when_the_stream_is_closed_early(spool_root: Path) -> None:
    stream = FORMAT.stream(io.BytesIO(INTERLEAVED.encode("utf-8")), ReadOptions())
    next(stream)
    assert len(list(spool_root.iterdir())) == 1
    stream.close()
    assert list(spool_root.iterdir()) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (INTERLEAVED + "sysA\td1\t9\t9\tr1\tsrc\n", "expected 10 tab-separated fields"),
        (INTERLEAVED + _row("sysA", "d1", 9, severity="Majr"), "weigh 0"),
        (gzip.compress((ROOT / "tests/data/formats/wmt21-ted-ende-extract.tsv").read_bytes()
                       )[:5000], "could not be unpacked"),
    ],
)
def test_the_spool_is_deleted_when_the_file_is_refused(spool_root: Path, data: str | bytes,
                                                       message: str) -> None:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with pytest.raises(InputError, match=message):
        stream_of(raw)
    assert list(spool_root.iterdir()) == []


SYSTEMS = 10


def write_mqm(path: Path, rows: int) -> None:
    """``rows`` rows: ``rows / 10`` segments in documents of 100, each rated once for each of
    ten systems; system by system, so every segment's rows span the whole file."""
    segments = rows // SYSTEMS
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for system in range(SYSTEMS):
            for n in range(segments):
                marked = n % 3 == 0
                target = (f"Translation {n} by system {system}, with an <v>error</v> in it."
                          if marked else f"Translation {n} by system {system}.")
                label = "Accuracy/Mistranslation\tMajor" if marked else "No-error\tNo-error"
                out.write(f"sys{system}\tdoc{n // 100}\t{n % 100 + 1}\t{n + 1}\trater{n % 7}\t"
                          f"Source sentence number {n} of the test.\t{target}\t{label}\t\n")


# Linux's ru_maxrss counts the parent's pages at fork (a big pytest process inflates it), so
# the peak is read from /proc where there is one: VmHWM is this program's own high-water mark.
_MEASURE = """
import pathlib, resource, sys
from review.formats.base import ReadOptions
from review.formats.mqm_tsv import FORMAT

segments = flags = 0
with open(sys.argv[1], "rb") as stream:
    for article, segment in FORMAT.stream(stream, ReadOptions(source_lang="en",
                                                              target_lang="de")):
        segments += 1
        flags += len(segment.flags)
status = pathlib.Path("/proc/self/status")
if status.is_file():
    [line] = [l for l in status.read_text().splitlines() if l.startswith("VmHWM:")]
    peak = int(line.split()[1]) / 2**10
else:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # macOS: bytes
print(segments, flags, peak)
"""


def _peak_mib(path: Path, rows: int) -> float:
    """Peak resident MiB of a fresh interpreter that streams ``path``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=600, check=True)
    segments, flags, peak = result.stdout.split()
    assert (int(segments), int(flags)) == (rows // SYSTEMS, rows)
    return float(peak)


@pytest.mark.system
@pytest.mark.skipif(sys.platform == "win32", reason="peak RSS through the resource module")
def test_a_200000_row_file_streams_in_bounded_memory(tmp_path: Path) -> None:
    small, large = tmp_path / "50k.tsv", tmp_path / "200k.tsv"
    write_mqm(small, 50_000)
    write_mqm(large, 200_000)
    small_peak = _peak_mib(small, 50_000)
    large_peak = _peak_mib(large, 200_000)
    assert large_peak < 300, f"peak {large_peak:.0f} MiB for 200,000 rows"
    assert large_peak - small_peak < 40, (
        f"peak {small_peak:.0f} MiB for 50,000 rows, {large_peak:.0f} MiB for 200,000")
