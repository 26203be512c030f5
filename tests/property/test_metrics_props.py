"""Scores stay in range; edit distance is a true Levenshtein distance."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from review.metrics import METRICS, edit_distance_chars, hter, score_pairs

WORDS = st.lists(st.sampled_from(
    "the digital economy Yangtze River Delta conference was held in Wuzhen 30% 1/3 , . 数字 经济"
    .split()), max_size=12).map(" ".join)
PAIRS = st.lists(st.tuples(st.one_of(WORDS, st.text(max_size=30)),
                           st.one_of(WORDS, st.text(max_size=30))), min_size=1, max_size=6)


def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@settings(max_examples=60, deadline=None)
@given(PAIRS, st.sampled_from(["en", "zh", "de"]))
def test_scores_in_range(pairs, lang):
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    out = score_pairs(hyps, refs, lang, metrics=tuple(METRICS))
    for name, (segs, corpus) in out.items():
        assert len(segs) == len(pairs)
        for v in segs + [corpus.value]:
            assert not math.isnan(v)
            assert v >= 0
            if name != "ter":
                assert v <= 100 + 1e-9


@settings(max_examples=60, deadline=None)
@given(WORDS, st.sampled_from(["en", "zh"]))
def test_hter_of_identical_text_is_zero(text, lang):
    assert hter(text, text, lang) == 0.0


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_edit_distance_is_levenshtein(a, b):
    d = edit_distance_chars(a, b)
    assert d == levenshtein(a, b)
    assert d == edit_distance_chars(b, a)
    assert (d == 0) == (a == b)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ab字 ", max_size=150), st.text(alphabet="ab字 ", max_size=150),
       st.text(alphabet="ab字 ", max_size=150))
def test_edit_distance_triangle(a, b, c):
    assert edit_distance_chars(a, c) <= edit_distance_chars(a, b) + edit_distance_chars(b, c)
