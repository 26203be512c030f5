"""TER with bounded work: sacrebleu's value on ordinary segments, linear cost on long ones."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sacrebleu.metrics import TER

from review.metrics.bounded_ter import SHIFT_WORDS, BoundedTER, word_edit_distance


def _levenshtein(a: list[str], b: list[str]) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


WORDS = st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=9)


@given(WORDS, WORDS)
def test_word_edit_distance_is_levenshtein(a: list[str], b: list[str]) -> None:
    assert word_edit_distance(a, b) == _levenshtein(a, b)


@pytest.mark.parametrize(("hyp", "ref"), [
    ("a b c d", "a c b d"),
    ("the cat sat on the mat", "on the mat the cat sat"),
    ("Playing a game of chess together", "Playing chess together"),
    ("", "something"),
])
def test_short_segments_score_as_sacrebleu(hyp: str, ref: str) -> None:
    assert BoundedTER().sentence_score(hyp, [ref]).score == TER().sentence_score(
        hyp, [ref]).score


def test_a_long_scrambled_segment_costs_little() -> None:
    """TER on one 10,000-word segment took 1.75 GB and 22 s."""
    words = [f"w{i}" for i in range(10_000)]
    started = time.perf_counter()
    score = BoundedTER().sentence_score(" ".join(reversed(words)), [" ".join(words)])
    assert time.perf_counter() - started < 5
    assert score.score == 100.0


def test_just_over_the_bound_is_an_upper_bound_of_ter() -> None:
    words = [f"w{i % 40}" for i in range(SHIFT_WORDS + 1)]
    hyp = " ".join(words[1:] + words[:1])
    bounded = BoundedTER().sentence_score(hyp, [" ".join(words)]).score
    assert bounded >= TER().sentence_score(hyp, [" ".join(words)]).score


def test_the_signature_names_the_bound() -> None:
    ter = BoundedTER()
    ter.num_refs = 1
    assert f"shifts:<={SHIFT_WORDS}w" in str(ter.get_signature())
