"""Checks, number extraction and glossary parsing never crash, whatever the text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.checks import CHECKS, CheckContext, article_stats, extract_names, run_checks
from review.checks.glossary_terms import Glossary, GlossaryEntry, read_glossary_csv
from review.checks.number_spans import extract_numbers
from review.core.errors import InputError

# Text that mixes the characters the checks care about with anything at all.
SPECIAL = list("0123456789.,;:!?%/()[]{}“”‘’\"'「」『』（）【】《》，。：、％０１２３  \t\n-–—") + [
    "三分之一", "百分之三十", "十九个", "第十届", "万亿", "In 2022, ", " will ",
    "Photo by reporter ",
    "Share so more people can see it", " respectively", "The ratios are ", "Wuzhen", "Ye Binde",
    "the the ", "people.cn", "Conference.Photo", "1/3", "3/5", "1%", "Tags: ", "NEXT ",
]
TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(max_size=5)), max_size=40).map("".join),
)
GLOSSARY = Glossary([
    GlossaryEntry("乌镇", ["Wuzhen"], ["Wu Town"]),
    GlossaryEntry("长三角", ["Yangtze River Delta"], [], case_sensitive=True),
    GlossaryEntry("", [], ["(", "."]),
])


@st.composite
def contexts(draw):
    return CheckContext(
        mt=draw(TEXT),
        source=draw(TEXT),
        candidates=draw(st.dictionaries(st.sampled_from(["a", "b", "c"]), TEXT, max_size=3)),
        kind=draw(st.sampled_from(["title", "body", "caption", "boilerplate", "metadata"])),
        source_lang=draw(st.sampled_from(["", "zh", "en"])),
        target_lang=draw(st.sampled_from(["en", "de", "zh", "ja", "fr", ""])),
        glossary=draw(st.sampled_from([None, GLOSSARY])),
        reference_year=draw(st.one_of(st.none(), st.integers(1800, 2100))),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contexts())
def test_run_checks_never_raises_and_spans_fit(ctx):
    for s in run_checks(ctx, strict=True):
        assert s.check in CHECKS
        assert s.severity in ("Major", "Minor")
        assert (s.start is None) == (s.end is None)
        if s.start is not None:
            assert 0 <= s.start < s.end <= len(ctx.mt)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(contexts(), max_size=8))
def test_article_stats_never_raises(ctxs):
    stats = article_stats(ctxs)
    for c in ctxs:
        c.article = stats
        for s in run_checks(c, strict=True):
            assert s.start is None or 0 <= s.start < s.end <= len(c.mt)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_numbers_and_names_have_valid_spans(text):
    last = -1
    for n in extract_numbers(text):
        assert 0 <= n.start < n.end <= len(text)
        assert text[n.start:n.end] == n.text
        assert n.start > last  # sorted, not overlapping at the start
        last = n.start
    for s, e, name in extract_names(text):
        assert " ".join(text[s:e].split()) == name  # names come with spaces normalised


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_glossary_csv_parses_or_says_why(text):
    try:
        g = read_glossary_csv(text)
    except InputError as err:
        assert str(err)
    else:
        assert all(e.targets or e.forbidden for e in g.entries)
