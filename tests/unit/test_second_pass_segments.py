"""What the second reviewer checks segment by segment: the first pass's corrections, with
the first reviewer's flags apart from the second reviewer's own."""

from __future__ import annotations

import pytest

from review.accounts.permissions import SYSTEM_ACTOR
from review.core.errors import PermissionDenied
from review.services import Workbench
from tests.factories import make_article, make_team

MT = ["The plan does not cover Wuzhen.", "Exports rose 12 percent in May.",
      "Officials met delegates on Monday."]

pytestmark = pytest.mark.usefixtures("fast_hashing")


@pytest.fixture
def team(bench: Workbench) -> dict:
    """Rita corrected segments 1 and 3 and flagged segment 1; Omar has the second pass."""
    actors = make_team(bench, {"lena": "lead", "rita": "reviewer", "omar": "reviewer",
                               "ivan": "reviewer"})
    article = make_article(bench, MT)
    bench.assignments.assign(actors["lena"], article, "rita")
    rows = bench.reading.article(SYSTEM_ACTOR, article).rows
    flag = bench.flags.add_flag(actors["rita"], rows[0].id, "Accuracy/Mistranslation",
                                "Major", span="does not", note="wrong")
    for row, text in zip(rows, ["The plan leaves out Wuzhen.", MT[1], "Officials met them."]):
        fresh = bench.reading.segment(SYSTEM_ACTOR, row.id).row
        if text == row.mt:
            bench.editing.set_status(actors["rita"], row.id, "fixed", fresh.version)
        else:
            bench.editing.save_segment(actors["rita"], row.id, text, fresh.version)
    bench.second_pass.assign_second_pass(actors["lena"], article, "omar")
    return {"bench": bench, "article": article, "rows": rows, "flag": flag.id, **actors}


def test_corrected_segments_split_the_first_pass_flags_from_the_second_reviewers(
        team: dict) -> None:
    bench, omar, rows = team["bench"], team["omar"], team["rows"]
    own = bench.second_pass.add_missing_flag(omar, rows[1].id, "Fluency/Grammar", "Minor",
                                             start=0, end=7, note="mine")
    segments = bench.second_pass.corrected_segments(omar, team["article"])
    assert [(s.number, s.mt, s.current) for s in segments] == [
        (1, MT[0], "The plan leaves out Wuzhen."), (2, MT[1], MT[1]),
        (3, MT[2], "Officials met them.")]  # 2: not corrected, but Omar flagged it
    first, second, third = segments
    assert [(f.flag_id, f.span, f.author, f.note) for f in first.first_pass_flags] == \
        [(team["flag"], "does not", "rita", "wrong")]
    assert first.own_flags == ()
    assert [(f.flag_id, f.span, f.category, f.severity) for f in second.own_flags] == \
        [(own.id, "Exports", "Fluency/Grammar", "Minor")]
    assert third.first_pass_flags == third.own_flags == ()


def test_only_the_second_reviewer_and_leads_see_them(team: dict) -> None:
    bench = team["bench"]
    assert bench.second_pass.corrected_segments(team["lena"], team["article"])
    with pytest.raises(PermissionDenied):
        bench.second_pass.corrected_segments(team["ivan"], team["article"])
