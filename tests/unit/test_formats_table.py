"""CSV and TSV import/export: column mapping, validation with line numbers, streaming."""

from __future__ import annotations

import io

import pytest

from review.core.errors import InputError
from review.formats.base import DocArticle, DocFlag, DocSegment, ReadOptions, WriteOptions
from review.formats.streams import limited_reader, open_text
from review.formats.table import CSV_FORMAT, TSV_FORMAT


def read(fmt, data: bytes | str, **options) -> list[DocArticle]:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return list(fmt.read(io.BytesIO(data), ReadOptions(**options)))


def write(fmt, articles: list[DocArticle], **options) -> str:
    out = io.BytesIO()
    fmt.write(articles, out, WriteOptions(**options))
    return out.getvalue().decode("utf-8")


def test_csv_maps_columns_by_name_and_alias() -> None:
    data = (
        "ID,Source,Target,Post_Edit,reference,kind,status,paragraph,system:GPT4,system:NLLB\n"
        "s1,你好,Hello,Hello there,Hi,title,fixed,0,Hi!,\n"
        "s2,世界,World,,,body,,1,Earth,Globe\n"
    )
    [article] = read(CSV_FORMAT, data, title="Greeting", source_lang="zh", target_lang="en")
    assert (article.title, article.source_lang, article.target_lang) == ("Greeting", "zh", "en")
    first, second = article.segments
    assert (first.external_id, first.source, first.mt, first.corrected, first.reference) == (
        "s1", "你好", "Hello", "Hello there", "Hi")
    assert (first.kind, first.status, first.paragraph, first.position) == ("title", "fixed", 0, 0)
    assert first.candidates == {"GPT4": "Hi!"}
    assert (second.corrected, second.reference, second.status) == (None, None, None)
    assert second.candidates == {"GPT4": "Earth", "NLLB": "Globe"}
    assert (second.paragraph, second.position) == (1, 1)


@pytest.mark.parametrize("alias", ["mt", "target", "translation", "MT", " Translation "])
def test_mt_aliases(alias: str) -> None:
    [article] = read(CSV_FORMAT, f"{alias}\nHello\n")
    assert article.segments[0].mt == "Hello"


def test_column_map_overrides_names_and_unknown_columns_are_kept_in_meta() -> None:
    data = "segment,zh,en,note\n7,你好,Hello,check later\n"
    [article] = read(CSV_FORMAT, data,
                     column_map={"segment": "id", "zh": "source", "en": "mt"})
    seg = article.segments[0]
    assert (seg.external_id, seg.source, seg.mt) == ("7", "你好", "Hello")
    assert seg.meta == {"columns": {"note": "check later"}}


def test_article_column_groups_rows_in_order_of_first_appearance() -> None:
    data = "article,id,mt\nB,1,b1\nA,1,a1\nB,2,b2\n"
    articles = read(CSV_FORMAT, data, title="ignored when the column exists")
    assert [a.title for a in articles] == ["B", "A"]
    assert [[s.mt for s in a.segments] for a in articles] == [["b1", "b2"], ["a1"]]
    assert [s.position for s in articles[0].segments] == [0, 1]


class NamedBytes(io.BytesIO):
    """An in-memory upload that carries its file name, as Streamlit's uploads do."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


def test_title_falls_back_to_the_file_name() -> None:
    stream = NamedBytes(b"mt\nHello\n", "uploads/daily news.csv")
    [article] = CSV_FORMAT.read(stream, ReadOptions())
    assert article.title == "daily news"


def test_empty_mt_is_allowed_only_with_a_source() -> None:
    [article] = read(CSV_FORMAT, "source,mt\n你好,\n")
    assert (article.segments[0].source, article.segments[0].mt) == ("你好", "")
    with pytest.raises(InputError, match="line 3: neither 'source' nor 'mt' has text"):
        read(CSV_FORMAT, "id,source,mt\n1,你好,Hello\n2,,\n")


def test_source_only_file_is_a_file_of_segments_to_translate() -> None:
    [article] = read(CSV_FORMAT, "source\n你好\n世界\n")
    assert [(s.source, s.mt) for s in article.segments] == [("你好", ""), ("世界", "")]


def test_missing_required_column_names_found_and_expected() -> None:
    with pytest.raises(InputError) as err:
        read(CSV_FORMAT, "english,chinese\nHello,你好\n")
    message = str(err.value)
    assert "no 'mt' column" in message
    assert "found: 'english', 'chinese'" in message
    assert "'target', 'translation'" in message


@pytest.mark.parametrize(
    ("fmt", "data", "message"),
    [
        (CSV_FORMAT, "id,source,mt\n1,a,b\n2,c\n",
         "line 3: expected 3 comma-separated fields, found 2"),
        (CSV_FORMAT, 'id,source,mt\n1,"multi\nline",b\n2,c,d,e\n',
         "line 4: expected 3 comma-separated fields, found 4"),
        (TSV_FORMAT, "id\tsource\tmt\n1\ta\tb\n\n2\tc\n",
         "line 4: expected 3 tab-separated fields, found 2"),
        (CSV_FORMAT, "id,mt\n1,a\n2,b\n1,c\n",
         "id '1' appears twice \\(segments 1 and 3\\)"),  # read() collects the stream
        (CSV_FORMAT, "mt,kind\na,footer\n", "line 2: kind 'footer' is not one of title, body"),
        (CSV_FORMAT, "mt,status\na,done\n", "line 2: status 'done' is not one of todo"),
        (CSV_FORMAT, "mt,paragraph\na,-1\n", "line 2: paragraph '-1' is not a whole number"),
        (CSV_FORMAT, "mt,flags\na,[{\n", "line 2: 'flags' is not valid JSON"),
        (CSV_FORMAT, 'mt,flags\na,"[{""category"": ""X""}]"\n', "needs 'category' and 'severity'"),
        (CSV_FORMAT,
         'mt,flags\na,"[{""category"": ""X"", ""severity"": ""Major"", ""colour"": 1}]"\n',
         "unknown flag field\\(s\\) colour"),
        (CSV_FORMAT, 'mt,notes\na,"{}"\n', "'notes' must be a JSON list"),
        (CSV_FORMAT, 'mt\n"unterminated\n', "line 2"),
        (CSV_FORMAT, "mt,target\na,b\n", "columns 'mt' and 'target' both fill 'mt'"),
        (CSV_FORMAT, "", "is empty"),
        (CSV_FORMAT, "mt\n\n\n", "holds no segments"),
    ],
)
def test_malformed_files_report_the_line(fmt, data: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read(fmt, data)


def test_duplicate_ids_in_different_articles_are_fine() -> None:
    articles = read(CSV_FORMAT, "article,id,mt\nA,1,a\nB,1,b\n")
    assert [a.segments[0].external_id for a in articles] == ["1", "1"]


def test_flags_and_notes_cells_are_json() -> None:
    data = (
        'mt,notes,flags\n'
        '"Hello, world","[""check name""]","[{""category"": ""Accuracy/Mistranslation"", '
        '""severity"": ""Major"", ""start"": 0, ""end"": 5, ""author"": ""ann""}]"\n'
    )
    [article] = read(CSV_FORMAT, data)
    seg = article.segments[0]
    assert seg.notes == ["check name"]
    assert seg.flags == [DocFlag("Accuracy/Mistranslation", "Major", 0, 5, author="ann")]


def test_formula_like_cells_are_guarded_on_export_and_read_in_both_forms() -> None:
    """Exports neutralise formulas; --raw-cells keeps them verbatim."""
    data = 'mt,source\n"=HYPERLINK(""x"")",+1\n@cmd,-2\n'
    [article] = read(CSV_FORMAT, data)
    assert [(s.mt, s.source) for s in article.segments] == [('=HYPERLINK("x")', "+1"),
                                                            ("@cmd", "-2")]
    guarded = write(CSV_FORMAT, [article])
    assert '"\'=HYPERLINK(""x"")"' in guarded and "'@cmd" in guarded
    assert '"=HYPERLINK(""x"")"' in write(CSV_FORMAT, [article], raw_cells=True)
    [back] = read(CSV_FORMAT, guarded)
    assert [(s.mt, s.source) for s in back.segments] == [('=HYPERLINK("x")', "+1"),
                                                         ("@cmd", "-2")]


def test_tsv_reads_quotes_literally() -> None:
    [article] = read(TSV_FORMAT, 'source\tmt\n"引号"\tThe "core tactics"\n')
    assert (article.segments[0].source, article.segments[0].mt) == ('"引号"', 'The "core tactics"')


def test_legacy_encoding_is_detected_or_given() -> None:
    data = "source\n欧盟峰会为难民政策争论，欧盟官员：接收过程步步瓶颈\n".encode("gb18030")
    [article] = read(CSV_FORMAT, data)
    assert article.segments[0].source == "欧盟峰会为难民政策争论，欧盟官员：接收过程步步瓶颈"
    mixed = "source,mt\n欧盟峰会,EU summit debates refugee policy\n".encode("gb18030")
    [article] = read(CSV_FORMAT, mixed, encoding="gb18030")
    assert article.segments[0].source == "欧盟峰会"


def test_binary_file_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(InputError, match="looks binary"):
        read(CSV_FORMAT, png)


def test_undecodable_bytes_after_the_first_block_report_their_line() -> None:
    rows = "".join(f"{i},segment number {i}\n" for i in range(10_000))
    data = ("id,mt\n" + rows).encode("utf-8") + b"99999,bad \xff byte\n"
    with pytest.raises(InputError, match="line 10002: bytes that are not valid utf-8"):
        read(CSV_FORMAT, data)


def test_size_limit_is_enforced_while_streaming() -> None:
    data = b"mt\n" + b"x" * 200_000
    text = open_text(io.BytesIO(data), what="The upload", limit=150_000)
    with pytest.raises(InputError, match="larger than the"):
        text.read()


@pytest.mark.system
def test_100000_row_csv_reads(tmp_path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("id,source,mt,system:B\n")
        for i in range(100_000):
            out.write(f"{i},源文本 {i},target text {i},candidate {i}\n")
    with path.open("rb") as stream:
        [article] = CSV_FORMAT.read(stream, ReadOptions())
    assert len(article.segments) == 100_000
    last = article.segments[-1]
    assert (last.external_id, last.source, last.mt, last.candidates, last.position) == (
        "99999", "源文本 99999", "target text 99999", {"B": "candidate 99999"}, 99_999)


def _article() -> DocArticle:
    return DocArticle(
        title="News",
        segments=[
            DocSegment(mt="Title", source="标题", kind="title", external_id="t", position=0),
            DocSegment(mt="Body,\t\"quoted\"\nline", source="正文", corrected="Body fixed",
                       status="fixed", candidates={"B": "cand"}, position=1, paragraph=1,
                       notes=["n1"], flags=[DocFlag("Fluency/Grammar", "Minor", 0, 4)]),
            DocSegment(mt="Share so more people can see it", kind="boilerplate", position=2,
                       paragraph=2),
        ],
    )


def test_csv_export_columns_and_residue() -> None:
    text = write(CSV_FORMAT, [_article()])
    lines = text.split("\r\n")
    assert lines[0] == ("article,id,position,paragraph,kind,source,mt,corrected,reference,"
                        "status,notes,flags,system:B")
    assert lines[1] == "News,t,0,0,title,标题,Title,,,,,,"
    assert "Share so more" not in text
    assert "Share so more" in write(CSV_FORMAT, [_article()], include_residue=True)


def test_csv_export_reads_back_exactly() -> None:
    original = _article()
    [back] = read(CSV_FORMAT, write(CSV_FORMAT, [original], include_residue=True))
    assert back.title == "News"
    for got, want in zip(back.segments, original.segments, strict=True):
        assert (got.mt, got.source, got.corrected, got.kind, got.status, got.paragraph,
                got.candidates, got.notes, got.flags, got.external_id) == (
            want.mt, want.source, want.corrected, want.kind, want.status, want.paragraph,
            want.candidates, want.notes, want.flags, want.external_id)


def test_tsv_export_turns_tabs_and_newlines_into_spaces() -> None:
    text = write(TSV_FORMAT, [_article()])
    assert text.count("\n") == 3
    [back] = read(TSV_FORMAT, text)
    assert back.segments[1].mt == 'Body, "quoted" line'
    assert back.segments[1].flags == [DocFlag("Fluency/Grammar", "Minor", 0, 4)]


def test_export_leaves_the_callers_stream_open() -> None:
    out = io.BytesIO()
    CSV_FORMAT.write([_article()], out, WriteOptions())
    assert not out.closed


def test_limited_reader_caps_what_a_stream_expands_to() -> None:
    import gzip

    bomb = gzip.GzipFile(fileobj=io.BytesIO(gzip.compress(b"\0" * 1_000_000)), mode="rb")
    with pytest.raises(InputError, match="larger than the"):
        limited_reader(bomb, 100_000, "The archive").read()
    assert limited_reader(io.BytesIO(b"small"), 100, "The file").read() == b"small"
