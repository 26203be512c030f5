"""Export -> import -> export -> import keeps segments, targets, notes, flags and tags.

Texts mix CJK, right-to-left scripts, emoji, markup characters, quotes, tabs and line breaks.
Documented limits per format are applied to the expected values, not hidden:
- TSV and MQM TSV: tabs and line breaks become spaces; MQM TSV reads ``<v>`` as a marker;
- XML formats: characters XML 1.0 cannot hold are dropped (none are generated here, since the
  input documents must be XML too; the unit tests cover the dropping);
- all formats: control characters are not generated (imports refuse binary-looking text).
"""

from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.formats.base import DocArticle, DocFlag, DocSegment, ReadOptions, WriteOptions
from review.formats.jsonl import FORMAT as JSONL
from review.formats.mqm_tsv import FORMAT as MQM
from review.formats.mqm_tsv import is_reference
from review.formats.table import CSV_FORMAT, TSV_FORMAT
from review.formats.tmx import FORMAT as TMX
from review.formats.xliff import NS12, NS20, XLIFF12_FORMAT, XLIFF20_FORMAT

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

SPECIAL = st.sampled_from([
    "欧盟峰会", "中新网", "العربية", "עברית", "😀", "👩‍💻", "<", ">", "&", "&amp;", '"', "'",
    "\t", "\n", "\r\n", " ", "  ", "{1}", "{/2}", "=SUM(A1)", "+", "@", "\u200f", "\u3000",
    "ß", "Ω", "é", "\\", ",", ";",
])
PLAIN = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff⟦⟧")
TEXT = st.lists(st.one_of(SPECIAL, st.text(PLAIN, max_size=6)), max_size=6).map("".join)
NON_EMPTY = TEXT.filter(lambda t: t.strip() != "")
WORD = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=8)
NAME = st.one_of(WORD, st.sampled_from(["GPT4-5shot", "ONLINE-W", "NLLB_MBR_BLEU", "Lan-Bridge"]))
CATEGORY = st.sampled_from(["Accuracy/Mistranslation", "Fluency/Punctuation", "Style/Awkward",
                            "Non-translation!", "Source issue", "Other"])
SEVERITY = st.sampled_from(["Major", "Minor", "Neutral", "Critical"])


def roundtrip(fmt, articles: list[DocArticle], **read_options) -> list[DocArticle]:
    out = io.BytesIO()
    fmt.write(articles, out, WriteOptions(include_residue=True))
    return list(fmt.read(io.BytesIO(out.getvalue()), ReadOptions(**read_options)))


@st.composite
def flags(draw: st.DrawFn, texts: dict[str, str], source: str) -> list[DocFlag]:
    """Flags on ``texts`` (target name -> text) or the source, each span inside the text it
    indexes (imports refuse any other)."""
    result = []
    for _ in range(draw(st.integers(0, 3))):
        target = draw(st.sampled_from(list(texts)))
        span_in = draw(st.sampled_from(["target", "source"]))
        text_len = len(source if span_in == "source" else texts[target])
        start = draw(st.one_of(st.none(), st.integers(0, text_len)))
        end = None if start is None else draw(st.integers(start, text_len))
        result.append(DocFlag(category=draw(CATEGORY), severity=draw(SEVERITY), start=start,
                              end=end, note=draw(TEXT), author=draw(TEXT), target=target,
                              origin=draw(st.sampled_from(["import", "reviewer", "check"])),
                              state=draw(st.sampled_from(["open", "confirmed", "dismissed"])),
                              span_in=span_in))
    return result


@st.composite
def articles(draw: st.DrawFn) -> list[DocArticle]:
    result = []
    for number in range(draw(st.integers(1, 2))):
        segments = []
        paragraph = 0
        for position in range(draw(st.integers(1, 4))):
            paragraph += draw(st.integers(0, 1)) if position else 0
            mt = draw(NON_EMPTY)
            source = draw(TEXT)
            candidates = draw(st.dictionaries(NAME, NON_EMPTY, max_size=2))
            segments.append(DocSegment(
                mt=mt, source=source, kind=draw(st.sampled_from(["body", "title",
                                                                    "caption"])),
                paragraph=paragraph, position=position,
                corrected=draw(st.one_of(st.none(), NON_EMPTY)),
                reference=draw(st.one_of(st.none(), NON_EMPTY)), candidates=candidates,
                flags=draw(flags({"mt": mt, **candidates}, source)),
                external_id=f"{number}-{position}" if draw(st.booleans()) else "",
                status=draw(st.sampled_from([None, "todo", "flagged", "fixed", "approved"])),
                notes=draw(st.lists(TEXT, max_size=2)),
            ))
        result.append(DocArticle(title=f"{draw(NON_EMPTY)} {number}", source_lang="zh",
                                 target_lang="en", segments=segments))
    return result


def fields(segment: DocSegment) -> tuple:
    return (segment.mt, segment.source, segment.kind, segment.paragraph, segment.corrected,
            segment.reference, segment.candidates, segment.flags, segment.external_id,
            segment.status, segment.notes)


@SETTINGS
@given(articles())
def test_csv_and_jsonl_are_lossless(original: list[DocArticle]) -> None:
    titles = [a.title for a in original]
    if len(set(titles)) != len(titles):
        return
    for fmt in (CSV_FORMAT, JSONL):
        back = roundtrip(fmt, original)
        assert [a.title for a in back] == titles
        for got, want in zip(back, original, strict=True):
            assert [fields(s) for s in got.segments] == [fields(s) for s in want.segments]
        again = roundtrip(fmt, back)
        assert [[fields(s) for s in a.segments] for a in again] == [
            [fields(s) for s in a.segments] for a in back]


_TSV_BREAKS = re.compile(r"\r\n|[\t\r\n]")


def tsv(text: str | None) -> str | None:
    return None if text is None else _TSV_BREAKS.sub(" ", text)


@SETTINGS
@given(articles())
def test_tsv_keeps_everything_but_tabs_and_line_breaks(original: list[DocArticle]) -> None:
    titles = [tsv(a.title) for a in original]
    if len(set(titles)) != len(titles):
        return
    texts = [t for a in original for s in a.segments
             for t in (s.mt, s.source, *s.candidates.values())]
    if any("\r\n" in t for t in texts):
        return  # TSV writes CR LF as one space: spans after it no longer fit, and are refused
    back = roundtrip(TSV_FORMAT, original)
    for got, want in zip(back, original, strict=True):
        for g, w in zip(got.segments, want.segments, strict=True):
            assert (g.mt, g.source, g.corrected, g.reference) == (
                tsv(w.mt), tsv(w.source), tsv(w.corrected) or None, tsv(w.reference) or None)
            assert g.candidates == {k: tsv(v) for k, v in w.candidates.items() if tsv(v)}
            assert (g.flags, g.notes, g.status, g.kind) == (w.flags, w.notes, w.status, w.kind)


@SETTINGS
@given(articles())
def test_xliff_keeps_targets_notes_flags_and_states(original: list[DocArticle]) -> None:
    for fmt in (XLIFF12_FORMAT, XLIFF20_FORMAT):
        back = roundtrip(fmt, original)
        assert [a.title for a in back] == [a.title for a in original]
        for got, want in zip(back, original, strict=True):
            expected = [(s.corrected if s.corrected is not None else s.mt, s.source, s.kind,
                         s.paragraph, s.notes, s.flags, s.status) for s in want.segments]
            assert [(s.mt, s.source, s.kind, s.paragraph, s.notes, s.flags, s.status)
                    for s in got.segments] == expected
        again = roundtrip(fmt, back)
        assert [[fields(s) for s in a.segments] for a in again] == [
            [fields(s) for s in a.segments] for a in back]


@SETTINGS
@given(articles())
def test_tmx_keeps_pairs_notes_and_status(original: list[DocArticle]) -> None:
    expected = [(s.source, s.corrected if s.corrected is not None else s.mt, s.notes, s.status)
                for a in original for s in a.segments if s.source]
    if not expected:
        return  # nothing to pair: the export holds no <tu>, which import refuses
    [article] = roundtrip(TMX, original)
    assert [(s.source, s.mt, s.notes, s.status) for s in article.segments] == expected


# --- XLIFF inline tags --------------------------------------------------------------------

INLINE_TEXT = st.lists(st.one_of(SPECIAL, st.text(PLAIN, max_size=4)), max_size=3).map("".join)


def _xml_escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


@st.composite
def inline_content(draw: st.DrawFn, version: str, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        choice = draw(st.integers(0, 3 if depth < 2 else 1))
        if choice <= 1:
            parts.append(_xml_escape(draw(INLINE_TEXT)))
        elif choice == 2:
            single = "<x id='{n}'/>" if version == "1.2" else "<ph id='{n}'/>"
            parts.append(single)
        else:
            inner = draw(inline_content(version, depth + 1))
            parts.append(f"<g id='{{n}}'>{inner}</g>" if version == "1.2"
                         else f"<pc id='{{n}}'>{inner}</pc>")
    return "".join(parts)


def _number(content: str, prefix: str) -> str:
    counter = iter(range(1, 1000))
    return re.sub(r"\{n\}", lambda _: f"{prefix}{next(counter)}", content)


@st.composite
def xliff_documents(draw: st.DrawFn) -> tuple[str, bytes]:
    version = draw(st.sampled_from(["1.2", "2.0"]))
    units = []
    for index in range(draw(st.integers(1, 3))):
        source = _number(draw(inline_content(version)), "t")
        target = _number(draw(inline_content(version)), "t") if draw(st.booleans()) else None
        if not re.sub(r"<[^>]*>", "", source) and not target:
            source += "x"
        note = _xml_escape(draw(INLINE_TEXT))
        if version == "1.2":
            tgt = f"<target>{target}</target>" if target is not None else ""
            units.append(f"<trans-unit id='u{index}'><source>{source}</source>{tgt}"
                         f"<note>{note}</note></trans-unit>")
        else:
            tgt = f"<target>{target}</target>" if target is not None else ""
            units.append(f"<unit id='u{index}'><notes><note>{note}</note></notes><segment>"
                         f"<source>{source}</source>{tgt}</segment></unit>")
    if version == "1.2":
        doc = (f"<xliff xmlns='{NS12}' version='1.2'><file original='doc' source-language='zh' "
               f"target-language='en' datatype='plaintext'><body>{''.join(units)}</body>"
               "</file></xliff>")
    else:
        doc = (f"<xliff xmlns='{NS20}' version='2.0' srcLang='zh' trgLang='en'><file id='f1'>"
               f"{''.join(units)}</file></xliff>")
    return version, doc.encode("utf-8")


def _keep_tags(segment: DocSegment) -> tuple:
    return (segment.source, segment.mt, segment.notes, segment.meta)


@SETTINGS
@given(xliff_documents())
def test_xliff_inline_tags_survive_export_and_import(document: tuple[str, bytes]) -> None:
    version, data = document
    [first] = XLIFF12_FORMAT.read(io.BytesIO(data), ReadOptions())
    same = XLIFF12_FORMAT if version == "1.2" else XLIFF20_FORMAT
    other = XLIFF20_FORMAT if version == "1.2" else XLIFF12_FORMAT
    [back] = roundtrip(same, [first])
    assert [_keep_tags(s) for s in back.segments] == [_keep_tags(s) for s in first.segments]
    [converted] = roundtrip(other, [first])
    assert [(s.source, s.mt, s.notes) for s in converted.segments] == [
        (s.source, s.mt, s.notes) for s in first.segments]
    for segment in first.segments:
        if segment.meta and segment.mt:
            segment.corrected = segment.mt + " edited"
    [edited] = roundtrip(same, [first])
    assert [s.mt for s in edited.segments] == [
        s.corrected if s.corrected is not None else s.mt for s in first.segments]


# --- MQM TSV --------------------------------------------------------------------------------

MQM_TEXT = TEXT.map(lambda t: t.replace("<v>", "").replace("</v>", ""))
MQM_FIELD = MQM_TEXT.map(lambda t: _TSV_BREAKS.sub(" ", t))


@st.composite
def mqm_articles(draw: st.DrawFn) -> list[DocArticle]:
    systems = draw(st.lists(NAME.filter(lambda n: not is_reference(n)), min_size=1, max_size=3,
                            unique=True))
    mt_system = sorted(systems)[0]
    result = []
    for number in range(draw(st.integers(1, 2))):
        segments = []
        for position in range(draw(st.integers(1, 3))):
            candidates = {s: draw(MQM_FIELD) for s in systems}
            source = draw(MQM_FIELD)
            seg_flags = []
            for system in systems:
                for _ in range(draw(st.integers(1, 2))):
                    span_in = draw(st.sampled_from(["target", "source"]))
                    length = len(source if span_in == "source" else candidates[system])
                    start = draw(st.one_of(st.none(), st.integers(0, length)))
                    end = None if start is None else draw(st.integers(start, length))
                    seg_flags.append(DocFlag(
                        category=draw(st.one_of(CATEGORY, st.just("No-error"))),
                        severity=draw(st.one_of(SEVERITY, st.just("No-error"))),
                        start=start, end=end, note=draw(MQM_FIELD), author=draw(WORD),
                        # without a span nothing in the file says which text it was on
                        target=system, span_in=span_in if start is not None else "target"))
            segments.append(DocSegment(mt=candidates[mt_system], source=source,
                                       candidates=candidates, flags=seg_flags,
                                       position=position, external_id=str(position + 1)))
        result.append(DocArticle(title=f"doc{number}:{draw(WORD)}", mt_system=mt_system,
                                 segments=segments))
    return result


@SETTINGS
@given(mqm_articles())
def test_mqm_tsv_keeps_flags_spans_and_raters(original: list[DocArticle]) -> None:
    back = roundtrip(MQM, original, source_lang="zh", target_lang="en")
    assert [a.title for a in back] == [a.title for a in original]
    for got, want in zip(back, original, strict=True):
        assert got.mt_system == want.mt_system
        assert [(s.source, s.mt, s.candidates, s.flags, s.external_id) for s in got.segments] == [
            (s.source, s.mt, s.candidates, s.flags, s.external_id) for s in want.segments]
