"""Attention checks that hold: only a tight flag (or an omission mark at the gap) catches
one, loud mode shows the error after the set tries and moves on, the queue resumes where
the reviewer stopped, no check sits beside its copy, and the count gives none away."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from review.accounts.permissions import SYSTEM_ACTOR
from review.core.errors import InputError
from review.db.models import AttentionCheck, Segment
from review.quality.attention import catches, queue_numbers
from review.services import Workbench
from tests.unit.test_quality_services import MT, _team

pytestmark = pytest.mark.usefixtures("fast_hashing")


@pytest.mark.parametrize(("flag", "caught"), [
    ((10, 14), True), ((9, 15), True), ((8, 14), True), ((0, 14), False), ((0, 60), False),
    ((6, 14), False), ((13, 16), False), ((12, 16), False), ((11, 14), True),
    ((None, None), False), ((12, 12), False)])
def test_a_flag_catches_only_when_most_of_it_lies_in_the_error(flag: tuple,
                                                               caught: bool) -> None:
    assert catches(flag[0], flag[1], (10, 14)) is caught


def test_an_omission_mark_catches_only_at_the_gap() -> None:
    assert catches(12, 12, (10, 14), omission_mark=True)
    assert catches(10, 10, (10, 14), omission_mark=True)
    assert not catches(30, 30, (10, 14), omission_mark=True)
    assert not catches(None, None, (10, 14), omission_mark=True)


def test_queue_numbers_count_real_items_evenly() -> None:
    assert queue_numbers(5, 5) == [1, 2, 3, 4, 5]
    assert queue_numbers(7, 5)[-1] == 5 and max(queue_numbers(39, 26)) == 26
    assert queue_numbers(0, 0) == []


@pytest.fixture
def setup(bench: Workbench) -> tuple:
    team = _team(bench)
    assignment = bench.assignments.assign(team["lena"], team["article"], "rita")
    return bench, team, assignment.id


def _one_check(bench: Workbench, team: dict, assignment_id: int, mode: str = "silent"):
    bench.attention.set_attention_checks(team["lena"], assignment_id, 0.2, mode)
    with bench.store.read() as session:
        row = session.scalars(select(AttentionCheck).where(
            AttentionCheck.result == "pending")).one()
        check = (row.id, row.kind, row.text, row.start, row.end)
    item = next(q for q in bench.attention.review_queue(team["rita"], assignment_id)
                if q.text == check[2])
    return item, check


def _result(bench: Workbench, team: dict, assignment_id: int) -> str:
    return bench.attention.attention_checks(team["lena"], assignment_id)[0].result


def test_the_whole_sentence_misses_and_a_tight_span_catches(setup: tuple) -> None:
    bench, team, assignment_id = setup
    item, (_, _, text, start, end) = _one_check(bench, team, assignment_id)
    rita = team["rita"]
    bench.attention.flag_queue_item(rita, assignment_id, item.ref, "Accuracy/Mistranslation",
                                    "Major", start=0, end=len(text))
    assert _result(bench, team, assignment_id) == "pending"
    bench.attention.flag_queue_item(rita, assignment_id, item.ref, "Accuracy/Mistranslation",
                                    "Major", start=start, end=end)
    assert _result(bench, team, assignment_id) == "passed"


def test_an_omission_check_is_caught_by_an_omission_mark_at_the_gap(setup: tuple) -> None:
    bench, team, assignment_id = setup
    item, (check_id, _, _, _, _) = _one_check(bench, team, assignment_id)
    text = "Exports rose 12 percent in May, and the surplus grew."
    with bench.store.write() as session:  # an omitted clause, as the injector makes it
        row = session.get(AttentionCheck, check_id)
        row.kind, row.text, row.start, row.end = "omission", text, 27, 34
    rita = team["rita"]
    bench.attention.flag_queue_item(rita, assignment_id, item.ref, "Fluency/Grammar", "Minor",
                                    start=31, end=31)
    assert _result(bench, team, assignment_id) == "pending"  # not an omission flag
    bench.attention.flag_queue_item(rita, assignment_id, item.ref, "Accuracy/Omission",
                                    "Major", start=5, end=5)
    assert _result(bench, team, assignment_id) == "pending"  # not at the gap
    bench.attention.flag_queue_item(rita, assignment_id, item.ref, "Accuracy/Omission",
                                    "Major", start=31, end=31)
    assert _result(bench, team, assignment_id) == "passed"


def test_loud_mode_shows_the_error_after_the_set_tries_and_moves_on(setup: tuple) -> None:
    bench, team, assignment_id = setup
    item, (_, _, text, start, end) = _one_check(bench, team, assignment_id, "loud")
    rita = team["rita"]
    first = bench.attention.finish_queue_item(rita, assignment_id, item.ref)
    assert first.retry and first.reveal is None
    second = bench.attention.finish_queue_item(rita, assignment_id, item.ref)  # default: 2
    assert not second.retry and second.reveal == (start, end)
    assert text[start:end] in second.message and "missed" in second.message
    assert _result(bench, team, assignment_id) == "missed"
    assert bench.attention.set_loud_tries(team["lena"], 3) == 3
    with pytest.raises(InputError):
        bench.attention.set_loud_tries(team["lena"], 0)
    item, _ = _one_check(bench, team, assignment_id, "loud")
    outcomes = [bench.attention.finish_queue_item(rita, assignment_id, item.ref)
                for _ in range(3)]
    assert [o.retry for o in outcomes] == [True, True, False] and outcomes[2].reveal


def test_the_queue_resumes_at_the_first_item_not_done(setup: tuple) -> None:
    bench, team, assignment_id = setup
    rita = team["rita"]
    bench.attention.set_attention_checks(team["lena"], assignment_id, 0.4)
    queue = bench.attention.review_queue(rita, assignment_id)
    assert not any(q.done for q in queue)
    for q in queue[:3]:
        bench.attention.finish_queue_item(rita, assignment_id, q.ref)
    again = bench.attention.review_queue(rita, assignment_id)
    assert [q.done for q in again] == [True] * 3 + [False] * (len(queue) - 3)
    assert next(i for i, q in enumerate(again) if not q.done) == 3


def test_a_check_never_sits_next_to_the_segment_it_copies(bench: Workbench) -> None:
    team = _team(bench)
    assignment = bench.assignments.assign(team["lena"], team["article"], "rita")
    with bench.store.read() as session:
        position = dict(session.execute(select(Segment.mt, Segment.position)).all())
    for _ in range(25):
        bench.attention.set_attention_checks(team["lena"], assignment.id, 0.4)
        with bench.store.read() as session:
            copies = {c.text: session.get(Segment, c.segment_id).mt
                      for c in session.scalars(select(AttentionCheck))}
        queue = [q.text for q in bench.attention.review_queue(team["rita"], assignment.id)]
        for i, text in enumerate(queue):
            if text in copies:
                beside = {queue[j] for j in (i - 1, i + 1) if 0 <= j < len(queue)}
                assert copies[text] not in beside, (queue, text)
        assert set(position) >= set(MT)


def test_the_count_shows_only_real_items(setup: tuple) -> None:
    bench, team, assignment_id = setup
    bench.attention.set_attention_checks(team["lena"], assignment_id, 0.4)
    queue = bench.attention.review_queue(team["rita"], assignment_id)
    assert len(queue) == len(MT) + 2
    assert max(q.number for q in queue) == len(MT) and queue[0].number == 1
    assert SYSTEM_ACTOR
