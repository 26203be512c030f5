"""The workspace reads only what changed, shows every system, and puts the MT system's
imported annotations on the MT line."""

from __future__ import annotations

from review.accounts.permissions import SYSTEM_ACTOR as ADMIN
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench


def _article(bench: Workbench, systems: int = 6) -> int:
    doc = DocArticle(title="Systems", source_lang="zh", target_lang="en", mt_system="mt",
                     segments=[DocSegment(mt=f"Sentence {i} reads well.", source=f"第{i}句。",
                                          candidates={f"sys{k}": f"Sentence {i} reads fine {k}."
                                                      for k in range(systems)})
                               for i in range(4)])
    return bench.imports.import_articles(ADMIN, [doc]).articles[0].id


def test_only_the_named_segments_are_read(bench: Workbench) -> None:
    article_id = _article(bench)
    everything = bench.workspace.workspace_rows(ADMIN, article_id)
    wanted = {everything[1]["id"], everything[3]["id"]}
    some = bench.workspace.workspace_rows(ADMIN, article_id, ids=wanted)
    assert {r["id"] for r in some} == wanted
    assert some == [r for r in everything if r["id"] in wanted]


def test_every_system_of_a_segment_is_sent(bench: Workbench) -> None:
    article_id = _article(bench, systems=10)
    row = bench.workspace.workspace_rows(ADMIN, article_id)[0]
    assert len(row["candidates"]) == 10
