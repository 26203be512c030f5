"""Capture at 20% effort on hand-made rankings: perfect, random, reversed, ties."""

import numpy as np
import pytest

from review.ranking.capture import (
    auc_major,
    capture,
    capture_major,
    capture_points,
    evaluate,
    kendall_tau_b,
)

# ten segments of 10 words; the two worst hold all the points
WORDS = [10] * 10
POINTS = [10, 5, 0, 0, 0, 0, 0, 0, 0, 0]


def test_perfect_ranking_finds_everything_in_the_first_fifth():
    assert capture_points(POINTS, WORDS, POINTS) == pytest.approx(1.0)
    assert capture_major(POINTS, WORDS, POINTS) == pytest.approx(1.0)


def test_reversed_ranking_finds_nothing():
    reversed_signal = [-p for p in POINTS]
    assert capture_points(reversed_signal, WORDS, POINTS) == pytest.approx(0.0)
    assert capture_major(reversed_signal, WORDS, POINTS) == pytest.approx(0.0)


def test_random_ranking_finds_about_the_effort():
    rng = np.random.default_rng(7)
    words = rng.integers(3, 40, size=400)
    points = rng.choice([0, 0, 0, 1, 5], size=400) * 1.0
    found = [capture_points(rng.random(400), words, points) for _ in range(300)]
    assert np.mean(found) == pytest.approx(0.20, abs=0.02)


def test_constant_signal_scores_exactly_the_effort():
    assert capture([1.0] * 10, WORDS, POINTS, effort=0.2) == pytest.approx(0.2)
    assert capture([0.0] * 10, WORDS, POINTS, effort=0.5) == pytest.approx(0.5)


@pytest.mark.parametrize("words, points, signal, expected", [
    # the budget (20 of 100 words) cuts the second segment in half
    ([10, 20, 70], [4, 4, 0], [3, 2, 1], (4 + 2) / 8),
    # a long first segment uses the whole budget on a fifth of itself
    ([100, 10, 10], [0, 6, 6], [1, 0.5, 0], 0.0),
    # short dense segments first: effort is words, not segments
    ([2, 2, 96], [5, 5, 5], [2, 1, 0], (5 + 5 + 5 * 20 / 96 - 5 * 4 / 96) / 15),
    # NaN ranks last
    ([10, 40], [1, 0], [float("nan"), 1.0], 0.0),
])
def test_capture_by_hand(words, points, signal, expected):
    assert capture(signal, words, points) == pytest.approx(expected)


def test_no_points_gives_nan():
    assert np.isnan(capture([1, 2], [3, 4], [0, 0]))


def test_mismatched_lengths_raise():
    with pytest.raises(ValueError):
        capture([1, 2], [3], [0, 1])


def test_tau_and_auc():
    assert kendall_tau_b([1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)
    assert kendall_tau_b([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert auc_major([3, 2, 1], [5, 0, 0]) == pytest.approx(1.0)
    assert auc_major([1, 1, 1], [5, 0, 0]) == pytest.approx(0.5)
    figures = evaluate(POINTS, WORDS, POINTS)
    assert set(figures) == {"capture_points", "capture_major", "kendall_tau_b", "auc_major"}
