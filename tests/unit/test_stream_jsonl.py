"""JSONL streams: each line becomes an (article, segment) pair as it is read, and memory
stays flat however many lines come.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from review.core.errors import InputError
from review.formats.base import ReadOptions, collect
from review.formats.jsonl import FORMAT as JSONL
from review.formats.streams import HEAD_BYTES, MAX_RECORD_CHARS
from tests.unit.test_stream_table import CountingStream, peak_while_streaming


def lines(*records: dict) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def pairs(data: bytes, **options):
    return list(JSONL.stream(io.BytesIO(data), ReadOptions(**options)))


def test_lines_become_pairs_with_one_header_per_article() -> None:
    got = pairs(lines({"article": "B", "mt": "b1"}, {"article": "A", "mt": "a1"},
                      {"article": "B", "mt": "b2", "candidates": {"X": "x"}}), source_lang="zh")
    assert [(a.title, s.mt) for a, s in got] == [("B", "b1"), ("A", "a1"), ("B", "b2")]
    assert got[0][0] is got[2][0] and got[0][0] is not got[1][0]
    assert all(a.segments == [] and a.source_lang == "zh" for a, _ in got)
    assert got[2][1].candidates == {"X": "x"}
    [b, a] = collect(iter(got))
    assert [s.mt for s in b.segments] == ["b1", "b2"] and [s.position for s in b.segments] == [0, 1]


def test_the_first_pair_comes_before_the_file_is_read() -> None:
    data = lines(*({"id": str(i), "mt": f"segment {i}"} for i in range(50_000)))
    source = CountingStream(data)
    stream = JSONL.stream(io.BufferedReader(source), ReadOptions())
    assert next(stream)[1].mt == "segment 0"
    assert source.read_bytes <= 4 * HEAD_BYTES < len(data)
    assert sum(1 for _ in stream) == 49_999


def test_ids_repeated_within_an_article_stream_and_are_refused_by_collect() -> None:
    got = pairs(lines({"id": "1", "mt": "a"}, {"id": "1", "mt": "b"},
                      {"id": "1", "mt": "c", "article": "other"}))
    assert [s.external_id for _, s in got] == ["1", "1", "1"]
    with pytest.raises(InputError, match="id '1' appears twice \\(segments 1 and 2\\)"):
        collect(iter(got))


@pytest.mark.parametrize("data", [b"", b"\n", b"\n  \n\r\n"])
def test_a_file_without_objects_holds_no_segments_at_the_end_of_the_stream(data: bytes) -> None:
    stream = JSONL.stream(io.BytesIO(data), ReadOptions(origin="x.jsonl"))
    with pytest.raises(InputError, match="^x.jsonl holds no segments; nothing to import.$"):
        next(stream)


def test_a_bad_line_stops_the_stream_at_its_line_after_the_good_ones() -> None:
    stream = JSONL.stream(io.BytesIO(lines({"mt": "a"}) + b"\n{oops\n"), ReadOptions())
    assert next(stream)[1].mt == "a"
    with pytest.raises(InputError, match="line 3: not valid JSON"):
        next(stream)


def test_an_overlong_line_is_refused_at_its_line() -> None:
    huge = b'{"mt": "' + b"x" * (MAX_RECORD_CHARS + 10) + b'"}\n'
    with pytest.raises(InputError, match=f"line 2: the line is longer than "
                                         f"{MAX_RECORD_CHARS:,} characters"):
        pairs(lines({"mt": "a"}) + huge)


def test_a_line_at_the_bound_is_read() -> None:
    """The bound counts the line's characters, not its line break (``\\r\\n`` included)."""
    padding = MAX_RECORD_CHARS - len('{"mt": "a", "extra": ""}')
    record = ('{"mt": "a", "extra": "' + "y" * padding + '"}\r\n').encode()
    [(_, segment)] = pairs(record)
    assert len(segment.meta["columns"]["extra"]) == padding


def test_undecodable_bytes_after_the_head_in_a_legacy_encoding_report_their_line() -> None:
    body = "".join(json.dumps({"id": str(i), "source": f"欧盟峰会为难民政策争论 {i}"},
                              ensure_ascii=False) + "\n" for i in range(5_000))
    data = body.encode("gb18030") + b'{"mt": "bad \xff byte"}\n'
    assert len(data) > 2 * HEAD_BYTES
    with pytest.raises(InputError, match="line 5001: bytes that are not valid gb18030"):
        pairs(data)
    assert len(pairs(body.encode("gb18030"))) == 5_000


@pytest.mark.system
def test_200000_lines_stream_in_flat_memory(tmp_path: Path) -> None:
    small = peak_while_streaming(tmp_path, "jsonl", 50_000)
    large = peak_while_streaming(tmp_path, "jsonl", 200_000)
    growth_mib = (large["peak_kb"] - small["peak_kb"]) / 1024
    print(f"jsonl: peak {large['peak_kb'] / 1024:.0f} MiB for 200,000 lines, "
          f"{growth_mib:+.1f} MiB from 50,000")
    assert large["peak_kb"] < 300 * 1024, large
    assert growth_mib < 40, (small, large)
