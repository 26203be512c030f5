"""The workspace's service side: MT suggestions outlive a fix, exact-offset flags, flag
edits, and conflicts recorded with their resolution."""

from __future__ import annotations

import pytest

from review.accounts.permissions import SYSTEM_ACTOR as ADMIN
from review.accounts.permissions import Actor
from review.core.errors import ConflictError, InputError, PermissionDenied
from review.services import Workbench
from tests.factories import import_wuzhen


@pytest.fixture
def wuzhen(bench: Workbench) -> int:
    return import_wuzhen(bench, ADMIN)


def segment_with(bench: Workbench, article_id: int, words: str):
    return next(r for r in bench.reading.article(ADMIN, article_id).rows if words in r.mt)


def open_suggestions(bench: Workbench, segment_id: int, span_in: str) -> list:
    return [f for f in bench.reading.segment(ADMIN, segment_id).flags
            if f.origin == "check" and f.state == "open" and f.span_in == span_in]


def test_mt_suggestions_survive_the_fix(bench: Workbench, wuzhen: int) -> None:
    row = segment_with(bench, wuzhen, "In 2022, the scale")
    before = open_suggestions(bench, row.id, "target")
    assert before, "the checks should question the tense and the numbers of this segment"
    mqm_before = bench.reports.mqm_report(ADMIN, by="document")
    fixed = row.mt.replace("will account", "accounted")
    bench.editing.save_segment(ADMIN, row.id, fixed, row.version)
    after = open_suggestions(bench, row.id, "target")
    assert [(f.check_name, f.start, f.end) for f in after] == [
        (f.check_name, f.start, f.end) for f in before]
    # the fix is checked too, separately, and none of it counts in the MT's MQM
    bench.editing.save_segment(ADMIN, row.id,
                               fixed + " It will account for 2% by 2030, 3% by 2031.",
                       row.version + 1)
    assert open_suggestions(bench, row.id, "target")
    warnings = open_suggestions(bench, row.id, "corrected")
    assert warnings, "the checks should question the numbers added by the fix"
    for flag in warnings:
        bench.flags.set_flag_state(ADMIN, flag.id, "confirmed")
    rows = bench.reports.mqm_report(ADMIN, by="document")["rows"]
    assert all(r["errors"] == 0 for r in rows), (rows, mqm_before)


def test_fix_warnings_repeat_nothing_the_mt_suggestion_says(bench: Workbench,
                                                            wuzhen: int) -> None:
    row = segment_with(bench, wuzhen, "In 2022, the scale")
    on_mt = {(f.check_name, f.span_text(row.mt)) for f in open_suggestions(bench, row.id,
                                                                           "target")}
    bench.editing.save_segment(ADMIN, row.id, row.mt + " ", row.version)
    detail = bench.reading.segment(ADMIN, row.id)
    on_fix = {(f.check_name, f.span_text(detail.row.current))
              for f in open_suggestions(bench, row.id, "corrected")}
    assert not on_mt & on_fix


def test_second_occurrence_is_flagged_by_offsets(bench: Workbench, wuzhen: int) -> None:
    row = segment_with(bench, wuzhen, "In 2022, the scale")
    second = row.mt.index("will account", row.mt.index("will account") + 1)
    flag_id = bench.workspace.add_span_flag(ADMIN, row.id, "target", second + 1, second + 7,
                                  "Fluency/Grammar", "Major")
    flag = next(f for f in bench.reading.segment(ADMIN, row.id).flags if f.id == flag_id)
    assert (flag.start, flag.end) == (second, second + len("will account"))
    omission = bench.workspace.add_span_flag(ADMIN, row.id, "target", 5, 5, "Accuracy/Omission",
                                             "Minor")
    flag = next(f for f in bench.reading.segment(ADMIN, row.id).flags if f.id == omission)
    assert (flag.start, flag.end) == (5, 5)
    with pytest.raises(InputError):
        bench.workspace.add_span_flag(ADMIN, row.id, "target", 0, 10_000, "Fluency/Grammar",
                                      "Major")
    with pytest.raises(InputError):
        bench.workspace.add_span_flag(ADMIN, row.id, "target", 0, 3, "Fluency/Grammar", "Huge")


def test_update_flag_and_its_permissions(bench: Workbench, wuzhen: int) -> None:
    row = segment_with(bench, wuzhen, "In 2022, the scale")
    flag_id = bench.workspace.add_span_flag(ADMIN, row.id, "target", 0, 2, "Fluency/Grammar",
                                            "Minor")
    bench.workspace.update_flag(ADMIN, flag_id, severity="Major", note="tense")
    flag = next(f for f in bench.reading.segment(ADMIN, row.id).flags if f.id == flag_id)
    assert (flag.severity, flag.note, flag.category) == ("Major", "tense", "Fluency/Grammar")
    assert bench.library.audit_trail(ADMIN,
                                     segment_id=row.id)[0].detail["was"]["severity"] == "Minor"
    bench.accounts.add_user(ADMIN, "rita", "reviewer", None)
    rita = Actor("rita", "reviewer", bench.accounts.list_users(ADMIN)[0].id)
    bench.assignments.assign(ADMIN, wuzhen, "rita")
    with pytest.raises(PermissionDenied):
        bench.workspace.update_flag(rita, flag_id, severity="Minor")


def test_take_theirs_then_edit_keeps_both_versions_in_order(bench: Workbench,
                                                           wuzhen: int) -> None:
    row = segment_with(bench, wuzhen, "In 2022, the scale")
    anna, ben = Actor("anna", "lead"), Actor("ben", "lead")
    bench.editing.save_segment(anna, row.id, "Anna's version.", row.version)
    with pytest.raises(ConflictError) as err:
        bench.editing.save_segment(ben, row.id, "Ben's version.", row.version)
    bench.workspace.record_conflict(ben, row.id, row.version, err.value.theirs_version,
                          err.value.theirs_author)
    bench.workspace.resolve_conflict(ben, row.id, "take_theirs", err.value.theirs_version)
    # Ben edits their text and saves against their version: it lands after Anna's
    bench.editing.save_segment(ben, row.id, "Anna's version, checked by Ben.",
                       err.value.theirs_version)
    revisions = [(r.author, r.text) for r in bench.reading.segment(ADMIN, row.id).revisions]
    assert revisions[:2] == [("ben", "Anna's version, checked by Ben."),
                             ("anna", "Anna's version.")]
    actions = [e.action for e in bench.library.audit_trail(ADMIN, segment_id=row.id)][:4]
    assert actions == ["edit", "conflict_resolved", "conflict", "edit"]


def test_keep_mine_saves_over_the_version_seen(bench: Workbench, wuzhen: int) -> None:
    row = segment_with(bench, wuzhen, "In 2022, the scale")
    bench.editing.save_segment(Actor("anna", "lead"), row.id, "Anna's version.", row.version)
    detail = bench.workspace.resolve_conflict(ADMIN, row.id, "keep_mine", row.version + 1, "Mine.")
    assert detail.row.current == "Mine."
    assert detail.revisions[0].action == "resolve"
    with pytest.raises(InputError):
        bench.workspace.resolve_conflict(ADMIN, row.id, "shrug", detail.row.version)


def test_workspace_rows_hold_flags_and_diffs(bench: Workbench, wuzhen: int) -> None:
    data = bench.workspace.workspace_rows(ADMIN, wuzhen)
    assert [r["position"] for r in data] == list(range(len(data)))
    row = next(r for r in data if "In 2022, the scale" in r["mt"])
    assert any(f["origin"] == "check" and f["on"] == "target" for f in row["flags"])


def test_workspace_rows_carry_each_retranslation_for_the_browser_to_diff(
        bench: Workbench) -> None:
    from review.formats.base import DocArticle, DocSegment

    doc = DocArticle(title="Diffs", source_lang="zh", target_lang="en", mt_system="mt",
                     segments=[DocSegment(mt="It will account for 1%.", source="占1%。",
                                          candidates={"opus": "It accounts for 1%."})])
    article_id = bench.imports.import_articles(ADMIN, [doc]).articles[0].id
    (row,) = bench.workspace.workspace_rows(ADMIN, article_id)
    (cand,) = row["candidates"]
    assert (cand["system"], cand["text"]) == ("opus", "It accounts for 1%.")
    assert "diff" not in cand  # drawn in the browser, for the segment on screen only


def test_a_reviewer_reads_and_flags_other_systems_by_blind_label(bench: Workbench) -> None:
    from review.formats.base import DocArticle, DocSegment

    doc = DocArticle(title="Blind", source_lang="zh", target_lang="en", mt_system="mt",
                     segments=[DocSegment(mt="It will account for 1%.", source="占1%。",
                                          candidates={"opus": "It accounts for 1%."})])
    article_id = bench.imports.import_articles(ADMIN, [doc]).articles[0].id
    bench.accounts.add_user(ADMIN, "rita", "reviewer", None)
    rita = Actor("rita", "reviewer", next(u.id for u in bench.accounts.list_users(ADMIN)
                                          if u.name == "rita"))
    bench.assignments.assign(ADMIN, article_id, "rita")
    (row,) = bench.workspace.workspace_rows(rita, article_id)
    (cand,) = row["candidates"]
    assert cand["system"].startswith("System ") and "opus" not in str(row)
    flag_id = bench.workspace.add_span_flag(rita, row["id"], cand["system"], 3, 11,
                                            "Fluency/Grammar",
                                  "Minor")
    (seen,) = [f for f in bench.workspace.workspace_rows(rita, article_id)[0]["flags"]
               if f["id"] == flag_id]
    assert seen["on"] == cand["system"]
    (lead_view,) = [f for f in bench.workspace.workspace_rows(ADMIN, article_id)[0]["flags"]
                    if f["id"] == flag_id]
    assert lead_view["on"] == "opus"
