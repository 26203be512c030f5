"""The Second pass page shows each first-pass correction as a word diff and lets the second
reviewer edit and delete their own flags, never the first reviewer's."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from review.accounts.permissions import SYSTEM_ACTOR, Actor
from review.core.errors import PermissionDenied
from review.db.store import open_store
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench
from tests.factories import make_team
from tests.ui.test_admin_page import flashes, logged_in

MT = "Playing a game of chess together is not allowed in May."
CORRECTED = "Playing chess together is forbidden in May."


@pytest.fixture
def bench(empty_app_db: str) -> Workbench:
    """Rita corrected and flagged segment 2 in the first pass; Omar has the second pass and
    added a flag of his own."""
    bench = Workbench(open_store(empty_app_db))
    team = make_team(bench, {"rita": "reviewer", "omar": "reviewer"})
    bench.imports.import_articles(SYSTEM_ACTOR, [DocArticle(
        title="Chess", source_lang="zh", target_lang="en", segments=[
            DocSegment(mt="Playing chess", kind="title"), DocSegment(mt=MT),
            DocSegment(mt="In 2022 it will account for 1%, the officials said.")])])
    bench.assignments.assign(SYSTEM_ACTOR, 1, "rita")
    rita = team["rita"]
    for row in bench.reading.article(rita, 1).rows:
        fresh = bench.reading.segment(rita, row.id).row
        text = CORRECTED if row.mt == MT else row.mt
        if text == row.mt:
            bench.editing.set_status(rita, row.id, "fixed", fresh.version)
        else:
            bench.flags.add_flag(rita, row.id, "Style/Awkward", "Minor", span="a game of",
                                 note="<b>wordy</b>")
            fresh = bench.reading.segment(rita, row.id).row
            bench.editing.save_segment(rita, row.id, text, fresh.version)
    bench.second_pass.assign_second_pass(SYSTEM_ACTOR, 1, "omar")
    segment = _segment(bench)
    bench.second_pass.add_missing_flag(team["omar"], segment, "Accuracy/Omission", "Minor",
                                       start=0, end=7, note="first note")
    return bench


def _actor(bench: Workbench, name: str) -> Actor:
    """A reviewer as a login gives them."""
    [user] = [u for u in bench.accounts.list_users(SYSTEM_ACTOR) if u.name == name]
    return Actor(name, "reviewer", user.id)


def _segment(bench: Workbench) -> int:
    return next(r.id for r in bench.reading.article(SYSTEM_ACTOR, 1).rows if r.mt == MT)


def _flags(bench: Workbench, author: str) -> list:
    return [f for f in bench.reading.segment(SYSTEM_ACTOR, _segment(bench)).flags
            if f.author == author]


def _html(at: AppTest) -> str:
    return "".join(e.proto.body for e in at.get("html"))


def test_the_page_shows_the_correction_as_a_word_diff(bench: Workbench) -> None:
    at = logged_in("omar", "second_pass.py")
    body = _html(at)
    assert '<del class="diff-del"> a game of</del>' in body
    assert '<del class="diff-del">not allowed</del>' in body
    assert '<ins class="diff-ins">forbidden</ins>' in body
    [first] = [m.value for m in at.markdown if "wordy" in m.value]  # read-only, by Rita
    assert "rita" in first and "<b>wordy</b>" not in first  # escaped, never HTML


def test_the_second_reviewer_edits_and_deletes_their_own_flag(bench: Workbench) -> None:
    [own] = _flags(bench, "omar")
    at = logged_in("omar", "second_pass.py")
    key = f"r2_seg_flag_{own.id}"
    assert at.button(key=f"{key}_delete")
    [first] = _flags(bench, "rita")
    assert not [b for b in at.button if f"r2_seg_flag_{first.id}" in str(b.key)]
    at.selectbox(key=f"{key}_severity").set_value("Major")
    at.text_input(key=f"{key}_note").input("a whole word is missing")
    at.button(key=f"FormSubmitter:{key}-Save flag").click().run()
    assert not at.exception, at.exception
    [edited] = _flags(bench, "omar")
    assert (edited.severity, edited.note) == ("Major", "a whole word is missing")
    assert "Flag on segment 2 saved." in flashes(at)
    at.button(key=f"{key}_delete").click().run()
    assert not _flags(bench, "omar")


def test_the_second_reviewer_cannot_edit_the_first_reviewers_flag(bench: Workbench) -> None:
    [first] = _flags(bench, "rita")
    with pytest.raises(PermissionDenied):
        bench.workspace.update_flag(_actor(bench, "omar"), first.id, severity="Major")
    assert _flags(bench, "rita")[0].severity == "Minor"


def test_editing_an_approved_segment_says_it_needs_approval_again(bench: Workbench) -> None:
    segment = _segment(bench)
    row = bench.reading.segment(SYSTEM_ACTOR, segment).row
    bench.editing.set_status(SYSTEM_ACTOR, segment, "approved", row.version)
    at = logged_in("omar", "second_pass.py")
    assert "**Segment 2** · approved" in [m.value for m in at.markdown]
    key = f"r2_seg_text_{segment}"
    at.text_area(key=f"{key}_area").input(CORRECTED + " Really.")
    at.button(key=f"FormSubmitter:{key}-Save text").click().run()
    assert not at.exception, at.exception
    assert "Segment 2 was approved; your edit returns it to needs approval." in flashes(at)
    assert bench.reading.segment(SYSTEM_ACTOR, segment).row.status != "approved"
    assert "**Segment 2** · needs approval" in [m.value for m in at.markdown]


def test_a_long_list_of_corrections_is_shown_a_page_at_a_time(bench: Workbench) -> None:
    rita = _actor(bench, "rita")
    [article] = bench.imports.import_articles(SYSTEM_ACTOR, [DocArticle(
        title="Long", source_lang="zh", target_lang="en",
        segments=[DocSegment(mt=f"Sentence number {n} is here.") for n in range(25)])]).articles
    bench.assignments.assign(SYSTEM_ACTOR, article.id, "rita")
    for row in bench.reading.article(SYSTEM_ACTOR, article.id).rows:
        bench.editing.save_segment(rita, row.id, row.mt.replace("is", "was"), row.version)
    bench.second_pass.assign_second_pass(SYSTEM_ACTOR, article.id, "omar")
    at = logged_in("omar", "second_pass.py")
    at.selectbox(key="r2_article").set_value(article.id).run()
    assert len(at.get("html")) == 20
    at.selectbox(key=f"r2_seg_page_{article.id}").set_value(20).run()
    assert not at.exception, at.exception
    assert len(at.get("html")) == 5
    assert '<ins class="diff-ins">was</ins>' in _html(at)
