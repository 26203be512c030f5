"""A few articles' MQM read from those articles' rows alone equals the figure computed from
the whole library's rows, on the samples and the WMT file, whatever annotations count."""

from __future__ import annotations

import math

from sqlalchemy import select

from review.accounts.permissions import SYSTEM_ACTOR
from review.core.vocab import MQM_ANNOTATIONS
from review.dashboard.article_mqm import ArticleMQM, article_mqm
from review.db.models import Segment
from review.formats.base import ReadOptions
from review.seed import SAMPLES_DIR
from review.services import Workbench
from review.services.report_data import _load_frames
from tests.factories import import_wuzhen

WMT = SAMPLES_DIR / "wmt23" / "wmt23-zhen-sample.tsv"


def _library(bench: Workbench) -> list[int]:
    """The Wuzhen sample with the team's work on it, and the WMT experts' file."""
    wuzhen = import_wuzhen(bench)
    wmt = [a.id for a in bench.imports.import_path(
        SYSTEM_ACTOR, WMT, "mqm-tsv", ReadOptions(source_lang="zh", target_lang="en")).articles]
    rows = bench.reading.article(SYSTEM_ACTOR, wuzhen).rows
    body = [r for r in rows if r.kind == "body"]
    bench.flags.add_flag(SYSTEM_ACTOR, body[0].id, "Accuracy/Mistranslation", "Major",
                         start=0, end=4)
    with bench.store.read() as session:
        versions = dict(session.execute(select(Segment.id, Segment.version)).all())
    for row in body[1:4]:
        bench.editing.set_status(SYSTEM_ACTOR, row.id, "approved", versions[row.id])
    return [wuzhen, *wmt]


def _same(a: ArticleMQM, b: ArticleMQM) -> bool:
    close = all(math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-12) or (math.isnan(x)
                                                                     and math.isnan(y))
                for x, y in ((a.points, b.points), (a.words, b.words)))
    return (close and a.segments == b.segments and a.by_category.keys() == b.by_category.keys()
            and all(math.isclose(a.by_category[k], b.by_category[k], abs_tol=1e-12)
                    for k in a.by_category))


def test_one_articles_rows_give_the_libraries_figure(bench: Workbench) -> None:
    ids = _library(bench)
    with bench.store.read() as session:
        whole = _load_frames(session)
        slices = {i: _load_frames(session, [i]) for i in ids}
        pair = _load_frames(session, ids[:2])
    assert len(whole.flags) > sum(len(s.flags) for s in list(slices.values())[:1])
    for choice in MQM_ANNOTATIONS:
        everything = article_mqm(whole, ids, choice)
        assert any(m.rated for m in everything.values())
        for article_id, frames in slices.items():
            alone = article_mqm(frames, [article_id], choice)[article_id]
            assert _same(alone, everything[article_id]), (choice, article_id)
        both = article_mqm(pair, ids[:2], choice)
        assert all(_same(both[i], everything[i]) for i in ids[:2])


def test_the_service_reads_a_slice_only_when_the_library_is_not_loaded(
        bench: Workbench) -> None:
    ids = _library(bench)
    fresh = bench.reports.article_mqm(SYSTEM_ACTOR, ids[:1], "all")
    assert "_frames_cache" not in bench.reports.__dict__ or not bench.reports.__dict__[
        "_frames_cache"]  # a few articles never load the library's rows
    bench.reports._data()  # the dashboards loaded them: reuse
    loaded = bench.reports.article_mqm(SYSTEM_ACTOR, ids[:1], "all")
    assert _same(fresh[ids[0]], loaded[ids[0]])
    for first_pass in (False, True):
        for choice in MQM_ANNOTATIONS:
            bench.reports.__dict__.pop("_frames_cache", None)
            sliced = bench.reports.article_mqm(SYSTEM_ACTOR, ids, choice,
                                               first_pass=first_pass)
            bench.reports._data()
            full = bench.reports.article_mqm(SYSTEM_ACTOR, ids, choice,
                                             first_pass=first_pass)
            assert all(_same(sliced[i], full[i]) for i in ids)
