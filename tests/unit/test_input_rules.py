"""Inputs the readers used to take silently or with a traceback: lone surrogates, a key
given twice, byte-order marks and repeated headers mid-file, flag spans outside their text.
Each is refused with one line naming the line (or skipped with a note), on both databases.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from review.accounts.permissions import SYSTEM_ACTOR
from review.cli.main import main
from review.core.errors import InputError
from review.db.models import Article, Flag, Segment
from review.formats.base import ReadOptions
from review.services import Workbench

MQM_HEADER = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\tcomment\n"


def _counts(bench: Workbench) -> tuple[int, int]:
    with bench.store.read() as session:
        return (session.scalar(select(func.count()).select_from(Article)),
                session.scalar(select(func.count()).select_from(Segment)))


def _one_line(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message, message


@pytest.mark.parametrize("line", [
    r'{"mt": "half a pair \ud800 here"}',
    r'{"mt": "fine", "extra": {"k": "\udfff"}}',
    r'{"mt": "fine", "\ud83d": "key"}',
    r'{"mt": "fine", "flags": [{"category": "x", "severity": "Minor", "note": "\ud800"}]}',
])
def test_a_lone_surrogate_escape_is_refused_naming_its_line(any_bench: Workbench,
                                                            line: str) -> None:
    """It gave a UnicodeEncodeError traceback from the database driver."""
    data = ('{"mt": "First."}\n' + line + "\n").encode()
    with pytest.raises(InputError, match=r"line 2: .*surrogate") as err:
        any_bench.imports.import_file(SYSTEM_ACTOR, data, "x.jsonl", "jsonl")
    _one_line(str(err.value))
    assert _counts(any_bench) == (0, 0)


def test_a_surrogate_pair_escape_is_one_character(bench: Workbench) -> None:
    data = b'{"mt": "smile \\ud83d\\ude00"}\n'
    report = bench.imports.import_file(SYSTEM_ACTOR, data, "x.jsonl", "jsonl")
    assert bench.reading.article(SYSTEM_ACTOR,
                                 report.articles[0].id).rows[0].mt == "smile \U0001F600"


def test_saving_a_lone_surrogate_is_refused_on_both_backends(any_bench: Workbench) -> None:
    """The save service raised UnicodeEncodeError from the driver."""
    report = any_bench.imports.import_file(SYSTEM_ACTOR, b'{"mt": "Hello."}\n', "x.jsonl", "jsonl")
    row = any_bench.reading.article(SYSTEM_ACTOR, report.articles[0].id).rows[0]
    with pytest.raises(InputError, match=r"text holds a lone surrogate") as err:
        any_bench.editing.save_segment(SYSTEM_ACTOR, row.id, "Hel\ud800lo.", row.version)
    _one_line(str(err.value))
    after = any_bench.reading.article(SYSTEM_ACTOR, report.articles[0].id).rows[0]
    assert (after.current, after.version) == ("Hello.", row.version)


def test_a_lone_surrogate_from_the_command_line_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = tmp_path / "s.jsonl"
    src.write_text('{"mt": "ok"}\n{"mt": "bad \\udc00"}\n', encoding="utf-8")
    assert main(["import", str(src), "--db", f"sqlite:///{tmp_path / 'x.db'}"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 2" in err and "surrogate" in err, err


def test_a_key_given_twice_is_refused_naming_its_line(any_bench: Workbench) -> None:
    """The decoder kept the last value silently."""
    data = b'{"mt": "one"}\n{"mt": "first", "mt": "second"}\n'
    with pytest.raises(InputError, match=r"line 2: the key 'mt' appears twice") as err:
        any_bench.imports.import_file(SYSTEM_ACTOR, data, "x.jsonl", "jsonl")
    _one_line(str(err.value))
    assert _counts(any_bench) == (0, 0)


def test_a_key_twice_inside_a_csv_flags_cell_is_refused(bench: Workbench) -> None:
    flags = json.dumps([{"category": "x", "severity": "Minor"}]).replace(
        '"severity"', '"severity": "Major", "severity"')
    data = ("mt,flags\n" + 'Hello,"' + flags.replace('"', '""') + '"\n').encode()
    with pytest.raises(InputError, match=r"line 2: 'flags': the key 'severity' appears twice"):
        bench.imports.import_file(SYSTEM_ACTOR, data, "x.csv", "csv")


def test_a_byte_order_mark_mid_file_is_removed_from_ids_and_texts(any_bench: Workbench
                                                                  ) -> None:
    """Two files joined end to end: the second one's mark stayed in the id and the text."""
    data = ("\ufeffid,mt\nA1,First.\n" + "\ufeffid,mt\n" + "\ufeffA2,Sec\ufeffond.\n"
            ).encode()
    report = any_bench.imports.import_file(SYSTEM_ACTOR, data, "joined.csv", "csv")
    doc = any_bench.exports.document(SYSTEM_ACTOR, report.articles[0].id)
    assert [(s.external_id, s.mt) for s in doc.segments] == [("A1", "First."),
                                                             ("A2", "Second.")]


def test_a_repeated_header_row_is_skipped_with_a_note(any_bench: Workbench) -> None:
    """It became a segment whose text was the column name."""
    data = "id,source,mt\n1,一,One.\nid,source,mt\n2,二,Two.\nID,Source,MT\n3,三,Three.\n"
    report = any_bench.imports.import_file(SYSTEM_ACTOR, data.encode(), "joined.csv", "csv",
                                   ReadOptions(source_lang="zh"))
    rows = any_bench.reading.article(SYSTEM_ACTOR, report.articles[0].id).rows
    assert [r.mt for r in rows] == ["One.", "Two.", "Three."]
    assert any("2 row(s) repeating the header (lines 3, 5)" in n for n in report.notes), \
        report.notes


@pytest.mark.parametrize(("start", "end"), [(-5, 3), (2, 100_000), (4, 1), (None, 3),
                                            (3, None)])
def test_a_jsonl_flag_span_outside_its_text_is_refused(any_bench: Workbench, start: int | None,
                                                       end: int | None) -> None:
    """Spans like -5..3, 2..100000 and 4..1 were stored and exported as given."""
    flag = {"category": "Accuracy/Mistranslation", "severity": "Minor", "start": start,
            "end": end}
    data = (json.dumps({"mt": "Fine."}) + "\n"
            + json.dumps({"mt": "Eight ch", "flags": [flag]}) + "\n").encode()
    with pytest.raises(InputError, match=r"line 2: flag 1 .*span") as err:
        any_bench.imports.import_file(SYSTEM_ACTOR, data, "x.jsonl", "jsonl")
    _one_line(str(err.value))
    assert _counts(any_bench) == (0, 0)


def test_reversed_mqm_span_markers_are_refused_naming_the_line(any_bench: Workbench) -> None:
    """`</v>reversed<v>` gave the span (12, 8) on an 8-character text."""
    data = (MQM_HEADER
            + "sysA\tdoc1\t1\t1\trater1\t源文\tA <v>good</v> one\tFluency\tMinor\t\n"
            + "sysA\tdoc1\t2\t2\trater1\t源文\t</v>reversed<v>\tFluency\tMinor\t\n")
    with pytest.raises(InputError, match=r"line 3: the <v>\.\.\.</v> markers") as err:
        any_bench.imports.import_file(SYSTEM_ACTOR, data.encode(), "zhen.tsv", "mqm-tsv")
    _one_line(str(err.value))
    assert _counts(any_bench) == (0, 0)


def test_articles_in_memory_with_a_bad_span_are_refused(bench: Workbench) -> None:
    from review.formats.base import DocArticle, DocFlag, DocSegment

    doc = DocArticle(title="t", segments=[DocSegment(mt="Short.", flags=[
        DocFlag(category="Fluency", severity="Minor", start=0, end=50)])])
    with pytest.raises(InputError, match=r"segment 1: flag 1 .*0 <= start <= end <= 6"):
        bench.imports.import_articles(SYSTEM_ACTOR, [doc])
    with bench.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Flag)) == 0


@pytest.mark.parametrize(("start", "end"), [(-5, 2), (2, 100), (4, 1), (None, 3)])
def test_add_flag_refuses_a_span_outside_the_text(any_bench: Workbench, start: int | None,
                                                  end: int) -> None:
    report = any_bench.imports.import_file(SYSTEM_ACTOR, b'{"mt": "Hello."}\n', "x.jsonl", "jsonl")
    row = any_bench.reading.article(SYSTEM_ACTOR, report.articles[0].id).rows[0]
    with pytest.raises(InputError, match=r"span") as err:
        any_bench.flags.add_flag(SYSTEM_ACTOR, row.id, "Accuracy/Mistranslation", "Minor",
                           start=start, end=end)
    _one_line(str(err.value))
    with any_bench.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Flag).where(
            Flag.origin == "reviewer")) == 0
