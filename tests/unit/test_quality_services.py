"""Attention checks, second pass, verdicts, blind systems and rating-only assignments
through the Workbench, as leads and reviewers use them."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select, update

from review.accounts.permissions import SYSTEM_ACTOR, Actor
from review.core.errors import InputError, PermissionDenied
from review.db.models import Segment
from review.formats.base import DocSegment
from review.services import Workbench
from tests.conftest import WUZHEN
from tests.factories import make_article, make_team

MT = ["The plan does not cover Wuzhen, which hosts the conference.",
      "Exports rose 12 percent in May, imports fell, and the surplus grew.",
      "Officials in Zhejiang met delegates from Shanghai on Monday.",
      "The ratio is about 3/5 and 1/3 of the total.",
      "Playing a game of chess together is what the delegates did."]


pytestmark = pytest.mark.usefixtures("fast_hashing")


@pytest.fixture
def team(bench: Workbench) -> dict:
    return _team(bench)


@pytest.fixture
def any_team(any_bench: Workbench) -> dict:
    """On SQLite and PostgreSQL."""
    return _team(any_bench)


def _team(bench: Workbench) -> dict:
    actors = make_team(bench, {"lena": "lead", "rita": "reviewer", "omar": "reviewer"})
    article_id = make_article(bench, [DocSegment(mt=t, source=f"源{i}。")
                                      for i, t in enumerate(MT)],
                              title="Wuzhen", mt_system="sysA")
    return {"bench": bench, "article": article_id, **actors}


def _rows(bench: Workbench, article_id: int) -> list:
    return bench.reading.article(SYSTEM_ACTOR, article_id).rows


# ------------------------------------------------------------------ attention checks
@pytest.mark.parametrize("rate", [-0.01, 0.51, 1.0])
def test_a_rate_outside_0_to_50_percent_is_refused(team: dict, rate: float) -> None:
    bench = team["bench"]
    assignment = bench.assignments.assign(team["lena"], team["article"], "rita")
    with pytest.raises(InputError, match="between 0% and 50%"):
        bench.attention.set_attention_checks(team["lena"], assignment.id, rate)
    with pytest.raises(InputError, match="silent or loud"):
        bench.attention.set_attention_checks(team["lena"], assignment.id, 0.2, "noisy")


def test_checks_sit_in_the_queue_but_are_never_exported_scored_or_counted(
        any_team: dict) -> None:
    team = any_team
    bench, lead, rita = team["bench"], team["lena"], team["rita"]
    assignment = bench.assignments.assign(lead, team["article"], "rita")
    before_doc = bench.exports.document(lead, team["article"])
    before_mqm = bench.reports.mqm_report(lead, by="document", article_ids=[team["article"]])
    checks = bench.attention.set_attention_checks(lead, assignment.id, 0.4, "silent")
    assert len(checks) == 2 and all(c.result == "pending" for c in checks)
    view = bench.assignments.assignments(lead, team["article"])[0]  # what the Quality page shows
    assert (view.check_rate, view.check_mode) == (0.4, "silent")
    queue = bench.attention.review_queue(rita, assignment.id)
    assert len(queue) == len(MT) + 2
    assert [q.number for q in queue] == [1, 1, 2, 3, 3, 4, 5]  # of the real items only
    corrupted = {q.text for q in queue} - set(MT)
    assert len(corrupted) == 2
    for q in queue:  # every item flagged as a reviewer would
        bench.attention.flag_queue_item(rita, assignment.id, q.ref, "Style/Awkward", "Minor",
                              start=0, end=len(q.text))
        assert bench.attention.finish_queue_item(rita, assignment.id, q.ref) is None  # silent
    doc = bench.exports.document(lead, team["article"])
    assert [s.mt for s in doc.segments] == [s.mt for s in before_doc.segments]
    exported = bench.exports.export_article(lead, team["article"], "jsonl")
    assert not any(text in exported.data.decode() for text in corrupted)
    after = bench.reports.mqm_report(lead, by="document", article_ids=[team["article"]])
    assert after["rows"][0]["segments"] == len(MT)
    assert before_mqm["rows"] == [] and after["rows"][0]["mqm"] == pytest.approx(1.0)
    scores = bench.scoring.score_article(lead, team["article"])
    assert len(scores.segments) == len(MT)
    rates = bench.attention.catch_rates(lead)
    # a flag over the whole sentence says nothing about where the error is: not a catch
    assert [(r.reviewer, r.checks, r.caught) for r in rates] == [("rita", 2, 0)]
    assert rates[0].low == 0.0 < rates[0].high < 0.9


def test_loud_mode_tells_the_reviewer_and_asks_for_a_retry(team: dict) -> None:
    bench, lead, rita = team["bench"], team["lena"], team["rita"]
    assignment = bench.assignments.assign(lead, team["article"], "rita")
    bench.attention.set_attention_checks(lead, assignment.id, 0.2, "loud")
    check = next(q for q in bench.attention.review_queue(rita, assignment.id) if q.text not in MT)
    outcome = bench.attention.finish_queue_item(rita, assignment.id, check.ref)
    assert outcome.retry and "attention check" in outcome.message
    from review.db.models import AttentionCheck

    with bench.store.read() as session:  # where the error is (its text may occur earlier)
        row = session.scalars(select(AttentionCheck)).one()
        start = row.start
    bench.attention.flag_queue_item(rita, assignment.id, check.ref, "Accuracy/Mistranslation",
                                    "Major",
                          start=start, end=start + 1)
    again = bench.attention.finish_queue_item(rita, assignment.id, check.ref)
    assert again.retry is False
    [view] = bench.attention.attention_checks(lead, assignment.id)
    assert (view.result, view.retry_passed) == ("missed", True)
    assert [(r.checks, r.caught) for r in bench.attention.catch_rates(lead)] == [(1, 0)]


def test_a_flag_outside_the_span_misses_the_check(team: dict) -> None:
    bench, lead, rita = team["bench"], team["lena"], team["rita"]
    assignment = bench.assignments.assign(lead, team["article"], "rita")
    bench.attention.set_attention_checks(lead, assignment.id, 0.2)
    [view] = bench.attention.attention_checks(lead, assignment.id)
    check = next(q for q in bench.attention.review_queue(rita, assignment.id) if q.text not in MT)
    start = check.text.index(view.span_text)
    outside = (0, 1) if start > 2 else (len(check.text) - 1, len(check.text))
    if not (outside[1] <= start or outside[0] >= start + len(view.span_text)):
        pytest.skip("the span reaches both ends of this text")
    bench.attention.flag_queue_item(rita, assignment.id, check.ref, "Style/Awkward", "Minor",
                          start=outside[0], end=outside[1])
    bench.attention.finish_queue_item(rita, assignment.id, check.ref)
    assert bench.attention.attention_checks(lead, assignment.id)[0].result == "missed"


def test_another_reviewer_cannot_use_the_queue(team: dict) -> None:
    bench = team["bench"]
    assignment = bench.assignments.assign(team["lena"], team["article"], "rita")
    bench.assignments.assign(team["lena"], team["article"], "omar")
    with pytest.raises(PermissionDenied):
        bench.attention.review_queue(team["omar"], assignment.id)


# ------------------------------------------------------------------ second pass
def _first_pass(team: dict) -> dict:
    bench, rita = team["bench"], team["rita"]
    bench.assignments.assign(team["lena"], team["article"], "rita")
    rows = _rows(bench, team["article"])
    flags = [bench.flags.add_flag(rita, rows[0].id, "Accuracy/Mistranslation", "Major",
                            span="does not"),
             bench.flags.add_flag(rita, rows[1].id, "Fluency/Grammar", "Minor", span="rose"),
             bench.flags.add_flag(rita, rows[2].id, "Style/Awkward", "Minor", span="Officials")]
    for row in _rows(bench, team["article"]):
        bench.editing.save_segment(rita, row.id, row.mt + " ", row.version, 10.0)
    return {"flags": flags}


def test_a_second_pass_on_an_unreviewed_article_is_refused(team: dict) -> None:
    with pytest.raises(InputError, match=r"not reviewed yet: 5 of 5 segments are still"):
        team["bench"].second_pass.assign_second_pass(team["lena"], team["article"], "omar")


def test_second_pass_accept_reject_change_with_mqm_before_and_after(any_team: dict) -> None:
    team = any_team
    bench, lead, omar = team["bench"], team["lena"], team["omar"]
    flags = _first_pass(team)["flags"]
    with pytest.raises(InputError, match="worked on the first pass"):
        bench.second_pass.assign_second_pass(lead, team["article"], "rita")
    bench.second_pass.assign_second_pass(lead, team["article"], "omar")
    before = bench.second_pass.pass_scores(lead, team["article"])
    assert before.r1_mqm == before.final_mqm == pytest.approx(7 / 5)
    assert [f.flag_id for f in bench.second_pass.first_pass_flags(omar, team["article"])] == \
        [f.id for f in flags]
    bench.second_pass.decide_flag(omar, flags[0].id, "accept")
    bench.second_pass.decide_flag(omar, flags[1].id, "reject")
    changed = bench.second_pass.decide_flag(omar, flags[2].id, "change", severity="Major")
    assert changed.severity == "Major" and changed.decision == "change"
    rows = _rows(bench, team["article"])
    bench.second_pass.add_missing_flag(omar, rows[3].id, "Accuracy/Omission", "Minor", start=0,
                                       end=3)
    after = bench.second_pass.pass_scores(lead, team["article"])
    assert after.r1_mqm == pytest.approx(7 / 5)           # 5 + 1 + 1
    assert after.final_mqm == pytest.approx(11 / 5)       # 5 + 5 + 1 (the added one)
    report = bench.reports.mqm_report(lead, by="document", article_ids=[team["article"]])
    assert report["rows"][0]["mqm"] == pytest.approx(11 / 5)
    agreement = bench.second_pass.second_pass_agreement(lead)
    total = agreement.by_category.set_index("group").loc["all"]
    assert (total["kept"], total["changed"], total["rejected"], total["added"]) == (1, 1, 1, 1)
    assert agreement.by_reviewer["group"].tolist() == ["rita", "all"]
    with pytest.raises(PermissionDenied):
        bench.second_pass.decide_flag(team["rita"], flags[0].id, "reject")


def test_no_self_approval_when_a_second_pass_is_required(team: dict) -> None:
    bench, lead, rita, omar = team["bench"], team["lena"], team["rita"], team["omar"]
    _first_pass(team)
    row = _rows(bench, team["article"])[0]
    bench.editing.set_status(rita, row.id, "approved", row.version)  # no second pass yet: allowed
    bench.second_pass.assign_second_pass(lead, team["article"], "omar")
    row = _rows(bench, team["article"])[1]
    with pytest.raises(PermissionDenied, match="cannot approve their own work"):
        bench.editing.set_status(rita, row.id, "approved", row.version)
    assert bench.editing.set_status(omar, row.id, "approved", row.version).row.status == "approved"


# ------------------------------------------------------------------ verdicts, blind, rating
def test_a_profile_verdict_on_the_wuzhen_article(bench: Workbench) -> None:
    lead = Actor("lena", "lead", bench.accounts.add_user(SYSTEM_ACTOR, "lena", "lead",
                                                         "lena-pass1").id)
    article_id = bench.imports.import_file(lead, WUZHEN.read_bytes(), "wuzhen.en.txt",
                                   "text").articles[0].id
    assert bench.verdicts.verdicts(lead, [article_id]) == []  # no profile yet
    bench.verdicts.set_quality_profile(lead, "news", 200, {"Accuracy": 3})
    [unread] = bench.verdicts.verdicts(lead, [article_id])  # zero penalty, but nobody looked
    assert unread.passed is None and unread.label == "not reviewed" and unread.words == 0
    every = bench.reading.article(lead, article_id).rows
    rows = [r for r in every if "chess" in r.mt.lower()]
    residue = rows[-1]  # approving web residue is not a review of the translation
    bench.editing.set_status(lead, residue.id, "approved", residue.version)
    assert bench.verdicts.verdicts(lead, [article_id])[0].label == "not reviewed"
    body = next(r for r in every if r.kind == "body")
    bench.editing.set_status(lead, body.id, "approved", body.version)
    [clean] = bench.verdicts.verdicts(lead, [article_id])
    assert clean.passed and clean.per_1000 == 0 and clean.label == "pass"
    bench.flags.add_flag(lead, rows[0].id, "Style/Awkward", "Minor", span="Playing a game of chess")
    bench.flags.add_flag(lead, rows[0].id, "Accuracy/Mistranslation", "Major", start=0, end=7)
    [judged] = bench.verdicts.verdicts(lead, [article_id])
    assert not judged.passed
    assert judged.reason.startswith("Accuracy: ") and "over its limit of 3" in judged.reason
    assert "fail" == judged.label
    exported = bench.verdicts.verdicts_csv(lead, [article_id]).decode().splitlines()
    assert exported[0] == "article_id,title,profile,verdict,per_1000_words,words,reason"
    assert exported[1].startswith(f"{article_id},") and ",news,fail," in exported[1]
    with pytest.raises(InputError, match="no quality profile named"):
        bench.verdicts.verdicts(lead, [article_id], profile="legal")


def test_reviewers_see_blind_shuffled_systems_and_leads_see_names(team: dict) -> None:
    bench, lead, rita = team["bench"], team["lena"], team["rita"]
    bench.assignments.assign(lead, team["article"], "rita")
    rows = _rows(bench, team["article"])
    with bench.store.write() as session:
        from review.db.models import Candidate
        for row in rows:
            for system in ("sysB", "sysC"):
                session.add(Candidate(segment_id=row.id, system=system, kind="import",
                                      text=f"{system}: {row.mt}"))
            session.add(Candidate(segment_id=row.id, system="ref", kind="reference",
                                  text="reference"))
    seen = bench.reading.segment(rita, rows[0].id)
    shown = {c.system: c.text for c in seen.candidates if c.system != "Reference"}
    assert len(shown) == 2 and set(shown) <= {"System A", "System B", "System C"}
    assert not {"sysA", "sysB", "sysC", "ref"} & {c.system for c in seen.candidates}
    assert bench.reading.segment(rita, rows[0].id).candidates == seen.candidates  # stable
    named = bench.reading.segment(lead, rows[0].id)
    assert {"sysB", "sysC"} <= {c.system for c in named.candidates}
    orders = {tuple(sorted((c.system, c.text.split(":")[0])
                           for c in bench.reading.segment(rita, r.id).candidates
                           if c.system != "Reference")) for r in rows}
    assert len(orders) > 1  # shuffled per segment
    # nor do the article's summary and view name them to the reviewer
    names = {"sysA", "sysB", "sysC", "ref"}
    mine = bench.reading.summaries(rita, [team["article"]])[0]
    assert not names & set(mine.systems) and not mine.mt_system and len(mine.systems) == 3
    assert not names & set(bench.reading.article(rita, team["article"]).candidate_systems)
    assert {"sysB", "sysC"} <= set(bench.reading.summaries(lead, [team["article"]])[0].systems)


def test_rating_only_assignments_score_but_do_not_correct(team: dict) -> None:
    bench, lead, rita = team["bench"], team["lena"], team["rita"]
    assignment = bench.assignments.assign(lead, team["article"], "rita")
    bench.ratings.set_assignment_mode(lead, assignment.id, "rating")
    row = _rows(bench, team["article"])[0]
    with pytest.raises(PermissionDenied, match="rating only"):
        bench.editing.save_segment(rita, row.id, "Corrected.", row.version)
    bench.flags.add_flag(rita, row.id, "Accuracy/Mistranslation", "Major", span="does not")
    assert bench.ratings.rate_segment(rita, row.id, 35) == 35
    assert bench.ratings.rate_segment(rita, row.id, 40) == 40
    for bad in (-1, 101, 50.5, True):
        with pytest.raises(InputError, match="0 to 100"):
            bench.ratings.rate_segment(rita, row.id, bad)
    assert bench.ratings.segment_ratings(lead, team["article"]).values.tolist() == [[1, "rita", 40]]
    with bench.store.write() as session:  # the lead still corrects
        session.execute(update(Segment).where(Segment.id == row.id).values(status="todo"))
    bench.editing.save_segment(lead, row.id, "Corrected.", _rows(bench, team["article"])[0].version)


def test_system_clusters_leave_references_unranked(team: dict) -> None:
    bench, lead = team["bench"], team["lena"]
    rows = _rows(bench, team["article"])
    with bench.store.write() as session:
        from review.db.models import Candidate
        for row in rows:
            session.add(Candidate(segment_id=row.id, system="sysB", kind="import", text="b"))
            session.add(Candidate(segment_id=row.id, system="human", kind="reference",
                                  text="r"))
    for row in rows:
        bench.flags.add_flag(lead, row.id, "Accuracy/Mistranslation", "Major", target="sysB")
        bench.flags.add_flag(lead, row.id, "Style/Awkward", "Minor", target="human")
    table = bench.reports.system_clusters(lead, samples=100).set_index("system")
    assert table.loc["sysB", "cluster"] == 1 and table.loc["sysB", "rank_low"] == 1
    assert "only 5 segments" in table.loc["sysB", "note"]
    assert pd.isna(table.loc["human", "cluster"])


def test_a_reviewer_reads_and_flags_other_systems_by_blind_label(team: dict) -> None:
    bench, lead, rita = team["bench"], team["lena"], team["rita"]
    bench.assignments.assign(lead, team["article"], "rita")
    row = _rows(bench, team["article"])[0]
    with bench.store.write() as session:
        from review.db.models import Candidate
        for system in ("sysB", "sysC"):
            session.add(Candidate(segment_id=row.id, system=system, kind="import",
                                  text=f"{system} text"))
    seen = bench.reading.segment(rita, row.id)
    labels = {c.system for c in seen.candidates}
    assert labels <= {"System A", "System B", "System C"} and len(labels) == 2
    blind = next(c for c in seen.candidates if c.text == "sysC text")
    flag = bench.flags.add_flag(rita, row.id, "Style/Awkward", "Minor", target=blind.system,
                          start=0, end=4)
    assert flag.target == blind.system
    named = bench.reading.segment(lead, row.id)
    assert {c.system for c in named.candidates} == {"sysB", "sysC"}
    assert [f.target for f in named.flags if f.author == "rita"] == ["sysC"]
    after = bench.editing.save_segment(rita, row.id, "Fixed.", bench.reading.segment(rita,
                                                                                     row.id).row.version)
    assert {c.system for c in after.candidates} == labels
    assert not {"sysB", "sysC"} & {c.system for c in bench.reading.segment(rita, row.id).candidates}
    [ws_row] = [r for r in bench.workspace.workspace_rows(rita,
                                                          team["article"]) if r["id"] == row.id]
    assert {c["system"] for c in ws_row["candidates"]} == labels
    assert [f["on"] for f in ws_row["flags"] if f["author"] == "rita"] == [blind.system]
    bench.workspace.add_span_flag(rita, row.id, blind.system, 0, 4, "Fluency/Grammar", "Minor")
    lead_row = next(r for r in bench.workspace.workspace_rows(lead,
                                                              team["article"]) if r["id"] == row.id)
    assert {c["system"] for c in lead_row["candidates"]} == {"sysB", "sysC"}
    assert [f["on"] for f in lead_row["flags"] if f["author"] == "rita"] == ["sysC", "sysC"]


def test_a_typed_span_catches_a_check_at_any_of_its_occurrences(team: dict) -> None:
    """The queue page flags the first occurrence of typed words; a doubled word's second
    copy is the error, so the check must count any occurrence that overlaps it."""
    from review.db.models import AttentionCheck

    bench, lead, rita = team["bench"], team["lena"], team["rita"]
    assignment = bench.assignments.assign(lead, team["article"], "rita")
    bench.attention.set_attention_checks(lead, assignment.id, 0.2)
    check = next(q for q in bench.attention.review_queue(rita, assignment.id) if q.text not in MT)
    words = check.text.split(" ")
    k = next(i for i, w in enumerate(words) if len(w) >= 3)
    doubled = " ".join([*words[:k + 1], words[k], *words[k + 1:]])
    second = len(" ".join(words[:k + 1])) + 1
    with bench.store.write() as session:  # a doubled-word corruption, as the injector makes
        row = session.scalars(select(AttentionCheck)).one()
        row.text, row.start, row.end = doubled, second, second + len(words[k])
    first = doubled.index(words[k])
    assert first < second
    bench.attention.flag_queue_item(rita, assignment.id, check.ref, "Fluency/Grammar", "Minor",
                          start=first, end=first + len(words[k]))
    bench.attention.finish_queue_item(rita, assignment.id, check.ref)
    [view] = bench.attention.attention_checks(lead, assignment.id)
    assert view.result == "passed", (doubled, first, second, view)
