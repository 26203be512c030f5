"""Quality estimation through the real transformers path, with a tiny random model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from review.core.settings import load_settings
from review.ranking import qe
from review.ranking.qe import TransformersQE, estimate
from tests.tiny_qe import build_tiny_qe

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def tiny_qe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_qe(tmp_path_factory.mktemp("tiny-qe"))


def test_scores_pairs_and_target_only(tiny_qe: Path) -> None:
    model = TransformersQE(str(tiny_qe), batch_size=2)
    mts = ["the conference was held in wuzhen", "photo by reporter", "the scale of the economy"]
    with_source = model.score(["die konferenz", "der", "und"], mts)
    alone = model.score(["", "", ""], mts)
    assert len(with_source) == len(alone) == 3
    assert all(isinstance(v, float) for v in with_source + alone)
    assert len(set(alone)) > 1  # the score depends on the text
    assert model.score(["", "", ""], mts) == alone  # deterministic


def test_estimate_with_a_configured_model(tiny_qe: Path) -> None:
    scores, note = estimate(str(tiny_qe), ["", ""], ["the total", "ratios are about"])
    assert note == "" and len(scores) == 2


def test_missing_model_gives_one_line_naming_it(tmp_path: Path, caplog) -> None:
    missing = str(tmp_path / "no-such-qe-model")
    scores, note = estimate(missing, [""], ["text"])
    assert scores is None
    assert missing in note and "ranked without it" in note and "\n" not in note
    assert missing in caplog.text


def test_no_model_configured_is_silent() -> None:
    assert estimate("", [""], ["text"]) == (None, "")


def test_settings_name_the_model(tmp_path: Path) -> None:
    config = tmp_path / "review.toml"
    config.write_text('[quality]\nmodel = "/models/qe"\n')
    assert load_settings(config, environ={}).qe_model == "/models/qe"
    assert load_settings(config, environ={"REVIEW_QE_MODEL": "other"}).qe_model == "other"


def test_import_stays_light() -> None:
    assert qe.TransformersQE("x")._model is None  # nothing loads until a score is asked for


def test_a_configured_model_joins_the_review_order(tiny_qe: Path, bench, wuzhen_bytes: bytes,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from review.accounts.permissions import SYSTEM_ACTOR
    from review.core.vocab import RESIDUE_KINDS
    from review.formats.base import ReadOptions

    article_id = bench.imports.import_file(SYSTEM_ACTOR, wuzhen_bytes, "w.txt", None,
                                   ReadOptions(target_lang="en")).articles[0].id
    monkeypatch.setenv("REVIEW_QE_MODEL", str(tiny_qe))
    ranking = bench.ranking.risk_ranking(SYSTEM_ACTOR, article_id)
    assert ranking[0]["ranked_by"] == "ranked by: checks, length, quality estimate"
    assert ranking[0]["ranking_note"] == ""
    kinds = [r["kind"] in RESIDUE_KINDS for r in ranking]
    assert kinds == sorted(kinds)  # residue and captions last
