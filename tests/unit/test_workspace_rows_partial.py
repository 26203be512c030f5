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


def test_a_long_article_comes_whole_only_near_where_the_reviewer_starts(
        bench: Workbench) -> None:
    from bench.long_article import load
    from review.services.workspace_window import AHEAD, LEAN_KEYS

    article_id = load(bench, AHEAD + 60, seed=1)
    rows = bench.workspace.workspace_rows(ADMIN, article_id, suspect_up_to=50)
    whole = [r for r in rows if not r.get("lean")]
    assert [r["position"] for r in whole] == list(range(AHEAD))
    far = rows[-1]
    assert set(far) - {"risk"} == {*LEAN_KEYS, "flags", "suspect", "lean"}
    assert far["suspect"] is None
    assert all(set(f) == {"id", "on", "origin", "state"} for r in rows for f in r["flags"]
               if r.get("lean"))
    # the browser asks for a drawn lean row and gets it whole
    asked = bench.workspace.workspace_rows(ADMIN, article_id, ids={far["id"]})[0]
    assert asked["mt"] and asked["candidates"] and asked["suspect"] is not None
    assert {f["id"] for f in asked["flags"]} == {f["id"] for f in far["flags"]}
    # a link to a segment opens there: the rows around it come whole
    around = bench.workspace.workspace_rows(ADMIN, article_id, suspect_up_to=50,
                                            focus=far["id"])
    assert not around[-1].get("lean") and around[0].get("lean")


def test_a_short_article_comes_whole(bench: Workbench) -> None:
    article_id = _article(bench)
    rows = bench.workspace.workspace_rows(ADMIN, article_id, suspect_up_to=50)
    assert not any(r.get("lean") for r in rows)
    assert all(r["suspect"] is not None for r in rows)
