"""Streaming imports: batches land hidden, appear together, and vanish on any failure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from review.accounts.permissions import SYSTEM_ACTOR
from review.core.errors import InputError
from review.core.vocab import STAGED_STATUS
from review.db.models import Article, Flag, Segment, utcnow
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench, staging
from review.services import imports as imports_module
from review.services.staging import discard_stale_stages


def _segments(n: int, tag: str = "a") -> Iterator[DocSegment]:
    for i in range(n):
        yield DocSegment(mt=f"Sentence {i} of {tag}, long enough to read.", source=f"第{i}句。",
                         external_id=f"{tag}{i}")


def _counts(bench: Workbench) -> tuple[int, int]:
    with bench.store.read() as session:
        return (session.scalar(select(func.count()).select_from(Article)),
                session.scalar(select(func.count()).select_from(Segment)))


def test_batches_stay_hidden_until_the_whole_stream_is_in(
        bench: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staging, "BATCH_SEGMENTS", 50)
    header = DocArticle(title="Streamed", source_lang="zh", target_lang="en")
    seen_while_streaming: list[tuple[int, int, int]] = []

    def pairs() -> Iterator[tuple[DocArticle, DocSegment]]:
        for i, seg in enumerate(_segments(230)):
            if i == 200:  # four batches are stored by now
                articles, segments = _counts(bench)
                listed = len(bench.reading.summaries(SYSTEM_ACTOR))
                seen_while_streaming.append((articles, segments, listed))
            yield header, seg

    report = bench.imports._import_pairs(SYSTEM_ACTOR, pairs(), "streamed.csv", again=False)
    assert seen_while_streaming == [(1, 200, 0)]  # stored, but no list shows it
    assert report.segments == 230
    [summary] = bench.reading.summaries(SYSTEM_ACTOR)
    assert summary.title == "Streamed"
    rows = bench.reading.article(SYSTEM_ACTOR, summary.id).rows
    assert [r.position for r in rows] == list(range(230))
    assert rows[-1].mt.startswith("Sentence 229 ")


def test_interleaved_articles_keep_their_own_order(bench: Workbench,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staging, "BATCH_SEGMENTS", 7)
    one = DocArticle(title="One", source_lang="zh")
    two = DocArticle(title="Two", source_lang="zh")
    pairs = [(one if i % 3 else two, seg) for i, seg in enumerate(_segments(40))]
    report = bench.imports._import_pairs(SYSTEM_ACTOR, iter(pairs), "mixed", again=False)
    first, second = report.articles
    assert (first.title, second.title) == ("Two", "One")  # order of first appearance
    texts = [r.mt for r in bench.reading.article(SYSTEM_ACTOR, second.id).rows]
    assert texts == [seg.mt for header, seg in pairs if header is one]


def test_a_failure_late_in_the_stream_leaves_nothing(bench: Workbench,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staging, "BATCH_SEGMENTS", 100)
    header = DocArticle(title="Broken", source_lang="zh")

    def pairs() -> Iterator[tuple[DocArticle, DocSegment]]:
        for i, seg in enumerate(_segments(1_000)):
            if i == 950:
                raise InputError("broken.csv, line 952: kind 'banner' is not a kind")
            yield header, seg

    with pytest.raises(InputError, match="line 952"):
        bench.imports._import_pairs(SYSTEM_ACTOR, pairs(), "broken.csv", again=False)
    assert _counts(bench) == (0, 0)


def test_an_id_repeated_across_batches_is_refused_with_both_segments(
        bench: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staging, "BATCH_SEGMENTS", 10)
    segments = list(_segments(35))
    segments[31].external_id = segments[4].external_id
    doc = DocArticle(title="Ids", source_lang="zh", segments=segments)
    with pytest.raises(InputError, match=r"'a4' appears twice \(segments 5 and 32\)"):
        bench.imports.import_articles(SYSTEM_ACTOR, [doc])
    assert _counts(bench) == (0, 0)


def test_long_segments_flush_by_characters(bench: Workbench,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    flushes: list[int] = []
    original = staging.StagedImport.flush

    def counting(self: staging.StagedImport) -> None:
        flushes.append(len(self._pending))
        original(self)

    monkeypatch.setattr(staging, "BATCH_CHARS", 10_000)
    monkeypatch.setattr(staging.StagedImport, "flush", counting)
    long_text = "word " * 1_000  # 5,000 characters
    doc = DocArticle(title="Long", source_lang="en", segments=[
        DocSegment(mt=f"{i} {long_text}") for i in range(9)])
    bench.imports.import_articles(SYSTEM_ACTOR, [doc])
    assert flushes[:4] == [2, 2, 2, 2]  # two segments reach 10,000 characters


def test_the_next_import_deletes_what_a_dead_import_staged(bench: Workbench) -> None:
    report = bench.imports.import_articles(SYSTEM_ACTOR, [DocArticle(
        title="Dead", source_lang="zh", segments=list(_segments(5, "dead")))])
    dead = report.articles[0].id
    with bench.store.write() as session:  # as a killed import leaves it
        session.execute(update(Article).where(Article.id == dead).values(
            status=STAGED_STATUS, created_at=utcnow() - timedelta(hours=2)))
    assert bench.reading.summaries(SYSTEM_ACTOR) == []
    bench.imports.import_articles(SYSTEM_ACTOR, [DocArticle(
        title="Alive", source_lang="zh", segments=list(_segments(3, "alive")))])
    assert _counts(bench) == (1, 3)
    assert discard_stale_stages(bench.store, older_than=timedelta(0)) == 0


def test_a_staged_article_is_not_found_by_id(bench: Workbench) -> None:
    from review.core.errors import NotFound

    report = bench.imports.import_articles(SYSTEM_ACTOR, [DocArticle(
        title="Half", source_lang="zh", segments=list(_segments(3)))])
    with bench.store.write() as session:
        session.execute(update(Article).values(status=STAGED_STATUS))
    with pytest.raises(NotFound):
        bench.reading.article(SYSTEM_ACTOR, report.articles[0].id)
    data = bench.reports.dashboard_data(SYSTEM_ACTOR, with_metrics=False)
    assert data.empty and not data.options.articles


def test_big_imports_get_their_checks_from_a_job(bench: Workbench,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports_module, "CHECKS_INLINE_SEGMENTS", 10)
    doc = DocArticle(title="Big", source_lang="zh", segments=[
        DocSegment(mt=f"The the sentence {i}.", source=f"第{i}句。") for i in range(20)])
    report = bench.imports.import_articles(SYSTEM_ACTOR, [doc])
    assert report.checks_deferred == [report.articles[0].id]
    assert report.suggested_flags == 0
    [job] = bench.jobs.jobs(SYSTEM_ACTOR)
    assert job.kind == "checks" and job.state == "queued"
    assert any("run as job" in note for note in report.notes)
    with bench.store.read() as session:
        assert not session.scalar(select(func.count()).select_from(Flag))
