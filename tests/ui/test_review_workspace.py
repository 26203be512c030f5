"""The Python side of every workspace event, on the seeded sample database."""

from __future__ import annotations

from review.accounts.permissions import SYSTEM_ACTOR, Actor
from tests.ui.workspace_app import body_rows, open_wuzhen, send, workspace_data


def test_page_sends_every_row_with_flags_and_retranslation_diffs(make_app, app_db: str) -> None:
    at, bench, article_id = open_wuzhen(make_app, app_db)
    data = workspace_data(at)
    rows = bench.reading.article(SYSTEM_ACTOR, article_id).rows
    assert [r["id"] for r in data["rows"]] == [r.id for r in rows]
    assert "Fluency/Grammar" in data["vocab"]["categories"]
    assert any(f["origin"] == "check" for r in data["rows"] for f in r["flags"])


def test_save_then_approve(make_app, app_db: str) -> None:
    at, bench, article_id = open_wuzhen(make_app, app_db)
    row = body_rows(bench, article_id)[0]
    ack = send(at, {"type": "save", "segment_id": row.id, "text": "A fixed sentence.",
                    "version": row.version, "seconds": 7})
    assert ack["ok"] and ack["message"] == f"Saved segment {row.position + 1}."
    detail = bench.reading.segment(SYSTEM_ACTOR, row.id)
    assert detail.row.current == "A fixed sentence."
    assert detail.revisions[0].seconds_spent == 7
    saved = next(r for r in workspace_data(at)["rows"] if r["id"] == row.id)
    assert saved["current"] == "A fixed sentence." and saved["status"] == "fixed"
    ack = send(at, {"type": "approve", "segment_id": row.id, "version": detail.row.version})
    assert ack["ok"], ack
    assert bench.reading.segment(SYSTEM_ACTOR, row.id).row.status == "approved"


def test_conflict_is_answered_with_theirs_and_recorded(make_app, app_db: str) -> None:
    at, bench, article_id = open_wuzhen(make_app, app_db)
    row = body_rows(bench, article_id)[0]
    bench.editing.save_segment(Actor("olga", "lead"), row.id, "Olga's version.", row.version)
    ack = send(at, {"type": "save", "segment_id": row.id, "text": "My version.",
                    "version": row.version})
    assert not ack["ok"]
    assert ack["conflict"]["theirs_text"] == "Olga's version."
    assert ack["conflict"]["theirs_author"] == "olga"
    assert bench.reading.segment(SYSTEM_ACTOR, row.id).row.current == "Olga's version."
    assert bench.library.audit_trail(SYSTEM_ACTOR, segment_id=row.id)[0].action == "conflict"

    theirs = ack["conflict"]["theirs_version"]
    ack = send(at, {"type": "resolve", "segment_id": row.id, "choice": "take_theirs",
                    "theirs_version": theirs})
    assert ack["ok"]
    assert bench.reading.segment(SYSTEM_ACTOR, row.id).row.current == "Olga's version."
    ack = send(at, {"type": "save", "segment_id": row.id, "text": "Olga's version, checked.",
                    "version": theirs})
    assert ack["ok"], ack
    texts = [r.text for r in bench.reading.segment(SYSTEM_ACTOR, row.id).revisions]
    assert texts[:2] == ["Olga's version, checked.", "Olga's version."]


def test_keep_mine_after_seeing_theirs(make_app, app_db: str) -> None:
    at, bench, article_id = open_wuzhen(make_app, app_db)
    row = body_rows(bench, article_id)[0]
    bench.editing.save_segment(Actor("olga", "lead"), row.id, "Olga's version.", row.version)
    ack = send(at, {"type": "save", "segment_id": row.id, "text": "My version.",
                    "version": row.version})
    ack = send(at, {"type": "resolve", "segment_id": row.id, "choice": "keep_mine",
                    "text": "My version.", "theirs_version": ack["conflict"]["theirs_version"]})
    assert ack["ok"], ack
    detail = bench.reading.segment(SYSTEM_ACTOR, row.id)
    assert [r.text for r in detail.revisions][:2] == ["My version.", "Olga's version."]
    assert bench.library.audit_trail(SYSTEM_ACTOR,
                                     segment_id=row.id)[0].detail["choice"] == "keep_mine"


def test_flag_add_edit_state_delete(make_app, app_db: str) -> None:
    at, bench, article_id = open_wuzhen(make_app, app_db)
    row = body_rows(bench, article_id)[1]
    ack = send(at, {"type": "flag_add", "segment_id": row.id, "on": "target", "start": 1,
                    "end": 3, "category": "Fluency/Grammar", "severity": "Minor"})
    assert ack["ok"], ack
    flag_id = ack["flag_id"]
    sent = next(r for r in workspace_data(at)["rows"] if r["id"] == row.id)["flags"]
    flag = next(f for f in sent if f["id"] == flag_id)
    assert (flag["start"], flag["end"]) == (0, len(row.mt.split()[0]))  # snapped to the word
    assert send(at, {"type": "flag_edit", "flag_id": flag_id, "severity": "Major",
                     "category": "Fluency/Grammar", "note": "tense"})["ok"]
    assert send(at, {"type": "flag_state", "flag_id": flag_id, "state": "dismissed"})["ok"]
    flag = next(f for f in bench.reading.segment(SYSTEM_ACTOR, row.id).flags if f.id == flag_id)
    assert (flag.severity, flag.note, flag.state) == ("Major", "tense", "dismissed")
    assert send(at, {"type": "flag_delete", "flag_id": flag_id})["ok"]
    assert all(f.id != flag_id for f in bench.reading.segment(SYSTEM_ACTOR, row.id).flags)
    ack = send(at, {"type": "flag_add", "segment_id": row.id, "on": "target", "start": 0,
                    "end": 99_999, "category": "Fluency/Grammar", "severity": "Minor"})
    assert not ack["ok"] and "outside the text" in ack["message"]


def test_merge_split_and_kind(make_app, app_db: str) -> None:
    at, bench, article_id = open_wuzhen(make_app, app_db)
    first, second = body_rows(bench, article_id)[:2]
    count = len(workspace_data(at)["rows"])
    ack = send(at, {"type": "merge", "segment_id": first.id, "version": first.version})
    assert ack["ok"] and ack["segment_id"] == first.id
    assert len(workspace_data(at)["rows"]) == count - 1
    merged = bench.reading.segment(SYSTEM_ACTOR, first.id).row
    assert merged.mt.startswith(first.mt) and merged.mt.endswith(second.mt)
    ack = send(at, {"type": "split", "segment_id": first.id, "at": len(first.mt),
                    "version": merged.version})
    assert ack["ok"], ack
    assert len(workspace_data(at)["rows"]) == count
    ack = send(at, {"type": "split", "segment_id": first.id, "at": 0, "version": 99})
    assert not ack["ok"]
    version = bench.reading.segment(SYSTEM_ACTOR, first.id).row.version
    assert send(at, {"type": "kind", "segment_id": first.id, "kind": "residue",
                     "version": version})["ok"]
    assert bench.reading.segment(SYSTEM_ACTOR, first.id).row.kind == "boilerplate"


def test_details_show_history_and_restore(make_app, app_db: str) -> None:
    at, bench, article_id = open_wuzhen(make_app, app_db)
    row = body_rows(bench, article_id)[0]
    send(at, {"type": "save", "segment_id": row.id, "text": "First draft.",
              "version": row.version})
    send(at, {"type": "save", "segment_id": row.id, "text": "Second draft.",
              "version": row.version + 1})
    send(at, {"type": "details", "segment_id": row.id})
    assert any(f"Segment {row.position + 1}" in h.value for h in at.subheader)
    assert any(m.label.startswith("chrF") for m in at.metric)
    earlier = next(r for r in bench.reading.segment(SYSTEM_ACTOR, row.id).revisions
                   if r.text == "First draft.")
    at.button(key=f"review_detail_restore_{earlier.id}").click().run()
    assert not at.exception, at.exception
    assert bench.reading.segment(SYSTEM_ACTOR, row.id).row.current == "First draft."
    assert any("Restored version" in s.value for s in at.success)


def test_unknown_or_incomplete_events_change_nothing(make_app, app_db: str) -> None:
    at, bench, article_id = open_wuzhen(make_app, app_db)
    assert not send(at, {"type": "explode"})["ok"]
    ack = send(at, {"type": "save", "segment_id": body_rows(bench, article_id)[0].id})
    assert not ack["ok"] and "incomplete" in ack["message"]


def test_rank_event_stores_risks_and_resends_the_rows(make_app, app_db: str) -> None:
    """Filters and the order run in the browser; ranking by risk asks the server once."""
    at, bench, article_id = open_wuzhen(make_app, app_db)
    ack = send(at, {"type": "rank", "article_id": article_id})
    assert ack["ok"] and "ranked by: checks, length" in ack["message"], ack
    rows = bench.reading.article(SYSTEM_ACTOR, article_id).rows
    assert all(r.risk is not None for r in rows if r.kind in ("title", "body"))
    sent = {r["id"]: r["risk"] for r in workspace_data(at)["rows"]}
    assert all(sent[r.id] == r.risk for r in rows)


def test_a_save_sends_only_the_changed_row(make_app, app_db: str) -> None:
    at, bench, article_id = open_wuzhen(make_app, app_db)
    row = body_rows(bench, article_id)[2]
    workspace_data(at)  # the browser holds the rows
    send(at, {"type": "save", "segment_id": row.id, "text": "Only this one.",
              "version": row.version})
    data = workspace_data(at)
    assert data["full"] is None
    assert [r["id"] for r in data["patches"][-1]["rows"]] == [row.id]


def test_undo_of_a_merge_gives_back_both_segments(make_app, app_db: str) -> None:
    at, bench, article_id = open_wuzhen(make_app, app_db)
    first, second = body_rows(bench, article_id)[3:5]
    flag = bench.flags.add_flag(SYSTEM_ACTOR, second.id, "Style/Awkward", "Minor")
    second = bench.reading.segment(SYSTEM_ACTOR, second.id).row
    ack = send(at, {"type": "merge", "segment_id": first.id, "version": first.version})
    undo = ack["undo"]
    assert undo["label"] == f"the merge of segments {first.position + 1} and {first.position + 2}"
    version = bench.reading.segment(SYSTEM_ACTOR, first.id).row.version
    again = send(at, {**undo["event"], "version": version, "undo": undo["label"]})
    assert again["ok"], again
    assert again["message"] == f"Undid {undo['label']}."
    rows = body_rows(bench, article_id)
    assert [(r.id, r.mt) for r in rows[3:5]] == [(first.id, first.mt), (second.id, second.mt)]
    assert rows[4].version > second.version
    assert flag.id in [f.id for f in bench.reading.segment(SYSTEM_ACTOR, second.id).flags]


def test_residue_mark_is_undone_to_the_kind_it_had(make_app, app_db: str) -> None:
    at, bench, article_id = open_wuzhen(make_app, app_db)
    row = body_rows(bench, article_id)[5]
    ack = send(at, {"type": "kind", "segment_id": row.id, "kind": "residue",
                    "version": row.version})
    version = bench.reading.segment(SYSTEM_ACTOR, row.id).row.version
    assert send(at, {**ack["undo"]["event"], "version": version,
                     "undo": ack["undo"]["label"]})["ok"]
    assert bench.reading.segment(SYSTEM_ACTOR, row.id).row.kind == "body"
