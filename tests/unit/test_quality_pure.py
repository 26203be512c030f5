"""Attention-check corruptions, catch-rate intervals, effort, verdicts, blind order and
second-pass agreement: the pure parts of quality control."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from review.core.errors import InputError
from review.core.vocab import CORRUPTION_KINDS
from review.quality.agreement import agreement_table, decisions_from_two_raters
from review.quality.attention import (
    any_corruption,
    corrupt,
    differs_only_inside,
    overlaps,
)
from review.quality.blind import blind_order
from review.quality.stats import effort, wilson
from review.quality.verdicts import make_profile, verdict

SENTENCES = [
    "The ratio of the digital economy to GDP will reach 45 percent by 2025.",
    "Officials in Zhejiang said the plan does not cover Wuzhen, which hosts the conference.",
    "The meeting, which opened on Monday in Hangzhou, drew 3,000 guests.",
    "Playing a game of chess together is what the delegates from Shanghai did in May.",
    "Exports rose sharply, imports fell, and the surplus was never larger.",
]

CASES = [
    # kind, text, expected span text in the corrupted text
    ("number", "It costs 45 yuan.", None),
    ("number", "It opened in May, late.", None),
    ("negation", "The plan does not cover Wuzhen.", "does"),
    ("negation", "The plan is ready.", " not"),
    ("entity", "Officials in Zhejiang met Wuzhen leaders.", None),
    ("omission", "Exports rose, imports fell sharply, and the surplus grew.", None),
    ("doubled_word", "Chess is played here.", None),
]


@pytest.mark.parametrize("kind,text,span", CASES)
def test_each_kind_changes_the_text_only_inside_its_span(kind: str, text: str,
                                                         span: str | None) -> None:
    found = corrupt(text, kind, random.Random(1))
    assert found is not None and found.kind == kind
    assert found.text != text
    assert differs_only_inside(text, found.text, found.start, found.end)
    assert 0 <= found.start < found.end <= len(found.text)
    if span is not None:
        assert found.span_text == span


def test_the_spans_say_what_changed() -> None:
    rng = random.Random(3)
    assert corrupt("It costs 45 yuan.", "number", rng).span_text.isdigit()
    assert corrupt("It opened in May, late.", "number", rng).span_text != "May"
    swapped = corrupt("Officials in Zhejiang met Wuzhen leaders.", "entity", rng)
    assert swapped.span_text in {"Zhejiang", "Wuzhen"}
    assert swapped.text.count(swapped.span_text) == 2
    doubled = corrupt("Chess is played here.", "doubled_word", rng)
    first, second = doubled.span_text.split(" ")
    assert first == second
    omitted = corrupt("Exports rose, imports fell sharply, and the surplus grew.",
                      "omission", rng)
    assert "imports fell sharply" not in omitted.text
    assert omitted.span_text == "rose, and"


@pytest.mark.parametrize("seed", range(40))
def test_any_corruption_keeps_the_property_on_news_sentences(seed: int) -> None:
    rng = random.Random(seed)
    for text in SENTENCES:
        found = any_corruption(text, rng)
        assert found is not None and found.kind in CORRUPTION_KINDS
        assert differs_only_inside(text, found.text, found.start, found.end), found


def test_a_kind_that_does_not_apply_gives_none() -> None:
    assert corrupt("no digits or months here", "number", random.Random(0)) is None
    assert corrupt("one two", "omission", random.Random(0)) is None


@pytest.mark.parametrize("flag,caught", [
    ((10, 14), True), ((0, 10), False), ((14, 20), False), ((13, 30), True),
    ((None, None), False), ((12, 12), True)])
def test_a_flag_catches_a_check_when_it_overlaps_the_span(flag: tuple, caught: bool) -> None:
    assert overlaps(flag[0], flag[1], (10, 14)) is caught


@pytest.mark.parametrize("hits,n,low,high", [
    (0, 10, 0.0, 0.2775), (10, 10, 0.7225, 1.0), (5, 10, 0.2366, 0.7634), (0, 0, None, None)])
def test_wilson_interval(hits: int, n: int, low: float | None, high: float | None) -> None:
    rate = wilson(hits, n)
    if low is None:
        assert rate.n == 0 and rate.low != rate.low
    else:
        assert rate.low == pytest.approx(low, abs=1e-4)
        assert rate.high == pytest.approx(high, abs=1e-4)


def test_effort_leaves_out_skims_and_breaks() -> None:
    times = pd.DataFrame([
        ("rita", 1, 10, 40.0),    # 4 s/word: kept
        ("rita", 2, 10, 2.0),     # 0.2 s/word: a skim
        ("rita", 3, 10, 600.0),   # 60 s/word: a break
        ("rita", 4, 20, 80.0),    # kept
        ("omar", 5, 10, 10.0),
    ], columns=["reviewer", "segment_id", "words", "seconds"])
    table = effort(times).set_index("reviewer")
    assert table.loc["rita", "segments"] == 2 and table.loc["rita", "excluded"] == 2
    assert table.loc["rita", "seconds_per_segment"] == 60.0
    assert table.loc["rita", "words_per_hour"] == pytest.approx(30 / 120 * 3600)
    loose = effort(times, (0.1, 100.0)).set_index("reviewer")
    assert loose.loc["rita", "segments"] == 4
    with pytest.raises(InputError):
        effort(times, (5.0, 1.0))


def test_verdicts_name_the_broken_limit() -> None:
    profile = make_profile("news", 10, {"Accuracy": 5})
    ok = verdict(1, profile, 1000, {"Fluency/Grammar": 4.0, "Accuracy/Omission": 5.0})
    assert ok.passed and "9.0 penalty points per 1,000 words" in ok.reason
    bad = verdict(1, profile, 500, {"Accuracy/Omission": 5.0})
    assert not bad.passed and bad.reason == (
        "Accuracy: 10.0 per 1,000 words is over its limit of 5")
    with pytest.raises(InputError):
        make_profile("x", -1)
    with pytest.raises(InputError):
        make_profile("x", 5, {"Nonsense": 1})


def test_blind_order_is_stable_per_reviewer_and_hides_names() -> None:
    systems = ["GPT4-5shot", "Lan-BridgeMT", "ONLINE-B", "NLLB"]
    first = blind_order(systems, "rita", "seg-7")
    assert first == blind_order(list(reversed(systems)), "rita", "seg-7")
    assert [label for label, _ in first] == ["A", "B", "C", "D"]
    assert sorted(s for _, s in first) == sorted(systems)
    orders = {tuple(s for _, s in blind_order(systems, "rita", f"seg-{i}")) for i in range(30)}
    assert len(orders) > 5  # shuffled per segment
    others = {tuple(s for _, s in blind_order(systems, f"r{i}", "seg-7")) for i in range(30)}
    assert len(others) > 5  # and per reviewer


def test_two_raters_become_second_pass_decisions() -> None:
    cols = ["unit", "rater", "category", "severity", "start", "end"]
    r1 = pd.DataFrame([(1, "a", "Accuracy/Mistranslation", "Major", 0, 5),
                       (1, "a", "Fluency/Grammar", "Minor", 10, 12),
                       (2, "a", "Style/Awkward", "Minor", 3, 9),
                       (3, "a", "Style/Awkward", "Minor", 3, 9)], columns=cols)
    r2 = pd.DataFrame([(1, "b", "Accuracy/Mistranslation", "Major", 2, 4),
                       (2, "b", "Style/Awkward", "Major", 4, 6),
                       (2, "b", "Accuracy/Omission", "Major", 20, 22)], columns=cols)
    decisions = decisions_from_two_raters(r1, r2)
    assert decisions["decision"].tolist() == ["accept", "reject", "change", "add"]
    table = agreement_table(decisions, "category").set_index("group")
    assert table.loc["all", ["flags", "kept", "changed", "rejected", "added"]].tolist() == [
        3, 1, 1, 1, 1]
    assert table.loc["Style/Awkward", "changed"] == 1
    clean_unit = pd.DataFrame([(4, "a", "Style/Awkward", "Minor", 0, 2)], columns=cols)
    assert decisions_from_two_raters(clean_unit, r2.iloc[0:0], units={4})[
        "decision"].tolist() == ["reject"]


def test_significance_clusters_rank_ranges_and_warnings() -> None:
    from review.quality.clusters import significance_clusters
    rng = random.Random(5)
    rows = []
    for seg in range(200):
        rows.append(("good", seg, rng.choice([0, 0, 0, 1])))
        rows.append(("good-too", seg, rng.choice([0, 0, 0, 1])))
        rows.append(("bad", seg, rng.choice([5, 5, 1, 10])))
        rows.append(("corrected", seg, 0.0))
        if seg < 10:
            rows.append(("sparse", seg, 25.0))
    units = pd.DataFrame(rows, columns=["system", "segment_id", "score"])
    table = significance_clusters(units, not_mt={"corrected"}, samples=300).set_index("system")
    assert table.loc["good", "cluster"] == table.loc["good-too", "cluster"] == 1
    assert table.loc["bad", "cluster"] > 1
    assert table.loc["bad", "rank_low"] >= 3
    assert "only 10 segments" in table.loc["sparse", "note"]
    assert table.loc["corrected", "note"].startswith("not MT")
    assert pd.isna(table.loc["corrected", "cluster"])
