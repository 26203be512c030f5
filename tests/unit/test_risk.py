"""review.ranking.risk's component figures, the reading order end to end, and rank statistics."""

import math

import pytest

from review.checks import CheckContext, Suggestion, article_stats, run_checks
from review.ranking.article import rank_article
from review.ranking.capture import kendall_tau_b, roc_auc
from review.ranking.risk import agreement, check_signal, length_signal

MAJOR = Suggestion("numbers", "Accuracy/Mistranslation", "Major", 0, 2, "x")
MINOR = Suggestion("tense", "Fluency/Grammar", "Minor", 0, 2, "x")
PUNCT = Suggestion("glued", "Fluency/Punctuation", "Minor", 0, 1, "x")


@pytest.mark.parametrize(
    "suggestions, expected",
    [
        ([], 0.0),
        ([MAJOR], 1 - math.exp(-1)),
        ([MINOR], 1 - math.exp(-0.2)),
        ([PUNCT], 1 - math.exp(-0.02)),
        ([MAJOR, MAJOR, MINOR], 1 - math.exp(-11 / 5)),
    ],
)
def test_check_signal(suggestions, expected):
    assert check_signal(suggestions) == pytest.approx(expected)


def test_length_signal_counts_only_beyond_one_and_a_half():
    cand = "The conference on the digital Yangtze River Delta was held in Wuzhen yesterday."
    mts = [cand] * 5 + [cand[:25], cand[:50]]
    ctxs = [CheckContext(mt=m, candidates={"rt": cand}) for m in mts]
    stats = article_stats(ctxs)
    for c in ctxs:
        c.article = stats
    assert length_signal(ctxs[0]) == 0.0
    assert length_signal(ctxs[5]) == 1.0  # under a third of the usual length
    ratio = len(cand[:50].replace(" ", "")) / len(cand.replace(" ", ""))  # about 1/1.6
    assert length_signal(ctxs[6]) == pytest.approx(
        (math.log(1 / ratio) - math.log(1.5)) / (math.log(3) - math.log(1.5)))
    assert 0 < length_signal(ctxs[6]) < 0.1
    assert length_signal(CheckContext(mt="short")) is None


def test_agreement_is_mean_chrf_against_candidates():
    mt = "The conference was held in Wuzhen."
    assert agreement(mt, {"a": mt, "b": ""}, "en") == pytest.approx(100.0)
    assert agreement(mt, {}, "en") is None
    two = agreement(mt, {"a": mt, "b": "Something else entirely."}, "en")
    assert 0 < two < 100


def test_risk_end_to_end_prefers_the_faulty_segment():
    good = "The conference was held in Wuzhen, Zhejiang, on November 9."
    bad = "In 2022, the scale will account for 1% of the total. The ratios are 3/5 and 1/3 " \
          "respectively."
    cands = [{"rt": good}, {"rt": "In 2022 the scale accounted for 3/5 and 1/3 of the total."}]
    ctxs = [CheckContext(mt=good, candidates=cands[0], reference_year=2023),
            CheckContext(mt=bad, candidates=cands[1], reference_year=2023)]
    sugg = [run_checks(c) for c in ctxs]
    chrf = [agreement(c.mt, c.candidates, "en") for c in ctxs]
    ranking, _ = rank_article(["body", "body"], [c.mt for c in ctxs],
                              [c["rt"] for c in cands], chrf, sugg, "en")
    low, high = ranking.risks
    assert high > 2 * low


@pytest.mark.parametrize(
    "x, y, expected",
    [
        ([1, 2, 3, 4], [1, 3, 2, 4], 4 / 6),
        ([1, 2, 3], [3, 2, 1], -1.0),
        ([1, 1, 2], [1, 2, 3], 2 / math.sqrt(6)),
    ],
)
def test_kendall_tau_b(x, y, expected):
    assert kendall_tau_b(x, y) == pytest.approx(expected)


def test_roc_auc():
    assert roc_auc([0.1, 0.4, 0.35, 0.8], [False, False, True, True]) == pytest.approx(0.75)
    assert roc_auc([0.5, 0.5], [False, True]) == pytest.approx(0.5)
    assert math.isnan(roc_auc([0.1, 0.2], [True, True]))
