"""review.checks: positive and negative cases per check, from the Wuzhen article and WMT data.

Sentences quoted from the Wuzhen sample article are copied literally (the shared file itself is
not read by the tests).
"""

import csv
import logging
from pathlib import Path

import pytest

from review import checks
from review.checks import (
    CHECKS,
    ArticleStats,
    CheckContext,
    Suggestion,
    article_stats,
    extract_names,
    run_checks,
)
from review.checks import defaults as check_defaults
from review.checks.glossary_terms import Glossary, GlossaryEntry, read_glossary_csv, read_tbx
from review.core.errors import InputError

DATA = Path(__file__).parents[1] / "data" / "mqm"


@pytest.fixture(autouse=True)
def hand_set_defaults(monkeypatch):
    """These cases test each check's own logic: severities as written in the check, every
    check on (calibrated defaults are tested in test_check_calibration.py)."""
    monkeypatch.setattr(check_defaults, "defaults", lambda path=None: {})

# --- sentences of the Wuzhen article (People's Daily Online, English MT), copied literally
TITLE = ("Playing a game of chess together, the Digital Yangtze River Delta Development "
         "Conference was held in Wuzhen, Zhejiang")
DATELINE = ("People’s Daily Online, Jiaxing, November 10 (Reporter Ye Binde) Yesterday, the "
            "Yangtze River Delta Integrated Digital Civilization Co-construction and "
            "Sharing-Digital Yangtze River Delta Development Conference was held in Wuzhen, "
            "Zhejiang.")
GUESTS = ("Guests attending the meeting focused on “jointly building a new digital Yangtze "
          "River Delta pattern and creating digital The theme of “Civilization and New "
          "Ecology” is to seek cooperation and discuss the future together.")
SCENE = ("The scene of the Digital Yangtze River Delta Development Conference.Photo by "
         "reporter Ye Binde")
REPORT_CAPTION = ("The “Digital Yangtze River Delta Development Report (2023)” was released."
                  "Photo by reporter Ye Binde")
IN_2022 = ("In 2022, the scale of the digital economy will account for nearly 30% of the total "
           "scale of the national digital economy, and the scale of the integrated circuit and "
           "artificial intelligence industries will account for 1% of the country’s total. The "
           "ratios are about 3/5 and 1/3 respectively.")
ANNIVERSARY = ("This year marks the 10th anniversary of the Wuzhen Summit of the World Internet "
               "Conference and the 5th anniversary of the implementation of the national "
               "strategy for the integrated development of the Yangtze River Delta.")
GROWTH = ("In the ten years after “connecting to the Internet”, the added value of the core "
          "industries of the digital economy in Jiaxing City, where Wuzhen is located, has grown "
          "at an average annual rate of 16.5%.")
SCENARIOS = ("Representatives from the leading units of the three provinces and one city of the "
             "“Digital Yangtze River Delta Co-construction Alliance” jointly announced the first "
             "batch of 19 typical application scenarios of the digital Yangtze River Delta.")
SHARE = "Share so more people can see it"
CHINESE_NOTE = "The article is in Chinese"
EDITORS = "(Editors: Ye Binde, Wang Liwei)"
TAGS = ("Tags: Playing game chess Digital Yangtze River Delta Development Conference held "
        "Wuzhen Zhejiang")
SIGNED = ("During the conference, relevant cities in the Yangtze River Delta jointly signed the "
          "Yangtze River Delta dual-carbon field data element full-process integrated "
          "cooperation initiative and the Yangtze River Delta city digital culture and tourism "
          "integrated cooperation initiative.")
KEYNOTE = ("The conference also held a keynote speech on the “Wuzhen Dialogue”, a summit forum, "
           "and a preparatory ceremony for the Yangtze River Delta Intelligent Industry "
           "Conference of 100.")

RETRANSLATION_2022 = (
    "In 2022, the digital economy accounted for nearly 30% of the national digital economy, "
    "and the integrated circuit and artificial intelligence industries accounted for about 3/5 "
    "and 1/3 of the national total respectively.")


def ctx(mt, **kw):
    kw.setdefault("reference_year", 2023)
    return CheckContext(mt=mt, **kw)


def found(check, context):
    """(severity, flagged text or None) of one check's suggestions."""
    return [(s.severity, context.mt[s.start:s.end] if s.start is not None else None)
            for s in CHECKS[check].run(context)]


CASES = [
    # check, context, expected [(severity, span text)]
    ("glued", ctx(SCENE), [("Minor", ".")]),
    ("glued", ctx(REPORT_CAPTION), [("Minor", ".")]),
    ("glued", ctx("It grew 16.5% in 2022.Next year it grows again."), [("Minor", ".")]),
    ("glued", ctx("Visit people.cn or www.Xinhuanet.com for more."), []),
    ("glued", ctx("The U.S.Army band and Dr.Smith played, e.g.The Anthem."), []),
    ("glued", ctx(GROWTH), []),
    ("glued", ctx(SCENE, target_lang="zh"), []),
    ("residue", ctx(SCENE), [("Minor", "Photo by reporter Ye Binde")]),
    ("residue", ctx(SHARE), [("Minor", SHARE)]),
    ("residue", ctx("The forum closed. " + SHARE), [("Minor", SHARE)]),
    ("residue", ctx(CHINESE_NOTE), [("Minor", CHINESE_NOTE)]),
    ("residue", ctx(EDITORS), [("Minor", EDITORS)]),
    ("residue", ctx(TAGS), [("Minor", TAGS)]),
    ("residue", ctx(SHARE, kind="boilerplate"), []),
    ("residue", ctx(DATELINE), []),
    ("residue", ctx(KEYNOTE), []),
    ("tense", ctx(IN_2022), [("Minor", "will")]),
    ("tense", ctx(IN_2022, reference_year=2022), []),
    ("tense", ctx("In 2022, the city signed a plan that will run until 2030."), []),
    ("tense", ctx("By 2025, the scale will reach 10 trillion yuan."), []),
    ("tense", ctx(ANNIVERSARY), []),
    ("numbers", ctx(IN_2022), [("Minor", "1%")]),
    ("numbers", ctx(IN_2022, candidates={"rt": RETRANSLATION_2022}), [("Minor", "1%")]),
    ("numbers", ctx(GROWTH, candidates={"rt": "In the decade since going online, the core "
                                               "digital industries of Jiaxing grew by 16.5% a "
                                               "year on average."}), []),
    ("numbers", ctx(SCENARIOS, source="三省一市“数字长三角共建联盟”牵头单位代表共同发布了首批"
                                      "19个数字长三角典型应用场景。"), []),
    ("numbers", ctx(SCENARIOS.replace("19", "18"),
                    source="代表共同发布了首批十九个数字长三角典型应用场景。"), [("Major", "18")]),
    ("numbers", ctx(DATELINE, source="人民网嘉兴11月10日电（记者叶宾得）昨天，长三角一体化数字"
                                     "文明共建共享——数字长三角发展大会在浙江乌镇举行。"), []),
    ("numbers", ctx("The added value has grown at an average annual rate of 16.5%.",
                    source="数字经济核心产业增加值年均增长１６.５％。"), []),
    ("numbers", ctx("about one third of the total", source="约占全国的三分之一"), []),
    ("numbers", ctx("about 3/5 of the total", source="约占全国的五分之三"), []),
    ("numbers", ctx("about a quarter of the total", source="约占全国的三分之一"),
     [("Major", None)]),
    ("numbers", ctx("In 1996, the company went public.", source="1996年，公司上市。"), []),
    ("numbers", ctx(ANNIVERSARY), []),
    ("untranslated", ctx("The conference was held in 乌镇, Zhejiang."), [("Minor", "乌镇")]),
    ("untranslated", ctx("Building the 数字长三角 together."), [("Major", "数字长三角")]),
    ("untranslated", ctx("数字长三角发展大会在乌镇举行", target_lang="zh"), []),
    ("untranslated", ctx(TITLE), []),
    ("fullwidth", ctx("Guests attended the meeting，and discussed the future。"),
     [("Minor", "，"), ("Minor", "。")]),
    ("fullwidth", ctx("The rate was １６.５%."),
     [("Minor", "１"), ("Minor", "６"), ("Minor", "５")]),
    ("fullwidth", ctx(GUESTS), []),
    ("spacing", ctx("The conference  was held in Wuzhen,and closed , in Zhejiang."),
     [("Minor", "  "), ("Minor", ","), ("Minor", " ")]),
    ("spacing", ctx("See https://www.people.cn,or call at 10:30."), []),
    ("spacing", ctx(DATELINE), []),
    ("doubled_words", ctx("he said that the the plan is is good"),
     [("Minor", "the"), ("Minor", "is")]),
    ("doubled_words", ctx("He said that that plan had had results."), []),
    ("brackets", ctx(GUESTS), [("Minor", "“")]),
    ("brackets", ctx("The report (2023 was released)."), []),
    ("brackets", ctx("The report (2023] was released."), [("Minor", "("), ("Minor", "]")]),
    ("brackets", ctx("(a) first (b) second) third"), [("Minor", ")")]),
    ("brackets", ctx('"What day is it today?'), []),
    ("brackets", ctx("and discuss the future together,” he said."), []),
    ("brackets", ctx("「数字长三角」 and 《报告》", target_lang="zh"), []),
    ("brackets", ctx("the 「数字长三角」 brand", target_lang="zh"), []),
    ("brackets", ctx("the 「数字长三角 brand」」", target_lang="zh"), [("Minor", "」")]),
    ("brackets", ctx(REPORT_CAPTION), []),
]


@pytest.mark.parametrize("check, context, expected", CASES,
                         ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(CASES)])
def test_check_cases(check, context, expected):
    assert found(check, context) == expected


def test_categories_follow_mqm():
    cats = {s.check: s.category for c in (ctx(SCENE), ctx(IN_2022), ctx(GUESTS),
                                             ctx("in 乌镇 the the"))
            for s in run_checks(c, strict=True)}
    assert cats == {
        "glued": "Fluency/Punctuation", "residue": "Other", "tense": "Fluency/Grammar",
        "numbers": "Accuracy/Mistranslation", "brackets": "Fluency/Punctuation",
        "untranslated": "Accuracy/Untranslated text", "doubled_words": "Fluency/Grammar",
    }


def test_suggestions_are_in_text_order_and_spans_point_into_the_mt():
    sug = run_checks(ctx(SCENE), strict=True)
    assert [s.check for s in sug] == ["glued", "residue"]
    assert all(isinstance(s, Suggestion) and s.target == "mt" for s in sug)
    assert SCENE[sug[0].start:sug[0].end] == "."
    assert sug[0].start == SCENE.index(".Photo")


def wuzhen_article():
    texts = [(TITLE, "title"), (DATELINE, "body"), (GUESTS, "body"), (SCENE, "caption"),
             (ANNIVERSARY + " " + IN_2022, "body"), (GROWTH, "body"), (SCENARIOS, "body"),
             (REPORT_CAPTION, "caption"), (SIGNED, "body"), (KEYNOTE, "body"),
             (EDITORS, "metadata"), (SHARE, "boilerplate"), (CHINESE_NOTE, "boilerplate"),
             (TAGS, "metadata")]
    contexts = [ctx(t, kind=k) for t, k in texts]
    stats = article_stats(contexts)
    for c in contexts:
        c.article = stats
    return contexts


def test_wuzhen_title_gets_no_suggestion():
    title = wuzhen_article()[0]
    assert title.kind == "title"
    assert run_checks(title, strict=True) == []
    assert run_checks(ctx(TITLE, kind="body"), strict=True) == []


def test_wuzhen_article_suggestions():
    got = {c.mt[:30]: sorted({s.check for s in run_checks(c, strict=True)})
           for c in wuzhen_article()}
    assert got == {
        TITLE[:30]: [],
        DATELINE[:30]: [],
        GUESTS[:30]: ["brackets"],
        SCENE[:30]: [],  # a caption: residue there is expected
        ANNIVERSARY[:30]: ["numbers", "tense"],
        GROWTH[:30]: [],
        SCENARIOS[:30]: [],
        REPORT_CAPTION[:30]: [],
        SIGNED[:30]: [],
        KEYNOTE[:30]: [],
        EDITORS[:30]: [],
        SHARE[:30]: [],
        CHINESE_NOTE[:30]: [],
        TAGS[:30]: [],
    }
    # the same glued caption left inside body text is flagged
    assert {s.check for s in run_checks(ctx(SCENE), strict=True)} == {"glued", "residue"}


def _clean_wmt():
    with open(DATA / "wmt23-zhen-noerror.tsv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_no_false_alarm_on_clean_wmt_targets():
    rows = _clean_wmt()
    assert len(rows) == 60
    by_doc: dict[str, list[CheckContext]] = {}
    for r in rows:
        by_doc.setdefault(r["doc"], []).append(
            CheckContext(mt=r["target"], source_lang="zh", target_lang="en", reference_year=2023))
    for contexts in by_doc.values():
        stats = article_stats(contexts)
        for c in contexts:
            c.article = stats
            assert run_checks(c, strict=True) == [], c.mt


def test_no_false_alarm_on_clean_wmt_with_source():
    by_doc: dict[str, list[CheckContext]] = {}
    for r in _clean_wmt():
        by_doc.setdefault(r["doc"], []).append(CheckContext(
            mt=r["target"], source=r["source"], source_lang="zh", reference_year=2023))
    for contexts in by_doc.values():
        stats = article_stats(contexts)
        for c in contexts:
            c.article = stats
            assert run_checks(c, strict=True) == [], c.mt


# --------------------------------------------------------------------------- length

def _article(mts, cands=None, sources=None):
    contexts = [CheckContext(mt=m, candidates={"rt": cands[i]} if cands else {},
                             source=sources[i] if sources else "") for i, m in enumerate(mts)]
    stats = article_stats(contexts)
    for c in contexts:
        c.article = stats
    return contexts, stats


SENT = [ANNIVERSARY, GROWTH, SCENARIOS, SIGNED, KEYNOTE, DATELINE]


def test_length_against_retranslation():
    mts = list(SENT)
    mts[2] = "Representatives announced scenarios."
    contexts, stats = _article(mts, cands=SENT)
    assert stats.ratio_candidates == pytest.approx(1.0)
    flagged = [(i, s.category, s.severity) for i, c in enumerate(contexts)
               for s in CHECKS["length"].run(c)]
    assert flagged == [(2, "Accuracy/Omission", "Major")]


def test_length_addition_against_source_uses_the_article_norm():
    sources = ["今年是世界互联网大会乌镇峰会十周年。", "嘉兴数字经济核心产业增加值年均增长16.5%。",
               "发布了首批19个数字长三角典型应用场景。", "长三角相关城市共同签署了合作倡议。",
               "大会还举行了乌镇对话主旨演讲。", "人民网嘉兴11月10日电。"]
    mts = ["This year is the tenth anniversary of the Wuzhen Summit.",
           "Jiaxing's core digital industries grew by 16.5% a year.",
           "The first batch of 19 typical scenarios was released.",
           "Cities of the Yangtze River Delta signed cooperation initiatives.",
           "The conference also held a keynote speech on the Wuzhen Dialogue. " * 4,
           "People's Daily Online, Jiaxing, November 10."]
    contexts, stats = _article(mts, sources=sources)
    assert stats.ratio_source is not None and 2 < stats.ratio_source < 5
    flagged = [(i, s.category) for i, c in enumerate(contexts) for s in CHECKS["length"].run(c)]
    assert flagged == [(4, "Accuracy/Addition")]


def test_length_needs_enough_pairs_for_a_source_norm():
    _, stats = _article(SENT[:3], sources=["一二三四五六七八九十"] * 3)
    assert stats.ratio_source is None


# --------------------------------------------------------------------------- glossary

GLOSSARY_CSV = """source,target,forbidden,case_sensitive,note
乌镇,Wuzhen,Wu Town,,place name
长三角,Yangtze River Delta|YRD,Yangtze Delta,yes,
,,Breaking news,,web residue
"""


def test_read_glossary_csv():
    g = read_glossary_csv(GLOSSARY_CSV)
    assert len(g) == 3
    assert g.entries[1].targets == ["Yangtze River Delta", "YRD"]
    assert g.entries[1].case_sensitive and not g.entries[0].case_sensitive
    assert g.entries[2].source == "" and g.entries[2].forbidden == ["Breaking news"]


@pytest.mark.parametrize("text", ["", "foo,bar\n1,2\n", "source,target\n乌镇,\n"])
def test_bad_glossary_csv_is_an_input_error(text):
    with pytest.raises(InputError):
        read_glossary_csv(text)


GLOSSARY = read_glossary_csv(GLOSSARY_CSV)


@pytest.mark.parametrize(
    "mt, source, expected",
    [
        ("The conference was held in Wuzhen.", "大会在乌镇举行。", []),
        ("The conference was held in Wu Town.", "大会在乌镇举行。",
         [("Minor", None), ("Minor", "Wu Town")]),
        ("The yangtze river delta leads.", "长三角领跑。", [("Minor", "yangtze river delta")]),
        ("The YRD leads.", "长三角领跑。", []),
        ("The yangtze river delta leads.", "", [("Minor", "yangtze river delta")]),
        ("The Yangtze Delta leads.", "", [("Minor", "Yangtze Delta")]),
        ("Breaking news from Wuzhen", "", [("Minor", "Breaking news")]),
        ("Wu Townsend visited.", "", []),
    ],
)
def test_glossary_check(mt, source, expected):
    assert found("glossary", ctx(mt, source=source, glossary=GLOSSARY)) == expected


def test_glossary_check_without_glossary():
    assert found("glossary", ctx("Wu Town")) == []
    assert found("glossary", ctx("Wu Town", glossary=Glossary())) == []


TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="c1">
  <langSet xml:lang="zh"><tig><term>乌镇</term></tig></langSet>
  <langSet xml:lang="en">
    <tig><term>Wuzhen</term>
      <termNote type="administrativeStatus">preferredTerm-admn</termNote></tig>
    <tig><term>Wu Town</term>
      <termNote type="administrativeStatus">deprecatedTerm-admn</termNote></tig>
  </langSet>
</termEntry>
<termEntry id="c2">
  <langSet xml:lang="en-US"><ntig><termGrp><term>netizen</term></termGrp>
    <termNote type="administrativeStatus">supersededTerm-admn</termNote></ntig></langSet>
</termEntry>
</body></text></martif>"""

TBX3 = """<?xml version="1.0"?>
<tbx style="dca" type="TBX-Basic" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<text><body><conceptEntry id="1">
  <langSec xml:lang="zh"><termSec><term>长三角</term></termSec></langSec>
  <langSec xml:lang="en"><termSec><term>Yangtze River Delta</term></termSec></langSec>
</conceptEntry></body></text></tbx>"""


def test_read_tbx_v2_and_v3():
    g = read_tbx(TBX.encode(), "zh", "en")
    assert [(e.source, e.targets, e.forbidden) for e in g.entries] == [
        ("乌镇", ["Wuzhen"], ["Wu Town"]), ("", [], ["netizen"])]
    g3 = read_tbx(TBX3.encode(), "zh-CN", "en")
    assert [(e.source, e.targets) for e in g3.entries] == [("长三角", ["Yangtze River Delta"])]


def test_read_tbx_refuses_entities_and_broken_xml():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><martif>&a;</martif>'
    with pytest.raises(InputError):
        read_tbx(bomb, "zh", "en")
    with pytest.raises(InputError):
        read_tbx(b"<martif>", "zh", "en")


def test_load_glossary_files(tmp_path):
    from review.checks.glossary_terms import load_glossary

    (tmp_path / "g.csv").write_text(GLOSSARY_CSV, encoding="utf-8")
    (tmp_path / "g.tbx").write_text(TBX, encoding="utf-8")
    assert len(load_glossary(tmp_path / "g.csv")) == 3
    assert len(load_glossary(tmp_path / "g.tbx", "zh", "en")) == 2
    (tmp_path / "bad.csv").write_bytes("source,target\n乌镇,Wuzhen\n".encode("gb18030"))
    with pytest.raises(InputError, match="UTF-8"):
        load_glossary(tmp_path / "bad.csv")
    with pytest.raises(InputError):
        load_glossary(tmp_path / "missing.csv")


# --------------------------------------------------------------------------- consistency

def test_name_variants_across_the_article():
    mts = ["Reporter Ye Binde wrote this.", "Photo by Ye Binde at the forum.",
           "The editor Ye Bin-de checked it.", "The forum was hosted by Wuzhen.",
           "Guests came to Wu Zhen."]
    contexts, stats = _article(mts)
    assert stats.name_variants == {"Ye Bin-de": "Ye Binde", "Wu Zhen": "Wuzhen"}
    flagged = [(i, c.mt[s.start:s.end]) for i, c in enumerate(contexts)
               for s in CHECKS["consistency"].run(c)]
    assert flagged == [(2, "Ye Bin-de"), (4, "Wu Zhen")]


def test_name_the_retranslations_never_use():
    mts = ["More than 700 apps such as Xingfujia solved problems.",
           "Residents in Jiaxing praised Xingfujia for its services.",
           "Jiaxing people's lives advanced."]
    cands = ["Over 700 applications such as Happy Home solved problems.",
             "Jiaxing residents praised Happy Home for its service.",
             "Life in Jiaxing has advanced."]
    contexts, stats = _article(mts, cands=cands)
    assert stats.name_mismatches == {"Xingfujia": "Happy Home"}
    flagged = [(i, c.mt[s.start:s.end], s.explanation) for i, c in enumerate(contexts)
               for s in CHECKS["consistency"].run(c)]
    assert [f[:2] for f in flagged] == [(0, "Xingfujia"), (1, "Xingfujia")]
    assert "'Happy Home'" in flagged[0][2]


def test_source_term_rendered_differently():
    sources = ["乌镇峰会开幕。", "嘉兴与乌镇合作。", "乌镇是一座古镇。", "乌镇举办了论坛。",
               "大会闭幕。"]
    mts = ["The Wuzhen Town summit opened.", "Jiaxing cooperates with Wuzhen Town.",
           "Wuzhen Town is an ancient town.", "Water Town Wu held a forum.",
           "The conference closed."]
    contexts, stats = _article(mts, sources=sources)
    assert stats.term_renderings.get("乌镇") == "Wuzhen Town"
    flagged = [(i, c.mt[s.start:s.end]) for i, c in enumerate(contexts)
               for s in CHECKS["consistency"].run(c)]
    assert flagged == [(3, "Water Town Wu")]


@pytest.mark.parametrize(
    "text, names",
    [
        (DATELINE, ["People’s Daily Online", "Jiaxing", "November", "Reporter Ye Binde",
                    "Yangtze River Delta Integrated Digital Civilization Co-construction",
                    "Sharing-Digital Yangtze River Delta Development Conference", "Wuzhen",
                    "Zhejiang"]),
        ("The Yangtze River Delta’s economy grew.", ["Yangtze River Delta"]),
        ("However, Wuzhen Summit of the World Internet Conference opened.",
         ["Wuzhen Summit of the World Internet Conference"]),
        ("", []),
    ],
)
def test_extract_names(text, names):
    assert [n for _, _, n in extract_names(text)] == names
    for s, e, n in extract_names(text):
        assert text[s:e] == n


# --------------------------------------------------------------------------- registry

def test_registry():
    assert list(CHECKS) == ["numbers", "untranslated", "residue", "glued", "spacing",
                            "fullwidth", "doubled_words", "brackets", "tense", "length",
                            "glossary", "consistency"]
    for name, check in CHECKS.items():
        assert check.name == name and check.label and check.description


def test_run_checks_selects_and_rejects_unknown_names():
    assert [s.check for s in run_checks(ctx(SCENE), names=["residue"])] == ["residue"]
    with pytest.raises(InputError, match="spelling"):
        run_checks(ctx(SCENE), names=["spelling"])


def test_a_failing_check_is_skipped_and_logged(monkeypatch, caplog):
    def boom(_ctx):
        raise RuntimeError("bug")

    monkeypatch.setitem(CHECKS, "boom", checks.Check("boom", "always fails", boom))
    with caplog.at_level(logging.ERROR, logger="review.checks"):
        sug = run_checks(ctx(SCENE))
    assert {s.check for s in sug} == {"glued", "residue"}
    assert "boom" in caplog.text
    with pytest.raises(RuntimeError):
        run_checks(ctx(SCENE), strict=True)


def test_reference_year_defaults_to_the_current_year():
    import datetime

    far_past = CheckContext(mt="In 1990, the plant will close.")
    assert [s.check for s in run_checks(far_past, strict=True)] == ["tense"]
    this_year = datetime.date.today().year
    assert run_checks(CheckContext(mt=f"In {this_year}, the plant will close."),
                      strict=True) == []


def test_article_stats_of_nothing():
    assert article_stats([]) == ArticleStats()
    assert run_checks(CheckContext(mt=""), strict=True) == []
    assert run_checks(CheckContext(mt="x", glossary=Glossary([GlossaryEntry("", [], [])])),
                      strict=True) == []
