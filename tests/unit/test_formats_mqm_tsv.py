"""WMT / Marot MQM TSV: both variants, archives, spans, export and read-back.

Expected counts were computed once with an independent pandas read of the same files
(``pd.read_csv(sep="\\t", quoting=csv.QUOTE_NONE)``) and are written here as literals.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from collections import Counter
from pathlib import Path

import pytest

from review.core.errors import InputError
from review.formats.base import DocArticle, DocFlag, DocSegment, ReadOptions, WriteOptions
from review.formats.mqm_tsv import FORMAT, PLAIN_COLUMNS, is_reference, mark, unmark
from review.formats.mqm_tsv.reader import _languages_from_name as languages_from_name

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "samples" / "wmt23" / "wmt23-zhen-sample.tsv"
TED = ROOT / "tests" / "data" / "formats" / "wmt21-ted-ende-extract.tsv"
SHARED = ROOT.parent / "shared" / "data"

WMT23_SYSTEMS = ["GPT4-5shot", "HW-TSC", "IOL_Research", "Lan-BridgeMT", "NLLB_Greedy",
                 "NLLB_MBR_BLEU", "ONLINE-A", "ONLINE-B", "ONLINE-M", "ONLINE-W"]
TED_SYSTEMS = ["Facebook-AI", "HuaweiTSC", "Nemo", "Online-W", "UEdin", "VolcTrans-AT",
               "VolcTrans-GLAT", "eTranslation", "metricsystem1", "metricsystem2",
               "metricsystem3", "metricsystem4", "metricsystem5", "ref"]


def read_path(path: Path, **options) -> list[DocArticle]:
    with path.open("rb") as stream:
        return list(FORMAT.read(stream, ReadOptions(**options)))


def read_bytes(data: bytes | str, **options) -> list[DocArticle]:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return list(FORMAT.read(io.BytesIO(data), ReadOptions(**options)))


def summary(articles: list[DocArticle]) -> dict:
    flags = [f for a in articles for s in a.segments for f in s.flags]
    return {
        "docs": len(articles),
        "segments": sum(len(a.segments) for a in articles),
        "systems": sorted({name for a in articles for s in a.segments for name in s.candidates}),
        "rows": len(flags),
        "no_error": sum(f.severity == "No-error" for f in flags),
        "major": sum(f.severity == "Major" for f in flags),
        "source_spans": sum(f.span_in == "source" and f.start is not None for f in flags),
        "raters": len({f.author for f in flags}),
    }


def test_wmt23_sample_imports_with_the_expected_counts() -> None:
    articles = read_path(SAMPLE)
    assert [a.title for a in articles] == ["news_chinese.dw.com.9579:zh-en",
                                          "news_rfi-chinese.19801:zh-en",
                                          "news_rfi-chinese.19813:zh-en"]
    assert summary(articles) == {"docs": 3, "segments": 30, "systems": WMT23_SYSTEMS,
                                 "rows": 1066, "no_error": 526, "major": 126,
                                 "source_spans": 33, "raters": 6}
    first = articles[0]
    assert (first.source_lang, first.target_lang, first.mt_system) == ("zh", "en", "GPT4-5shot")
    assert [len(a.segments) for a in articles] == [10, 10, 10]
    assert [s.paragraph for s in first.segments] == [0, 0, 0, 0, 0, 0, 0, 1, 2, 2]
    seg = first.segments[0]
    assert (seg.external_id, seg.position, seg.meta) == ("1", 0, {"global_seg_id": "159"})
    assert seg.mt == seg.candidates["GPT4-5shot"]
    assert seg.reference is None
    assert "<v>" not in seg.mt and "<v>" not in seg.source
    assert seg.flags[0] == DocFlag(
        category="Other", severity="Minor", start=213, end=245,
        note="The positon of this segment is awkward.", author="rater2",
        target="GPT4-5shot", origin="import", span_in="target")
    assert seg.mt[213:245] == "(Deutsche Welle Chinese Network)"


def test_every_segment_has_three_raters_per_system_in_wmt23() -> None:
    for article in read_path(SAMPLE):
        for seg in article.segments:
            raters = Counter((f.target, f.author) for f in seg.flags)
            per_system = Counter(system for system, _ in raters)
            assert set(per_system.values()) == {3}, seg.external_id


def test_wmt21_ted_extract_imports_with_the_expected_counts() -> None:
    articles = read_path(TED)
    assert [a.title for a in articles] == ["talk.3", "talk.5"]
    assert summary(articles) == {"docs": 2, "segments": 101, "systems": TED_SYSTEMS,
                                 "rows": 1526, "no_error": 927, "major": 247,
                                 "source_spans": 1, "raters": 4}
    talk5 = articles[1]
    assert (talk5.source_lang, talk5.target_lang, talk5.mt_system) == ("en", "de", "Facebook-AI")
    seg = talk5.segments[9]
    assert seg.source == "And they can repair themselves for longevity."
    assert seg.reference == "Und sie sind langlebig, da sie sich selbst reparieren können."
    assert seg.reference == seg.candidates["ref"]
    [source_flag] = [f for f in seg.flags if f.span_in == "source"]
    assert (source_flag.start, source_flag.end, source_flag.target, source_flag.author) == (
        20, 30, "metricsystem2", "rater1")
    assert seg.source[20:30] == "themselves"


@pytest.mark.system
@pytest.mark.skipif(not SHARED.is_dir(), reason="the full WMT files live in ../shared/data")
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("wmt23-zhen-sxs-mqm.tsv.tar.gz",
         {"docs": 38, "segments": 377, "systems": WMT23_SYSTEMS, "rows": 25060,
          "no_error": 3373, "major": 7967, "source_spans": 1229, "raters": 8}),
        ("wmt21-ted-ende-mqm.tsv",
         {"docs": 5, "segments": 529, "systems": TED_SYSTEMS, "rows": 8435,
          "no_error": 4404, "major": 1867, "source_spans": 14, "raters": 4}),
    ],
)
def test_full_wmt_files_import_with_the_expected_counts(name: str, expected: dict) -> None:
    assert summary(read_path(SHARED / name)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no marks", ("no marks", None, None)),
        ("a <v>bad</v> word", ("a bad word", 2, 5)),
        ("<v>all</v>", ("all", 0, 3)),
        ("open <v>to the end", ("open to the end", 5, 15)),
        ("stray </v> close", ("stray  close", None, None)),
        ("<v></v>empty", ("empty", 0, 0)),
        ("中文<v>错误</v>。", ("中文错误。", 2, 4)),
    ],
)
def test_unmark(text: str, expected: tuple) -> None:
    assert unmark(text) == expected


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("a bad word", 2, 5, "a <v>bad</v> word"),
        ("abc", None, None, "abc"),
        ("abc", 2, 9, "abc"),
        ("abc", 3, 3, "abc<v></v>"),
    ],
)
def test_mark(text: str, start, end, expected: str) -> None:
    assert mark(text, start, end) == expected


@pytest.mark.parametrize(
    ("system", "expected"),
    [("ref", True), ("refA", True), ("refB", True), ("ref.A", True), ("ref-A", True),
     ("Ref", True), ("ref2", True), ("refer", False), ("reference-mt", False),
     ("GPT4-5shot", False), ("Online-W", False)],
)
def test_is_reference(system: str, expected: bool) -> None:
    assert is_reference(system) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("wmt21-ted-ende-mqm.tsv", ("en", "de")),
        ("sxs_mqm_generalMT2023_zhen.3ratingsPerSegment.tsv", ("zh", "en")),
        ("news_chinanews.com.280744:zh-en", ("zh", "en")),
        ("mqm_newstest2020_ja_en.tsv", ("ja", "en")),
        ("data-file.tsv", None),
        ("annotations.tsv", None),
    ],
)
def test_languages_from_name(name: str, expected) -> None:
    assert languages_from_name(name) == expected


HEADER = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\tcomment\n"


def test_options_override_guessed_languages_and_script_guess_without_a_name() -> None:
    data = HEADER + "sysA\td1\t1\t1\tr1\t我们的世界很大\tOur world is big\tNo-error\tNo-error\t\n"
    [article] = read_bytes(data)
    assert (article.source_lang, article.target_lang) == ("zh", "en")
    [article] = read_bytes(data, source_lang="zh-Hans", target_lang="en-GB")
    assert (article.source_lang, article.target_lang) == ("zh-Hans", "en-GB")


def test_whitespace_variants_of_a_text_share_one_text_and_spans_follow() -> None:
    data = HEADER + (
        "sysA\td1\t1\t1\tr1\t源\tBuy your refund!\tNo-error\tNo-error\t\n"
        "sysA\td1\t1\t1\tr2\t源\t<v>Buy your refund</v>!\tAccuracy/Mistranslation\tMajor\t\n"
        "sysA\td1\t1\t1\tr3\t源\t<v> Buy your refund! </v>\tNon-translation!\tMajor\t\n"
    )
    [article] = read_bytes(data)
    seg = article.segments[0]
    assert seg.mt == "Buy your refund!"
    assert [(f.start, f.end) for f in seg.flags] == [(None, None), (0, 15), (0, 16)]


def test_segments_are_ordered_by_number_within_a_document() -> None:
    data = HEADER + "".join(
        f"sysA\td1\t{n}\t{n}\tr1\tsrc {n}\ttgt {n}\tNo-error\tNo-error\t\n" for n in (10, 2, 1)
    )
    [article] = read_bytes(data)
    assert [s.external_id for s in article.segments] == ["1", "2", "10"]
    assert [s.position for s in article.segments] == [0, 1, 2]


def test_the_comment_column_may_be_missing_on_a_row() -> None:
    data = HEADER + "sysA\td1\t1\t1\tr1\tsrc\ttgt\tNo-error\tNo-error\n"
    [article] = read_bytes(data)
    assert article.segments[0].flags[0].note == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (HEADER + "sysA\td1\t1\t1\tr1\tsrc\ttgt\tNo-error\tNo-error\t\n"
         "sysA\td1\t2\t2\tr1\tsrc\twith\ttab\tNo-error\tNo-error\t\n",
         "line 3: expected 10 tab-separated fields, found 11"),
        (HEADER + "sysA\td1\t1\t1\tr1\tsrc\n", "line 2: expected 10 tab-separated fields, found 6"),
        (HEADER + "\td1\t1\t1\tr1\tsrc\ttgt\tNo-error\tNo-error\t\n",
         "line 2: system, doc and segment id must not be empty"),
        ("system\tdoc\tsource\ttarget\n", "lacks doc_seg, rater, category, severity"),
        ("id\tsource\tmt\n", "is not an MQM file: its header \\(found: 'id', 'source', 'mt'\\)"),
        (HEADER, "holds no annotation rows"),
        ("", "is empty"),
    ],
)
def test_malformed_files_are_refused_with_the_line(data: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_bytes(data)


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_tar_gz_and_gzip_archives_are_read() -> None:
    data = TED.read_bytes()
    expected = summary(read_bytes(data))
    archive = _tar_gz({"._wmt.tsv": b"mac metadata", "docs/README": b"x", "docs/wmt.tsv": data})
    assert summary(read_bytes(archive)) == expected
    assert summary(read_bytes(gzip.compress(data))) == expected


def test_archive_without_tsv_or_damaged_is_refused() -> None:
    with pytest.raises(InputError, match="holds no .tsv file \\(found: notes.txt\\)"):
        read_bytes(_tar_gz({"notes.txt": b"hello"}))
    damaged = gzip.compress(TED.read_bytes())[:5000]
    with pytest.raises(InputError, match="could not be unpacked"):
        read_bytes(damaged)


def _reviewed_article() -> DocArticle:
    return DocArticle(
        title="Wuzhen", mt_system="opus-mt", source_lang="zh", target_lang="en",
        segments=[
            DocSegment(mt="Playing a game\tof chess together", source="共下一盘棋",
                       candidates={"nllb": "Play chess together"}, position=0,
                       flags=[DocFlag("Style/Awkward", "Minor", 0, 14, note="odd\nphrase",
                                      author="ann", target="mt", origin="reviewer"),
                              DocFlag("Accuracy/Mistranslation", "Major", 0, 4, author="bo",
                                      target="nllb", origin="reviewer"),
                              DocFlag("Fluency/Grammar", "Minor", 0, 1, author="ann",
                                      state="dismissed", origin="reviewer"),
                              DocFlag("Fluency/Spelling", "Minor", 0, 1, origin="check")]),
            DocSegment(mt="The ratios are about 3/5.", source="比例约为3/5。", status="approved",
                       changed_by="ann", position=1),
            DocSegment(mt="Not reviewed yet.", source="未审。", status="todo", position=2),
            DocSegment(mt="Share so more people can see it", kind="boilerplate", position=3,
                       status="approved"),
        ],
    )


def test_export_writes_the_plain_variant_rows() -> None:
    out = io.BytesIO()
    FORMAT.write([_reviewed_article()], out, WriteOptions())
    lines = out.getvalue().decode("utf-8").splitlines()
    assert lines[0].split("\t") == list(PLAIN_COLUMNS)
    assert lines[1:] == [
        "opus-mt\tWuzhen\t1\t1\tann\t共下一盘棋\t<v>Playing a game</v> of chess together\t"
        "Style/Awkward\tMinor\todd phrase",
        "nllb\tWuzhen\t1\t1\tbo\t共下一盘棋\t<v>Play</v> chess together\t"
        "Accuracy/Mistranslation\tMajor\t",
        "opus-mt\tWuzhen\t2\t2\tann\t比例约为3/5。\tThe ratios are about 3/5.\t"
        "No-error\tNo-error\t",
    ]


def test_export_then_import_keeps_flags_spans_and_raters() -> None:
    original = read_path(TED)
    out = io.BytesIO()
    FORMAT.write(original, out, WriteOptions())
    back = read_bytes(out.getvalue(), source_lang="en", target_lang="de")
    assert [a.title for a in back] == [a.title for a in original]
    for got, want in zip(back, original, strict=True):
        assert got.mt_system == want.mt_system
        for g, w in zip(got.segments, want.segments, strict=True):
            assert (g.source, g.mt, g.reference, g.candidates, g.flags, g.external_id) == (
                w.source, w.mt, w.reference, w.candidates, w.flags, w.external_id)
