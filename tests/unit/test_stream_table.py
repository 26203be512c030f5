"""CSV and TSV stream: each row becomes an (article, segment) pair as it is read, the text is
decoded chunk by chunk whatever its encoding, and memory stays flat however many rows come.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from review.core.errors import InputError
from review.formats.base import ReadOptions, collect
from review.formats.streams import HEAD_BYTES, MAX_FIELD_CHARS, open_text
from review.formats.table import CSV_FORMAT, TSV_FORMAT
from tests.conftest import REPO_DIR


class CountingStream(io.RawIOBase):
    """A file that counts the bytes read from it."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        self.read_bytes += len(chunk)
        return len(chunk)


def pairs(fmt, data: bytes | str, **options):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return list(fmt.stream(io.BytesIO(data), ReadOptions(**options)))


def test_rows_become_pairs_with_one_header_per_article_in_order_of_first_appearance() -> None:
    got = pairs(CSV_FORMAT, "article,id,mt\nB,1,b1\nA,1,a1\nB,2,b2\n", target_lang="de")
    assert [(a.title, s.external_id, s.mt) for a, s in got] == [
        ("B", "1", "b1"), ("A", "1", "a1"), ("B", "2", "b2")]
    assert got[0][0] is got[2][0] and got[0][0] is not got[1][0]
    assert all(a.segments == [] and a.target_lang == "de" for a, _ in got)
    [b, a] = collect(iter(got))
    assert [s.mt for s in b.segments] == ["b1", "b2"] and [s.mt for s in a.segments] == ["a1"]
    assert [s.position for s in b.segments] == [0, 1]


def test_the_first_pair_comes_before_the_file_is_read() -> None:
    rows = "".join(f"{i},segment number {i}\n" for i in range(100_000))
    source = CountingStream(("id,mt\n" + rows).encode("utf-8"))
    stream = CSV_FORMAT.stream(io.BufferedReader(source), ReadOptions())
    article, segment = next(stream)
    assert (segment.external_id, segment.mt) == ("0", "segment number 0")
    assert source.read_bytes <= 4 * HEAD_BYTES < len(rows)
    assert sum(1 for _ in stream) == 99_999


def test_ids_repeated_within_an_article_stream_and_are_refused_by_collect() -> None:
    """The importer checks ids against what it stored; ``collect`` does for in-memory reads."""
    got = pairs(CSV_FORMAT, "id,mt\n1,a\n2,b\n1,c\n")
    assert [s.external_id for _, s in got] == ["1", "2", "1"]
    with pytest.raises(InputError, match="id '1' appears twice \\(segments 1 and 3\\)"):
        collect(iter(got))


@pytest.mark.parametrize("fmt", [CSV_FORMAT, TSV_FORMAT])
@pytest.mark.parametrize("body", ["", "\n", "\n\n\n"])
def test_a_file_without_rows_holds_no_segments_at_the_end_of_the_stream(fmt, body) -> None:
    stream = fmt.stream(io.BytesIO(f"mt{body}".encode()), ReadOptions(origin="x.csv"))
    with pytest.raises(InputError, match="^x.csv holds no segments; nothing to import.$"):
        next(stream)


def test_an_empty_file_is_empty() -> None:
    with pytest.raises(InputError, match="is empty; nothing to import"):
        pairs(CSV_FORMAT, b"")


def test_a_bad_row_stops_the_stream_at_its_line_after_the_good_ones() -> None:
    stream = CSV_FORMAT.stream(io.BytesIO(b"mt,kind\na,body\nb,footer\n"), ReadOptions())
    assert next(stream)[1].mt == "a"
    with pytest.raises(InputError, match="line 3: kind 'footer'"):
        next(stream)


def test_an_overlong_cell_is_refused_at_its_line() -> None:
    long = "x" * 12_001
    with pytest.raises(InputError, match="line 3: a segment of 12,001 characters"):
        pairs(CSV_FORMAT, f"mt\nshort\n{long}\n")


def test_an_unclosed_quote_stops_at_the_cell_bound_and_names_the_row() -> None:
    rows = "".join(f"row {i}\n" for i in range(300_000))  # 3 MB after the open quote
    with pytest.raises(InputError) as err:
        pairs(CSV_FORMAT, f'mt\nfirst\n"open quote\n{rows}')
    assert f"line 3: a cell is longer than {MAX_FIELD_CHARS:,} characters" in str(err.value)
    assert "quote left open" in str(err.value)


def _gb18030_rows(count: int) -> bytes:
    rows = "".join(f"{i},欧盟峰会为难民政策争论 {i}\n" for i in range(count))
    return ("id,source\n" + rows).encode("gb18030")


def test_a_legacy_encoding_is_detected_from_the_head_and_decoded_as_it_streams() -> None:
    data = _gb18030_rows(20_000)
    assert len(data) > 8 * HEAD_BYTES
    source = CountingStream(data)
    stream = CSV_FORMAT.stream(io.BufferedReader(source), ReadOptions())
    assert next(stream)[1].source == "欧盟峰会为难民政策争论 0"
    assert source.read_bytes <= 4 * HEAD_BYTES
    last = list(stream)[-1][1]
    assert (last.external_id, last.source) == ("19999", "欧盟峰会为难民政策争论 19999")


def test_the_head_may_end_inside_a_character() -> None:
    rows = "".join(f"欧盟峰会为难民政策争论{i}\n" for i in range(10_000))
    for pad in range(1, 5):
        data = ("mt\n" + "x" * pad + "\n" + rows).encode("gb18030")
        try:
            data[:HEAD_BYTES].decode("gb18030")
        except UnicodeDecodeError:
            break  # the head ends inside a two-byte character
    else:
        pytest.fail("no padding puts the end of the head inside a character")
    got = pairs(CSV_FORMAT, data)
    assert len(got) == 10_001 and got[-1][1].mt == "欧盟峰会为难民政策争论9999"


LEGACY = [
    ("latin-1", "Le café est très bon à Paris, où les élèves étudient."),
    ("cp1251", "Привет, как дела? Всё хорошо, спасибо большое."),
    ("shift_jis", "こんにちは、世界。今日はいい天気ですね。"),
    ("gb18030", "欧盟峰会为难民政策争论，欧盟官员：接收过程步步瓶颈"),
    ("utf-16", "Grüße aus München, 欧盟峰会"),
]


@pytest.mark.parametrize("rows", [1, 5_000])
@pytest.mark.parametrize(("encoding", "sentence"), LEGACY, ids=[e for e, _ in LEGACY])
def test_legacy_encodings_are_detected_in_small_and_large_files(encoding: str, sentence: str,
                                                                rows: int) -> None:
    text = "id\tmt\n" + "".join(f"{i}\t{sentence}\n" for i in range(rows))
    got = pairs(TSV_FORMAT, text.encode(encoding))
    assert len(got) == rows
    assert {segment.mt for _, segment in got} == {sentence}


def test_undecodable_bytes_after_the_head_in_a_legacy_encoding_report_their_line() -> None:
    data = _gb18030_rows(10_000) + b"99999,bad \xff byte\n"
    with pytest.raises(InputError, match="line 10002: bytes that are not valid gb18030"):
        pairs(CSV_FORMAT, data)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_streams(encoding: str) -> None:
    text = "id\tmt\n" + "".join(f"{i}\tline {i} – “quoted”\n" for i in range(20_000))
    got = pairs(TSV_FORMAT, text.encode(encoding))
    assert len(got) == 20_000 and got[-1][1].mt == "line 19999 – “quoted”"


def test_utf16_with_a_byte_order_mark_streams() -> None:
    text = "mt\n" + "".join(f"line {i}\n" for i in range(20_000))
    got = pairs(CSV_FORMAT, codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert len(got) == 20_000 and got[0][1].mt == "line 0"


def test_binary_after_a_legacy_head_is_refused() -> None:
    with pytest.raises(InputError, match="looks binary"):
        pairs(CSV_FORMAT, b"mt\n" + bytes(range(1, 32)) * 100 + b"\xff")


def test_open_text_reads_a_legacy_file_in_chunks() -> None:
    source = CountingStream(_gb18030_rows(20_000))
    text = open_text(io.BufferedReader(source))
    assert text.readline() == "id,source\n"
    assert source.read_bytes <= 4 * HEAD_BYTES
    assert text.encoding == "gb18030"


# --------------------------------------------------------------------------- memory

CHILD = """
import json, resource, sys
from review.formats.base import ReadOptions
from review.formats.jsonl import FORMAT as JSONL
from review.formats.table import CSV_FORMAT, TSV_FORMAT

def peak_kb():
    # VmHWM: this process's own peak; ru_maxrss may carry the parent's from before exec.
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

fmt = {"csv": CSV_FORMAT, "tsv": TSV_FORMAT, "jsonl": JSONL}[sys.argv[1]]
count, articles = 0, set()
with open(sys.argv[2], "rb") as stream:
    for article, segment in fmt.stream(stream, ReadOptions()):
        count += 1
        articles.add(id(article))
print(json.dumps({"rows": count, "articles": len(articles), "peak_kb": peak_kb()}))
"""


def write_rows(path: Path, fmt: str, rows: int) -> Path:
    """``rows`` segments in three interleaved articles, with ids, sources and candidates."""
    keys = ["article", "id", "source", "mt", "corrected", "system:B"]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n",
                            quoting=csv.QUOTE_NONE if fmt == "tsv" else csv.QUOTE_MINIMAL)
        if fmt != "jsonl":
            writer.writerow(keys)
        for i in range(rows):
            cells = [f"part {i % 3}", str(i), f"源文本第 {i} 句，讲的是经济。",
                     f"Target sentence number {i}, about the economy.",
                     f"Corrected sentence {i}." if i % 2 else "", f"Candidate {i}."]
            if fmt == "jsonl":
                out.write(json.dumps(dict(zip(keys, cells)), ensure_ascii=False) + "\n")
            else:
                writer.writerow(cells)
    return path


def peak_while_streaming(tmp_path: Path, fmt: str, rows: int) -> dict:
    path = write_rows(tmp_path / f"{rows}.{fmt}", fmt, rows)
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR)}
    done = subprocess.run([sys.executable, "-c", CHILD, fmt, str(path)], capture_output=True,
                          text=True, timeout=300, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["rows"], result["articles"]) == (rows, 3)
    return result


@pytest.mark.system
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_200000_rows_stream_in_flat_memory(tmp_path: Path, fmt: str) -> None:
    small = peak_while_streaming(tmp_path, fmt, 50_000)
    large = peak_while_streaming(tmp_path, fmt, 200_000)
    growth_mib = (large["peak_kb"] - small["peak_kb"]) / 1024
    print(f"{fmt}: peak {large['peak_kb'] / 1024:.0f} MiB for 200,000 rows, "
          f"{growth_mib:+.1f} MiB from 50,000")
    assert large["peak_kb"] < 300 * 1024, large
    assert growth_mib < 40, (small, large)
