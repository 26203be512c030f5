"""AppTest flows of the Quality, Team and Audit pages and the invitation link."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.store import open_store
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench
from tests.ui.test_admin_page import REPO, flashes, frame_with, logged_in


@pytest.fixture
def bench(empty_app_db: str) -> Workbench:
    bench = Workbench(open_store(empty_app_db))
    bench.accounts.add_user(SYSTEM_ACTOR, "lena", "lead", "lena-password")
    bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", "rita-password")
    docs = [DocArticle(title=f"Chess {n}", source_lang="zh", target_lang="en", segments=[
        DocSegment(mt="Playing chess", kind="title"),
        DocSegment(mt="Playing a game of chess together is not allowed in May."),
        DocSegment(mt="In 2022 it will account for 1%, the officials said.")])
        for n in range(3)]
    bench.imports.import_articles(SYSTEM_ACTOR, docs)
    return bench


def test_a_lead_invites_by_link_and_the_link_creates_the_account(bench: Workbench) -> None:
    at = logged_in("lena", "team.py")
    at.text_input(key="team_page_invite_name").input("omar").run()
    at.button(key="team_page_invite").click().run()
    assert not at.exception, at.exception
    link = next(c.value for c in at.code if "?invite=" in c.value)
    token = link.split("?invite=")[1]
    fresh = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    fresh.query_params["invite"] = token
    fresh.run()
    fresh.text_input(key="link_password").input("omar-password")
    fresh.text_input(key="link_again").input("omar-password")
    fresh.button(key="FormSubmitter:link_form-Continue").click().run()
    assert not fresh.exception, fresh.exception
    assert fresh.session_state["actor"].name == "omar"


def test_bulk_assignment_and_progress(bench: Workbench) -> None:
    at = logged_in("lena", "team.py")
    at.multiselect(key="team_page_articles").set_value([1, 2, 3])
    at.multiselect(key="team_page_people").set_value(["rita"]).run()
    at.button(key="team_page_assign").click().run()
    assert not at.exception, at.exception
    assert "Made 3 assignment(s)." in flashes(at)
    at.run()
    table = frame_with(at, "Reviewer")
    assert table.iloc[0][["Reviewer", "Articles", "Segments", "Done"]].tolist() == \
        ["rita", 3, 9, 0]


def test_quality_page_sets_checks_and_a_profile(bench: Workbench) -> None:
    bench.assignments.assign(SYSTEM_ACTOR, 1, "rita")
    at = logged_in("lena", "quality.py")
    at.slider(key="quality_rate").set_value(50)
    at.button(key="quality_set_checks").click().run()
    assert not at.exception, at.exception
    assert "2 check(s) in this assignment." in flashes(at)
    assert len(frame_with(at, "Injected text")) == 2
    at.button(key="quality_r2_assign").click().run()
    assert any("not reviewed yet" in m for m in flashes(at))
    at.button(key="FormSubmitter:quality_profile-Save profile").click().run()
    assert not at.exception, at.exception
    verdicts = frame_with(at, "Verdict")
    assert verdicts["Verdict"].tolist() == ["not reviewed"] * 3  # nobody has looked yet


def test_quality_page_switches_an_assignment_to_rating(bench: Workbench) -> None:
    """An assignment's work (post-editing or rating only) could be changed only in code."""
    assignment = bench.assignments.assign(SYSTEM_ACTOR, 1, "rita")
    at = logged_in("lena", "quality.py")
    at.radio(key=f"quality_work_{assignment.id}").set_value("rating").run()
    at.button(key="quality_set_work").click().run()
    assert not at.exception, at.exception
    assert "The assignment is now rating only." in flashes(at)
    assert bench.assignments.assignments(SYSTEM_ACTOR)[0].mode == "rating"


def test_a_profile_can_judge_the_experts_annotations_too(bench: Workbench) -> None:
    """Verdicts judged imported expert MQM as the team's review: the profile says whose."""
    at = logged_in("lena", "quality.py")
    at.radio(key="quality_pannotations").set_value("all")
    at.button(key="FormSubmitter:quality_profile-Save profile").click().run()
    assert not at.exception, at.exception
    [profile] = bench.verdicts.quality_profiles(SYSTEM_ACTOR)
    assert profile.annotations == "all"
    assert any("imported experts" in m.value for m in at.markdown), [m.value for m in at.markdown]


def test_audit_page_shows_page_numbers(bench: Workbench) -> None:
    row = bench.reading.article(SYSTEM_ACTOR, 1).rows[2]
    bench.flags.add_flag(SYSTEM_ACTOR, row.id, "Style/Awkward", "Minor")
    at = logged_in("lena", "audit.py")
    table = frame_with(at, "Details")
    flagged = table[table["What"] == "added a flag"].iloc[0]
    assert flagged["Segment"] == "3" and flagged["Details"] == "category Style/Awkward, " \
        "severity Minor"
    assert "{" not in table.to_csv()


def _walk_to_check(at: AppTest, bench: Workbench, assignment_id: int) -> str:
    """Press Next until the shown item is an attention check; returns its injected span."""
    spans = {c.text: c.span_text for c in bench.attention.attention_checks(SYSTEM_ACTOR,
                                                                           assignment_id)}
    for item in bench.attention.review_queue(SYSTEM_ACTOR, assignment_id):
        if item.text in spans:
            return spans[item.text]
        at.button(key="queue_next").click().run()
        assert not at.exception, at.exception
    raise AssertionError("no check in the queue")


def test_loud_check_missed_then_caught_on_the_queue_page(bench: Workbench) -> None:
    assignment = bench.assignments.assign(SYSTEM_ACTOR, 1, "rita")
    bench.attention.set_attention_checks(SYSTEM_ACTOR, assignment.id, 0.3, "loud")
    at = logged_in("rita", "rate.py")
    span = _walk_to_check(at, bench, assignment.id)
    at.button(key="queue_next").click().run()  # moves on without flagging: a miss
    assert any("attention check" in w.value for w in at.warning)
    at.text_input(key="queue_span").input(span)
    at.button(key="FormSubmitter:queue_flag_form-Add flag").click().run()
    at.button(key="queue_next").click().run()
    assert not at.warning and "You found the error on the second look." in flashes(at)
    [check] = bench.attention.attention_checks(SYSTEM_ACTOR, assignment.id)
    assert (check.result, check.retry_passed) == ("missed", True)


def test_silent_check_caught_on_the_queue_page(bench: Workbench) -> None:
    assignment = bench.assignments.assign(SYSTEM_ACTOR, 1, "rita")
    bench.attention.set_attention_checks(SYSTEM_ACTOR, assignment.id, 0.3, "silent")
    at = logged_in("rita", "rate.py")
    span = _walk_to_check(at, bench, assignment.id)
    at.text_input(key="queue_span").input(span)
    at.button(key="FormSubmitter:queue_flag_form-Add flag").click().run()
    at.button(key="queue_next").click().run()
    assert not at.warning
    assert bench.attention.attention_checks(SYSTEM_ACTOR, assignment.id)[0].result == "passed"
    assert [(r.checks, r.caught) for r in bench.attention.catch_rates(SYSTEM_ACTOR)] == [(1, 1)]


def test_second_reviewer_keeps_rejects_and_changes_flags(bench: Workbench) -> None:
    rows = bench.reading.article(SYSTEM_ACTOR, 1).rows
    bench.accounts.add_user(SYSTEM_ACTOR, "omar", "reviewer", "omar-password")
    for row in rows:
        bench.flags.add_flag(SYSTEM_ACTOR, row.id, "Style/Awkward", "Minor", start=0, end=4)
        fresh = bench.reading.segment(SYSTEM_ACTOR, row.id).row
        bench.editing.save_segment(SYSTEM_ACTOR, row.id, row.mt + "!", fresh.version)
    bench.second_pass.assign_second_pass(SYSTEM_ACTOR, 1, "rita")
    at = logged_in("rita", "second_pass.py")
    assert frame_with(at, "Decision")["Decision"].tolist() == ["to decide"] * 3
    at.button(key="r2_accept").click().run()
    second = bench.second_pass.first_pass_flags(SYSTEM_ACTOR, 1)[1].flag_id
    at.selectbox(key="r2_flag").set_value(second).run()
    at.button(key="r2_reject").click().run()
    assert not at.exception, at.exception
    assert frame_with(at, "Decision")["Decision"].tolist() == ["kept", "rejected",
                                                              "to decide"]
    assert bench.second_pass.pass_scores(SYSTEM_ACTOR, 1).final_mqm < bench.second_pass.pass_scores(
        SYSTEM_ACTOR, 1).r1_mqm


def test_dashboard_shows_the_team_apart_from_raters_clusters_and_verdicts(
        bench: Workbench) -> None:
    sample = REPO / "samples" / "wmt23" / "wmt23-zhen-sample.tsv"
    bench.imports.import_file(SYSTEM_ACTOR, sample.read_bytes(), sample.name, "mqm-tsv")
    bench.verdicts.set_quality_profile(SYSTEM_ACTOR, "news", 10)
    bench.assignments.assign(SYSTEM_ACTOR, 1, "rita")
    at = logged_in("lena", "dashboard.py")
    team = frame_with(at, "Catch rate")
    assert team["Reviewer"].tolist() == ["rita"]
    raters = frame_with(at, "Rater")
    assert "rita" not in set(raters["Rater"]) and len(raters) == 6
    assert "None" not in raters.to_csv()
    clusters = frame_with(at, "Rank range")
    assert len(clusters) == 10 and clusters["Cluster"].min() == 1
    verdicts = frame_with(at, "Reason")
    assert set(verdicts["Verdict"]) <= {"pass", "fail", "not reviewed"} and len(verdicts) == 6


def test_loud_check_moves_on_after_the_tries_and_the_queue_resumes(bench: Workbench) -> None:
    lines = ["In 2022 it will account for 1%, the officials said.",
             "Playing a game of chess together is not allowed in May.",
             "The delegates met in Wuzhen, and the talks went on.",
             "Exports rose 12 percent, imports fell, and the surplus grew.",
             "The plan does not cover Shanghai, which hosts the fair.",
             "Officials said the ratio is about 3 to 5 this year."]
    [article] = bench.imports.import_articles(SYSTEM_ACTOR, [DocArticle(
        title="Long", source_lang="zh", target_lang="en",
        segments=[DocSegment(mt=t) for t in lines])]).articles
    assignment = bench.assignments.assign(SYSTEM_ACTOR, article.id, "rita")
    for _ in range(50):  # a check that is not the last item, so there is somewhere to go
        bench.attention.set_attention_checks(SYSTEM_ACTOR, assignment.id, 0.1, "loud")
        queue = bench.attention.review_queue(SYSTEM_ACTOR, assignment.id)
        if queue[-1].text in lines:
            break
    at = logged_in("rita", "rate.py")
    at.selectbox(key="queue_assignment").set_value(assignment.id).run()
    at = logged_in("rita", "rate.py")
    span = _walk_to_check(at, bench, assignment.id)
    shown = at.text[-1].value
    at.button(key="queue_next").click().run()
    assert any("attention check" in w.value for w in at.warning)
    at.button(key="queue_next").click().run()  # the second try: shown and moved on
    assert not at.exception, at.exception
    assert any(span in w.value and "missed" in w.value for w in at.warning)
    assert at.text[-1].value != shown
    assert any(f"of {len(lines)} " in c.value for c in at.caption)
    [check] = bench.attention.attention_checks(SYSTEM_ACTOR, assignment.id)
    assert check.result == "missed"
    again = logged_in("rita", "rate.py")  # a reload: back where she stopped, not at item 1
    again.selectbox(key="queue_assignment").set_value(assignment.id).run()
    assert again.text[-1].value == at.text[-1].value != lines[0]
