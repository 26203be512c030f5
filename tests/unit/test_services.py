"""The review use cases end to end on a real store: import, edit, history, flags, export."""

from __future__ import annotations

import pytest

from review.accounts.permissions import SYSTEM_ACTOR as ADMIN
from review.core.errors import ConflictError, InputError, NotFound
from review.db.models import Article, Segment
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench
from tests.factories import import_wuzhen


def first_body(bench: Workbench, article_id: int):
    return next(r for r in bench.reading.article(ADMIN, article_id).rows if r.kind == "body")


def test_import_sets_language_and_residue(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    summary = bench.reading.summaries(ADMIN, [article_id])[0]
    assert summary.source_lang == "zh"
    assert summary.title.startswith("Playing a game of chess together")
    kinds = {r.mt: r.kind for r in bench.reading.article(ADMIN, article_id).rows}
    assert kinds["Share so more people can see it"] == "boilerplate"
    assert kinds["The article is in Chinese"] == "metadata"
    assert kinds["(Editors: Ye Binde, Wang Liwei)"] == "metadata"
    assert kinds["Photo by reporter Ye Binde"] == "caption"
    assert summary.residue_segments >= 7


def test_edit_creates_revision_and_rescore(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    row = first_body(bench, article_id)
    fixed = row.mt.replace("Yesterday", "On November 9")
    detail = bench.editing.save_segment(ADMIN, row.id, fixed, row.version, seconds_spent=12.5)
    assert detail.row.current == fixed
    assert detail.row.status == "fixed"
    assert detail.row.version == row.version + 1
    assert [(r.version, r.action, r.seconds_spent) for r in detail.revisions] == [
        (row.version + 1, "edit", 12.5)]
    scores = detail.scores["mt_vs_corrected"]
    assert 0 < scores["ter"] < 100
    assert scores["chrf"] < 100


def test_stale_save_is_refused_with_their_text(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    row = first_body(bench, article_id)
    bench.editing.save_segment(ADMIN, row.id, "first edit", row.version)
    with pytest.raises(ConflictError) as err:
        bench.editing.save_segment(ADMIN, row.id, "second edit from an old copy", row.version)
    assert err.value.theirs_text == "first edit"
    assert err.value.theirs_version == row.version + 1
    assert bench.reading.segment(ADMIN, row.id).row.current == "first edit"


def test_restore_brings_back_earlier_text(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    row = first_body(bench, article_id)
    one = bench.editing.save_segment(ADMIN, row.id, "version one", row.version)
    two = bench.editing.save_segment(ADMIN, row.id, "version two", one.row.version)
    rev_one = next(r for r in two.revisions if r.text == "version one")
    back = bench.editing.restore_revision(ADMIN, row.id, rev_one.id, two.row.version)
    assert back.row.current == "version one"
    assert [r.action for r in back.revisions] == ["restore", "edit", "edit"]
    original = bench.editing.restore_revision(ADMIN, row.id, None, back.row.version)
    assert original.row.current == row.mt


def test_flag_with_span_moves_status(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    row = first_body(bench, article_id)
    flag = bench.flags.add_flag(ADMIN, row.id, "Accuracy/Mistranslation", "Major", span="Yesterday",
                          note="the date is lost")
    assert row.mt[flag.start:flag.end] == "Yesterday"
    detail = bench.reading.segment(ADMIN, row.id)
    assert detail.row.status == "flagged"
    with pytest.raises(InputError, match="does not occur"):
        bench.flags.add_flag(ADMIN, row.id, "Style/Awkward", "Minor", span="not in the text")
    with pytest.raises(InputError, match="unknown severity"):
        bench.flags.add_flag(ADMIN, row.id, "Style/Awkward", "Huge")


def test_approve_every_segment_finishes_article(bench: Workbench) -> None:
    doc = DocArticle(title="t", source_lang="zh", target_lang="en", segments=[
        DocSegment(mt="Title here", kind="title"), DocSegment(mt="One sentence."),
        DocSegment(mt="Share so more people can see it", kind="boilerplate")])
    article_id = bench.imports.import_articles(ADMIN, [doc]).articles[0].id
    for row in bench.reading.article(ADMIN, article_id).rows:
        if row.kind in ("title", "body"):
            bench.editing.set_status(ADMIN, row.id, "approved", row.version)
    assert bench.reading.summaries(ADMIN, [article_id])[0].status == "done"


def test_export_text_holds_the_edit(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    before = bench.exports.export_article(ADMIN, article_id, "text").data.decode("utf-8")
    assert "Share so more people can see it" not in before
    assert "Tags:" not in before
    row = first_body(bench, article_id)
    assert row.mt in before
    bench.editing.save_segment(ADMIN, row.id, "A corrected first sentence.", row.version)
    after = bench.exports.export_article(ADMIN, article_id, "text").data.decode("utf-8")
    assert "A corrected first sentence." in after
    assert row.mt not in after
    with_residue = bench.exports.export_article(ADMIN, article_id, "text", include_residue=True)
    assert b"Share so more people can see it" in with_residue.data


def test_failed_import_leaves_database_as_it_was(bench: Workbench) -> None:
    good = DocArticle(title="good", segments=[DocSegment(mt="fine")])
    bad = DocArticle(title="bad", segments=[DocSegment(mt="bad\x00text")])
    with pytest.raises(InputError):
        bench.imports.import_articles(ADMIN, [good, bad])
    with bench.store.read() as session:
        assert session.query(Article).count() == 0
        assert session.query(Segment).count() == 0


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    (b"Share so more people can see it\n\nTags: a b c\n", "residue"),
])
def test_bad_text_files_are_refused(bench: Workbench, data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        bench.imports.import_file(ADMIN, data, "bad.txt")
    assert bench.library.is_empty()


def test_unknown_ids_say_so(bench: Workbench) -> None:
    with pytest.raises(NotFound, match="no article with id 99"):
        bench.reading.article(ADMIN, 99)
    with pytest.raises(NotFound):
        bench.reading.segment(ADMIN, 12345)


def test_score_article_reuses_unchanged_segment_scores(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    first = bench.scoring.score_article(ADMIN, article_id)
    assert set(first.corpus) == {"chrf", "bleu", "ter"}
    assert first.corpus["chrf"].value == pytest.approx(100.0)
    assert "nc:6" in first.corpus["chrf"].signature
    assert "version:2.6.0" in first.corpus["ter"].signature
    row = first_body(bench, article_id)
    bench.editing.save_segment(ADMIN, row.id, "Completely different words here.", row.version)
    second = bench.scoring.score_article(ADMIN, article_id)
    assert second.corpus["chrf"].value < 100.0
    assert second.segments[row.id]["chrf"] < 50
    unchanged = [sid for sid in second.segments if sid != row.id]
    assert all(second.segments[sid]["chrf"] == pytest.approx(100.0) for sid in unchanged)


def test_flag_spans_point_into_the_mt_even_after_an_edit(bench: Workbench) -> None:
    article_id = import_wuzhen(bench, ADMIN)
    row = first_body(bench, article_id)
    bench.editing.save_segment(ADMIN, row.id, "Entirely rewritten.", row.version)
    flag = bench.flags.add_flag(ADMIN, row.id, "Style/Awkward", "Minor", span="Yesterday")
    assert row.mt[flag.start:flag.end] == "Yesterday"
    with pytest.raises(InputError, match="does not occur"):
        bench.flags.add_flag(ADMIN, row.id, "Style/Awkward", "Minor", span="rewritten")
