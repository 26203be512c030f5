"""Concordance, glossary panel and find-and-replace on the service side."""

from __future__ import annotations

from review.accounts.permissions import SYSTEM_ACTOR as ADMIN
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench
from review.ui.workspace_tools import EXTRA_HANDLERS


def _article(bench: Workbench) -> list:
    doc = DocArticle(title="Delta", source_lang="zh", target_lang="en", mt_system="mt",
                     segments=[
                         DocSegment(mt="The digital economy grew fast in the delta.",
                                    source="长三角数字经济增长很快。"),
                         DocSegment(mt="The digital economy grew quickly in the delta.",
                                    source="长三角数字经济增长迅速。"),
                         DocSegment(mt="Officials met in Wuzhen.", source="官员在乌镇会面。"),
                     ])
    article_id = bench.imports.import_articles(ADMIN, [doc]).articles[0].id
    return bench.reading.article(ADMIN, article_id).rows


def test_concordance_finds_corrected_segments_by_phrase_and_by_likeness(
        bench: Workbench) -> None:
    first, second, third = _article(bench)
    bench.editing.save_segment(ADMIN, first.id, "The digital economy grew rapidly in the delta.",
                       first.version)
    found = bench.workspace.concordance(ADMIN, "digital economy", second.id)
    assert [h["segment_id"] for h in found["phrase"]] == [first.id]
    assert found["phrase"][0]["corrected"].endswith("rapidly in the delta.")
    assert [h["segment_id"] for h in found["similar"]] == [first.id]
    assert found["similar"][0]["score"] >= 60
    assert bench.workspace.concordance(ADMIN, "", third.id)["similar"] == []  # nothing alike


def test_uncorrected_segments_are_not_the_teams_translations(bench: Workbench) -> None:
    _, second, _ = _article(bench)
    assert bench.workspace.concordance(ADMIN, "digital", second.id)["phrase"] == []


def test_glossary_panel_lists_the_terms_of_the_segment(bench: Workbench) -> None:
    first, _, third = _article(bench)
    bench.settings.set_setting(ADMIN, "glossary", {"filename": "g.csv", "content":
                                          "source,target,forbidden\n数字经济,digital economy,"
                                          "numeric economy\n乌镇,Wuzhen,\n"})
    terms = bench.workspace.glossary_terms(ADMIN, first.id)
    assert [(t["source"], t["targets"], t["forbidden"]) for t in terms] == [
        ("数字经济", ["digital economy"], ["numeric economy"])]
    assert [t["source"] for t in bench.workspace.glossary_terms(ADMIN, third.id)] == ["乌镇"]


def test_replace_makes_one_revision_per_segment_and_undoes(bench: Workbench) -> None:
    first, second, _ = _article(bench)
    changes = [{"segment_id": r.id, "text": r.current.replace("delta", "Delta"),
                "version": r.version} for r in (first, second)]
    ack = EXTRA_HANDLERS["replace"](bench, ADMIN, {"changes": changes})
    assert ack["message"] == "Replaced in 2 segments."
    for row in (first, second):
        detail = bench.reading.segment(ADMIN, row.id)
        assert detail.row.current.endswith("Delta.")
        assert [r.action for r in detail.revisions] == ["replace"]
    undo = ack["undo"]["event"]
    EXTRA_HANDLERS["replace"](bench, ADMIN, {**undo, "undo": ack["undo"]["label"]})
    assert [bench.reading.segment(ADMIN, r.id).row.current for r in (first, second)] == [
        first.current, second.current]
