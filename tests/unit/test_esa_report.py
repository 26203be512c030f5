"""ESA results: mean 0-100 segment scores with a 95% interval, best first, by system,
document or rater, in the service and `report esa`."""

from __future__ import annotations

import json

import pytest

from review.accounts.permissions import SYSTEM_ACTOR, Actor
from review.cli.main import main
from review.core.errors import InputError
from review.formats.base import DocArticle, DocSegment
from review.quality.stats import mean_interval
from review.services import Workbench


def test_mean_interval_is_a_t_interval_within_bounds() -> None:
    one = mean_interval([70])
    assert (one.mean, one.low, one.high) == (70, 0, 100)
    two = mean_interval([60, 80])
    assert two.mean == 70 and two.low == 0 and two.high == 100  # t(1) = 12.7: very wide
    many = mean_interval([70, 72, 68, 71, 69] * 4)
    assert 68 < many.low < 70 < many.high < 72
    flat = mean_interval([100] * 5)
    assert (flat.low, flat.high) == (100, 100)
    with pytest.raises(InputError):
        mean_interval([])


def _rated(bench: Workbench) -> None:
    bench.accounts.add_user(SYSTEM_ACTOR, "ana", "reviewer", None)
    docs = [DocArticle(title=f"doc {system}", target_lang="en", mt_system=system,
                       segments=[DocSegment(mt=f"{system} sentence number {i}.")
                                 for i in range(4)])
            for system in ("sys-a", "sys-b")]
    bench.imports.import_articles(SYSTEM_ACTOR, docs)
    from sqlalchemy import select

    from review.db.models import Article, Segment
    with bench.store.read() as session:
        rows = session.execute(select(Segment.id, Article.mt_system)
                               .join(Article, Article.id == Segment.article_id)).all()
    ana = Actor("ana", "admin")
    for seg_id, system in rows:
        bench.ratings.rate_segment(SYSTEM_ACTOR, seg_id, 50 if system == "sys-a" else 80)
        bench.ratings.rate_segment(ana, seg_id, 60 if system == "sys-a" else 90)


def test_esa_report_ranks_best_first(any_bench: Workbench) -> None:
    _rated(any_bench)
    by_system = any_bench.ratings.esa_report(SYSTEM_ACTOR)["rows"]
    assert [(r["system"], r["rank"], r["mean"], r["count"]) for r in by_system] == [
        ("sys-b", 1, 85.0, 8), ("sys-a", 2, 55.0, 8)]
    assert by_system[0]["low"] < 85 < by_system[0]["high"]
    by_rater = any_bench.ratings.esa_report(SYSTEM_ACTOR, "rater")["rows"]
    assert [r["rater"] for r in by_rater] == ["ana", SYSTEM_ACTOR.name]
    assert [r["document"] for r in any_bench.ratings.esa_report(SYSTEM_ACTOR, "document")
            ["rows"]] == ["doc sys-b", "doc sys-a"]
    with pytest.raises(InputError, match="cannot report ESA by 'category'"):
        any_bench.ratings.esa_report(SYSTEM_ACTOR, "category")


def test_report_esa_command(bench: Workbench, sqlite_url: str,
                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "esa", "--db", sqlite_url]) == 0
    assert "no segment scores yet" in capsys.readouterr().out
    _rated(bench)
    assert main(["report", "esa", "--by", "system", "--db", sqlite_url, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by"] == "system" and data["rows"][0]["system"] == "sys-b"
    assert main(["report", "esa", "--db", sqlite_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("  1. sys-b") and "95% CI" in lines[0]
