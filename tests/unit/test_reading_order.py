"""The reading order: expected points per word, residue and captions last, signals named."""

import pytest

from review.ranking.order import Model, OrderModel, default_model, rank
from review.ranking.signals import segment_signals

MODEL = OrderModel(
    with_retranslation=Model(-3.0, {"chrf_gap": 2.0}),
    without_retranslation=Model(-3.0, {"check_points_per_word": 1.0}),
)


def _signals(mt, rt=None, suggestions=()):
    return segment_signals(mt, rt, list(suggestions), "en")


def test_disagreeing_segment_ranks_first():
    sig = [_signals("The cat sat on the mat.", "The cat sat on the mat."),
           _signals("The dog ate all the cake.", "A cat slept under a table.")]
    ranking = rank(["body", "body"], sig, model=MODEL)
    assert ranking.risks[1] > ranking.risks[0] > 0
    assert ranking.label == "ranked by: retranslation, checks, length"


@pytest.mark.parametrize("kind", ["caption", "boilerplate", "metadata"])
def test_residue_and_captions_rank_last(kind):
    sig = [_signals("Photo by reporter Wang", "Something else entirely"),
           _signals("The conference opened.", "The conference opened.")]
    ranking = rank([kind, "body"], sig, model=MODEL)
    assert ranking.risks[0] == 0.0
    assert ranking.risks[1] > 0.0


def test_without_retranslation_the_page_names_checks_and_length():
    ranking = rank(["title", "body"], [_signals("A title"), _signals("Some body text here.")])
    assert ranking.label == "ranked by: checks, length"
    assert all(r > 0 for r in ranking.risks)


def test_quality_estimate_joins_when_every_content_segment_has_one():
    sig = [_signals("same words here", "same words here"), _signals("one two", "one two")]
    qe = [0.1, 0.9]  # higher = better: the first one is worse
    ranking = rank(["body", "body", "caption"], sig + [_signals("x")], qe=[*qe, None],
                   model=MODEL)
    assert ranking.signals[-1] == "qe"
    assert ranking.risks[0] > ranking.risks[1] > ranking.risks[2] == 0.0


def test_shipped_model_loads():
    model = default_model()
    assert model.with_retranslation.coefficients
    assert model.without_retranslation.coefficients
