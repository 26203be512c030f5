"""JSON Lines import/export."""

from __future__ import annotations

import io
import json

import pytest

from review.core.errors import InputError
from review.formats.base import DocArticle, DocFlag, DocSegment, ReadOptions, WriteOptions
from review.formats.jsonl import FORMAT as JSONL


def read(data: str, **options) -> list[DocArticle]:
    return list(JSONL.read(io.BytesIO(data.encode("utf-8")), ReadOptions(**options)))


def test_reads_objects_with_candidates_in_either_form() -> None:
    data = "\n".join([
        json.dumps({"id": "1", "source": "你好", "target": "Hello",
                    "candidates": {"GPT4": "Hi"}, "system:NLLB": "Hey", "paragraph": 2,
                    "flags": [{"category": "Style/Awkward", "severity": "Minor"}],
                    "notes": ["a note"], "extra": {"k": 1}}, ensure_ascii=False),
        "",
        json.dumps({"id": "2", "mt": "World", "corrected": None}),
    ])
    [article] = read(data, title="Doc")
    first, second = article.segments
    assert (first.external_id, first.source, first.mt, first.paragraph) == ("1", "你好", "Hello", 2)
    assert first.candidates == {"GPT4": "Hi", "NLLB": "Hey"}
    assert first.flags == [DocFlag("Style/Awkward", "Minor")]
    assert first.notes == ["a note"]
    assert first.meta == {"columns": {"extra": {"k": 1}}}
    assert (second.mt, second.corrected, second.position) == ("World", None, 1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"mt": "a"}\n{"mt": "b"\n', "line 2: not valid JSON"),
        ('{"mt": "a"}\n[1, 2]\n', "line 2: each line must be a JSON object"),
        ('{"english": "a"}\n', "line 1 has no 'mt' key \\(found: 'english'\\)"),
        ('{"mt": 5.5, "id": "x"}\n', "'mt' must be a string"),
        ('{"mt": "a", "candidates": ["x"]}\n', "'candidates' must map system names"),
        ('{"id": "1", "mt": "a"}\n{"id": "1", "mt": "b"}\n',
         "id '1' appears twice \\(segments 1 and 2\\)"),
        ('{"mt": "a", "flags": [{"category": "X", "severity": "Minor", "start": "0"}]}\n',
         "flag 'start' must be a whole number"),
        ("\n\n", "holds no segments"),
    ],
)
def test_malformed_lines_report_the_line(data: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read(data)


def test_export_writes_one_object_per_segment_and_reads_back() -> None:
    article = DocArticle(title="T", segments=[
        DocSegment(mt="a\nb \u2028 \"c\"", source="源", candidates={"X": "x"}, external_id="k",
                   flags=[DocFlag("Accuracy/Omission", "Major", None, None, note="n",
                                  author="r1", target="X", span_in="source")]),
        DocSegment(mt="footer", kind="metadata", position=1),
    ])
    out = io.BytesIO()
    JSONL.write([article], out, WriteOptions())
    lines = out.getvalue().decode("utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["candidates"] == {"X": "x"} and record["article"] == "T"
    [back] = read(out.getvalue().decode("utf-8"))
    assert back.segments[0].mt == article.segments[0].mt
    assert back.segments[0].flags == article.segments[0].flags
    assert back.segments[0].candidates == {"X": "x"}
