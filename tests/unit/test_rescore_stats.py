"""Rescoring keeps sufficient statistics: the same numbers as sacrebleu, and no metric work
for what did not change."""

from __future__ import annotations

import math

import pytest
from sacrebleu.metrics import BLEU, CHRF

from review import metrics
from review.accounts.permissions import SYSTEM_ACTOR
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench

PAIRS = [("The conference opened in Wuzhen on Thursday.", "The summit opened in Wuzhen."),
         ("Playing a game of chess together", "Playing chess together"),
         ("In 2022 it will account for 1%.", "In 2022 it accounted for 1%."),
         ("Share so more people can see it", "Share so that more people can see it")] * 150


def _article(bench: Workbench) -> int:
    doc = DocArticle(title="Stats", target_lang="en",
                     segments=[DocSegment(mt=h, corrected=r) for h, r in PAIRS])
    return bench.imports.import_articles(SYSTEM_ACTOR, [doc]).articles[0].id


class Counting:
    """Counts the pairs whose statistics a metric computes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pairs = 0
        for metric in metrics.METRICS.values():
            original = metric.stats

            def counted(hyps, refs, lang, _original=original):  # noqa: ANN001, ANN202
                self.pairs += len(hyps)
                return _original(hyps, refs, lang)

            monkeypatch.setattr(metric, "stats", counted)


def test_corpus_scores_match_sacrebleu(bench: Workbench) -> None:
    article_id = _article(bench)
    scores = bench.scoring.score_article(SYSTEM_ACTOR, article_id)
    hyps, refs = [h for h, _ in PAIRS], [r for _, r in PAIRS]
    assert math.isclose(scores.corpus["bleu"].value,
                        BLEU().corpus_score(hyps, [refs]).score, abs_tol=1e-9)
    assert math.isclose(scores.corpus["chrf"].value,
                        CHRF().corpus_score(hyps, [refs]).score, abs_tol=1e-9)


def test_an_unchanged_rescore_computes_nothing_and_answers_the_same(
        bench: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unchanged rescore recomputed every corpus metric."""
    article_id = _article(bench)
    first = bench.scoring.score_article(SYSTEM_ACTOR, article_id)
    counting = Counting(monkeypatch)
    again = bench.scoring.score_article(SYSTEM_ACTOR, article_id)
    assert counting.pairs == 0
    assert again.corpus == first.corpus and again.segments == first.segments


def test_one_edited_segment_is_the_only_pair_scored_again(
        bench: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    article_id = _article(bench)
    bench.scoring.score_article(SYSTEM_ACTOR, article_id)
    row = bench.reading.article(SYSTEM_ACTOR, article_id).rows[7]
    counting = Counting(monkeypatch)
    bench.editing.save_segment(SYSTEM_ACTOR, row.id, "A different sentence altogether.",
                               row.version)
    after_save = counting.pairs
    scores = bench.scoring.score_article(SYSTEM_ACTOR, article_id)
    assert counting.pairs - after_save == 0  # the save already stored its statistics
    assert after_save <= len(metrics.segment_metrics())
    hyps = [h for h, _ in PAIRS]
    refs = [r for _, r in PAIRS]
    refs[7] = "A different sentence altogether."
    assert math.isclose(scores.corpus["chrf"].value,
                        CHRF().corpus_score(hyps, [refs]).score, abs_tol=1e-9)
