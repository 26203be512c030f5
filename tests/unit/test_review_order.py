"""The Review page's "worst first" order on the Wuzhen sample article (issue: send reviewers
to the errors first): content before residue, the signals named, the QE fallback, suspect
spans on the rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.accounts.permissions import SYSTEM_ACTOR as ADMIN
from review.core.vocab import RESIDUE_KINDS
from review.formats.base import ReadOptions
from review.retranslate import EchoTranslator, Translations
from review.services import Workbench

SAMPLE = Path(__file__).parents[2] / "samples" / "wuzhen-digital-yrd-conference.en.txt"


class Rewording(EchoTranslator):
    """Round trip that gives the MT back with a different number and a different word."""

    def translate(self, texts: list[str], src_lang: str, tgt_lang: str) -> list[str]:
        self.calls += 1
        return Translations(t.replace("1%", "41%").replace("Playing", "Staging") for t in texts)


def _import(bench: Workbench) -> int:
    return bench.imports.import_file(ADMIN, SAMPLE.read_bytes(), SAMPLE.name, None,
                             ReadOptions(target_lang="en")).articles[0].id


def _content_first(ranking: list[dict]) -> None:
    kinds = [r["kind"] for r in ranking]
    first_residue = next(i for i, k in enumerate(kinds) if k in RESIDUE_KINDS)
    assert all(k in RESIDUE_KINDS for k in kinds[first_residue:]), kinds
    assert all(r["risk"] == 0.0 for r in ranking[first_residue:])
    assert all(r["risk"] > 0.0 for r in ranking[:first_residue])


def test_without_retranslation_residue_is_last_and_signals_named(bench: Workbench) -> None:
    article_id = _import(bench)
    ranking = bench.ranking.risk_ranking(ADMIN, article_id)
    assert any(r["kind"] in RESIDUE_KINDS for r in ranking)
    _content_first(ranking)
    assert {r["ranked_by"] for r in ranking} == {"ranked by: checks, length"}
    assert {r["ranking_note"] for r in ranking} == {""}
    stored = {r.id: r.risk for r in bench.reading.article(ADMIN, article_id).rows}
    assert all(stored[r["segment_id"]] == pytest.approx(r["risk"], abs=1e-6) for r in ranking)


def test_with_a_retranslation_it_leads_and_suspect_spans_show(bench: Workbench) -> None:
    article_id = _import(bench)
    bench.retranslation.retranslate(ADMIN, article_id, forward=EchoTranslator("f"),
                                    backward=Rewording("b"))
    ranking = bench.ranking.risk_ranking(ADMIN, article_id)
    _content_first(ranking)
    assert ranking[0]["ranked_by"] == "ranked by: retranslation, checks, length"
    rows = bench.reading.article(ADMIN, article_id).rows
    changed = next(r for r in rows if r.mt.startswith("In 2022, the scale"))
    assert "1" in [changed.mt[s:e] for s, e in changed.suspect]
    title = next(r for r in rows if r.kind == "title")
    assert [title.mt[s:e] for s, e in title.suspect] == ["Playing"]
    assert all(r.suspect == [] for r in rows if r.kind in RESIDUE_KINDS)
    detail = bench.reading.segment(ADMIN, changed.id)
    assert detail.row.suspect == changed.suspect


def test_a_qe_model_that_cannot_load_falls_back(bench: Workbench, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    article_id = _import(bench)
    missing = str(tmp_path / "missing-qe")
    monkeypatch.setenv("REVIEW_QE_MODEL", missing)
    ranking = bench.ranking.risk_ranking(ADMIN, article_id)
    _content_first(ranking)
    note = ranking[0]["ranking_note"]
    assert missing in note and "ranked without it" in note
    assert ranking[0]["ranked_by"] == "ranked by: checks, length"
