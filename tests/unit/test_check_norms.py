"""The checks' article norms kept in the store: a fresh process reads them instead of
rebuilding them, and the suggestions on a saved segment are the same either way."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from bench.long_article import load
from review.accounts.permissions import SYSTEM_ACTOR as ADMIN
from review.checks import article_stats
from review.checks import runner as qa
from review.db.models import Article, Candidate, CheckNorms, Flag, Segment
from review.services import Workbench
from review.services.checking import suggest_for_segments
from tests.factories import import_wuzhen


def _fresh_process() -> None:
    """What a new app process holds of the norms: nothing."""
    qa._STATS.drop(lambda key: True)


def _open_checks(bench: Workbench, segment_id: int) -> list[tuple]:
    with bench.store.read() as session:
        return sorted(tuple(row) for row in session.execute(
            select(Flag.check_name, Flag.span_in, Flag.start, Flag.end, Flag.category,
                   Flag.severity, Flag.note)
            .where(Flag.segment_id == segment_id, Flag.origin == "check",
                   Flag.state == "open")))


def _recheck(bench: Workbench, article_id: int, segment_id: int, *, kept: bool) -> list[tuple]:
    """Check one segment again in a fresh process, with the kept norms or without them."""
    _fresh_process()
    with bench.store.write() as session:
        if not kept:
            session.execute(delete(CheckNorms))
        article = session.get(Article, article_id)
        assert article is not None
        suggest_for_segments(session, article, [segment_id])
    return _open_checks(bench, segment_id)


@pytest.fixture(params=["sample", "generated"])
def article_id(request: pytest.FixtureRequest, bench: Workbench) -> int:
    if request.param == "sample":
        return import_wuzhen(bench, ADMIN)
    return load(bench, 300, seed=300)


def test_import_keeps_the_norms_a_fresh_process_would_build(bench: Workbench,
                                                            article_id: int) -> None:
    _fresh_process()
    with bench.store.read() as session:
        article = session.get(Article, article_id)
        assert article is not None
        kept = session.get(CheckNorms, article_id)
        assert kept is not None
        segments = list(session.scalars(select(Segment).where(
            Segment.article_id == article_id).order_by(Segment.position)))
        candidates: dict[int, dict[str, str]] = {}
        for seg_id, system, text in session.execute(
                select(Candidate.segment_id, Candidate.system, Candidate.text)
                .where(Candidate.segment_id.in_([s.id for s in segments]))):
            candidates.setdefault(seg_id, {})[system] = text
        contexts = [ctx for _, ctx in qa._contexts(article, segments, candidates)]
    built = article_stats(contexts)
    assert kept.stats == {**kept.stats, **built.__dict__}


def test_a_save_after_a_restart_suggests_what_rebuilt_norms_suggest(
        bench: Workbench, article_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = bench.reading.article(ADMIN, article_id).rows
    found = []
    for row in [rows[1], rows[len(rows) // 2], rows[-1]]:
        _fresh_process()
        with monkeypatch.context() as patched:  # the save reads the kept norms, builds none
            patched.setattr(qa, "article_stats", _no_rebuild)
            bench.editing.save_segment(ADMIN, row.id, row.mt + " and 2,000 more in 2019 , ,",
                                       row.version)
        with_kept = _open_checks(bench, row.id)
        assert with_kept == _recheck(bench, article_id, row.id, kept=True)
        assert with_kept == _recheck(bench, article_id, row.id, kept=False)
        found += with_kept
    assert found, "the edits should draw suggestions"


def _no_rebuild(contexts: object) -> None:
    raise AssertionError("the norms were rebuilt from the whole article")


def test_a_merge_drops_the_kept_norms(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    rows = bench.reading.article(ADMIN, article_id).rows
    body = [r for r in rows if r.kind == "body"]
    bench.segments.merge_with_next(ADMIN, body[0].id, body[0].version)
    with bench.store.read() as session:
        assert session.get(CheckNorms, article_id) is None
