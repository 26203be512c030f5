"""Retranslation of stored articles: candidates, cache in the store, cancellation, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from review.accounts.permissions import SYSTEM_ACTOR as ADMIN
from review.core.errors import InputError, ModelUnavailable
from review.db.models import Candidate
from review.formats.base import DocArticle, DocSegment
from review.retranslate import EchoTranslator
from review.services import Workbench
from tests.factories import WUZHEN, import_wuzhen
from tests.tiny_marian import build_tiny_marian

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian"), seed=0)


def candidates_of(bench: Workbench, article_id: int) -> dict[int, list[Candidate]]:
    rows = bench.reading.article(ADMIN, article_id).rows
    out = {}
    with bench.store.read() as session:
        for row in rows:
            out[row.id] = list(session.query(Candidate).filter_by(segment_id=row.id))
    return out


def test_roundtrip_stores_one_candidate_per_body_segment(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    forward, backward = EchoTranslator("fwd"), EchoTranslator("back")
    report = bench.retranslation.retranslate(ADMIN, article_id, forward=forward, backward=backward)
    assert report.mode == "roundtrip"
    rows = bench.reading.article(ADMIN, article_id).rows
    reviewable = [r for r in rows if r.kind in ("title", "body")]
    assert report.stored == len(reviewable)
    assert report.skipped_residue == len(rows) - len(reviewable)
    by_segment = candidates_of(bench, article_id)
    for row in rows:
        cands = by_segment[row.id]
        if row.kind in ("title", "body"):
            assert len(cands) == 1
            assert cands[0].kind == "model"
            assert cands[0].meta["pivot"] == f"[zh] {row.mt}"
            assert cands[0].text == f"[en] [zh] {row.mt}"
        else:
            assert cands == []
    assert bench.reading.article(ADMIN, article_id).rows[2].retranslation is not None


def test_second_run_makes_no_model_call(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    first = bench.retranslation.retranslate(ADMIN, article_id, forward=EchoTranslator("f"),
                              backward=EchoTranslator("b"))
    assert first.model_calls > 0
    forward, backward = EchoTranslator("f"), EchoTranslator("b")
    second = bench.retranslation.retranslate(ADMIN, article_id, forward=forward, backward=backward)
    assert second.model_calls == 0
    assert forward.calls == backward.calls == 0
    assert second.stored == first.stored
    other = bench.retranslation.retranslate(ADMIN, article_id, forward=EchoTranslator("f2"),
                              backward=EchoTranslator("b"))
    assert other.model_calls > 0  # a changed model translates again


def test_cancelled_run_stores_nothing(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    report = bench.retranslation.retranslate(ADMIN, article_id, forward=EchoTranslator("f"),
                               backward=EchoTranslator("b"), should_cancel=lambda: True)
    assert report.cancelled and report.stored == 0
    assert all(c == [] for c in candidates_of(bench, article_id).values())


def test_source_mode_needs_source_text(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    with pytest.raises(InputError, match="no source text"):
        bench.retranslation.retranslate(ADMIN, article_id, mode="source", forward=EchoTranslator())
    doc = DocArticle(title="bi", source_lang="zh", target_lang="en",
                     segments=[DocSegment(mt="Hello.", source="你好。")])
    bilingual = bench.imports.import_articles(ADMIN, [doc]).articles[0].id
    report = bench.retranslation.retranslate(ADMIN, bilingual, forward=EchoTranslator("f"))
    assert report.mode == "source" and report.stored == 1


def test_missing_model_is_a_clear_error(bench: Workbench, tmp_path: Path) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    with pytest.raises(ModelUnavailable, match="no-such-model"):
        bench.retranslation.retranslate(ADMIN, article_id, model=str(tmp_path / "no-such-model"),
                          back_model=str(tmp_path / "no-such-model"))


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "review", *args], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.system
def test_cli_roundtrip_with_real_tiny_model(tmp_path: Path, tiny_model: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert run_cli("import", str(WUZHEN), "--db", db).returncode == 0
    first = run_cli("retranslate", "1", "--model", str(tiny_model), "--mode", "roundtrip",
                    "--json", "--db", db)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    listed = json.loads(run_cli("list", "--json", "--db", db).stdout)[0]
    assert report["stored"] == listed["body_segments"]
    assert report["model_calls"] > 0
    second = json.loads(run_cli("retranslate", "1", "--model", str(tiny_model), "--mode",
                                "roundtrip", "--json", "--db", db).stdout)
    assert second["model_calls"] == 0
    assert second["cache_hits"] == 2 * second["stored"]


@pytest.mark.system
def test_cli_without_model_exits_2_with_one_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert run_cli("import", str(WUZHEN), "--db", db).returncode == 0
    result = run_cli("retranslate", "1", "--db", db)  # default hub model, offline
    assert result.returncode == 2
    assert "opus-mt" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
