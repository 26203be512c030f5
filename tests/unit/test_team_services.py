"""Accounts, assignments, my queue, settings and the append-only audit trail."""

from __future__ import annotations

import inspect
import json

import pytest
from sqlalchemy import select

from review.accounts.permissions import SYSTEM_ACTOR
from review.core.errors import InputError, NotFound, PermissionDenied
from review.db.models import AuditEvent
from review.services import Workbench
from tests.factories import make_team, short_article

pytestmark = pytest.mark.usefixtures("fast_hashing")


@pytest.fixture
def team(bench: Workbench) -> dict:
    return _team(bench)


@pytest.fixture
def any_team(any_bench: Workbench) -> dict:
    """On SQLite and PostgreSQL."""
    return _team(any_bench)


def _team(bench: Workbench) -> dict:
    people = make_team(bench, {"lena": "lead", "rita": "reviewer", "root": "admin"})
    return {"bench": bench, "lead": people["lena"], "rita": people["rita"],
            "article": short_article(bench)}


# ------------------------------------------------------------------ accounts
def test_accounts_lifecycle(any_team: dict) -> None:
    bench: Workbench = any_team["bench"]
    assert [(u.name, u.role, u.active) for u in bench.accounts.list_users(SYSTEM_ACTOR)] == [
        ("lena", "lead", True), ("rita", "reviewer", True), ("root", "admin", True)]
    assert bench.accounts.set_role(SYSTEM_ACTOR, "rita", "lead").role == "lead"
    assert bench.accounts.set_active(SYSTEM_ACTOR, "rita", False).active is False
    assert bench.accounts.set_active(SYSTEM_ACTOR, "rita", True).active is True
    bench.accounts.reset_password(SYSTEM_ACTOR, "rita", "brand-new-password")
    assert bench.logins.login("rita", "brand-new-password").role == "lead"
    actions = [e.action for e in reversed(bench.library.audit_trail(SYSTEM_ACTOR))]
    assert actions[:3] == ["user_add"] * 3
    assert actions[-5:] == ["user_role", "user_deactivate", "user_reactivate",
                            "password_reset", "login"]


@pytest.mark.parametrize(("name", "role", "password", "message"), [
    ("Rita", "reviewer", "password-1", "exists already"),
    ("rita", "reviewer", "password-1", "exists already"),
    ("new", "owner", "password-1", "unknown role"),
    ("new", "reviewer", "short", "at least 8"),
    ("", "reviewer", "password-1", "needs a name"),
])
def test_bad_new_accounts(team: dict, name: str, role: str, password: str,
                          message: str) -> None:
    with pytest.raises(InputError, match=message):
        team["bench"].accounts.add_user(SYSTEM_ACTOR, name, role, password)


def test_the_last_admin_stays(team: dict) -> None:
    bench: Workbench = team["bench"]
    with pytest.raises(InputError, match="last active admin"):
        bench.accounts.set_role(SYSTEM_ACTOR, "root", "lead")
    with pytest.raises(InputError, match="last active admin"):
        bench.accounts.set_active(SYSTEM_ACTOR, "root", False)
    bench.accounts.set_role(SYSTEM_ACTOR, "lena", "admin")
    bench.accounts.set_active(SYSTEM_ACTOR, "root", False)
    assert {u.name: u.active for u in bench.accounts.list_users(SYSTEM_ACTOR)}["root"] is False


def test_unknown_account(team: dict) -> None:
    with pytest.raises(NotFound, match="no account named 'zed'"):
        team["bench"].accounts.set_role(SYSTEM_ACTOR, "zed", "lead")


def test_sso_only_account_has_no_password(team: dict) -> None:
    bench: Workbench = team["bench"]
    view = bench.accounts.add_user(SYSTEM_ACTOR, "sam", "reviewer", None, email="sam@example.org")
    assert view.has_password is False
    assert bench.accounts.sso_login("sam@example.org").name == "sam"


# ------------------------------------------------------------------ assignments
def test_assign_whole_article_and_range(any_team: dict) -> None:
    bench: Workbench = any_team["bench"]
    lead, rita, article_id = any_team["lead"], any_team["rita"], any_team["article"]
    assert bench.reading.summaries(rita) == []
    whole = bench.assignments.assign(lead, article_id, "rita")
    assert (whole.first, whole.last, whole.segments, whole.range_label) == (
        None, None, 5, "whole article")
    assert [a.id for a in bench.reading.summaries(rita)] == [article_id]
    again = bench.assignments.assign(lead, article_id, "rita")
    assert again.id == whole.id  # assigning twice changes nothing
    part = bench.assignments.assign(lead, article_id, "lena", first=2, last=3)
    assert (part.first, part.last, part.segments, part.range_label) == (
        2, 3, 2, "segments 2–3")
    assert bench.assignments.assign(lead, article_id, "lena", first=1, last=6).first is None
    listed = bench.assignments.assignments(lead, article_id)
    assert [(a.user_name, a.first, a.last) for a in listed] == [
        ("lena", 2, 3), ("lena", None, None), ("rita", None, None)]
    assert [a.user_name for a in bench.assignments.assignments(lead, user_name="rita")] == ["rita"]
    bench.assignments.unassign(lead, whole.id)
    assert bench.reading.summaries(rita) == []
    trail = [(e.action, e.detail.get("user")) for e in reversed(
        bench.library.audit_trail(lead, article_id)) if e.action in ("assign", "unassign")]
    assert trail == [("assign", "rita"), ("assign", "lena"), ("assign", "lena"),
                     ("unassign", "rita")]


@pytest.mark.parametrize(("first", "last", "message"), [
    (0, 3, "between 1 and 6"), (2, 7, "between 1 and 6"), (4, 2, "comes after"),
])
def test_bad_ranges(team: dict, first: int, last: int, message: str) -> None:
    with pytest.raises(InputError, match=message):
        team["bench"].assignments.assign(team["lead"], team["article"], "rita", first=first,
                                         last=last)


def test_assign_to_unknown_or_inactive_user(team: dict) -> None:
    bench: Workbench = team["bench"]
    with pytest.raises(NotFound):
        bench.assignments.assign(team["lead"], team["article"], "nobody")
    bench.accounts.set_active(SYSTEM_ACTOR, "rita", False)
    with pytest.raises(InputError, match="deactivated"):
        bench.assignments.assign(team["lead"], team["article"], "rita")
    with pytest.raises(NotFound):
        bench.assignments.assign(team["lead"], 999, "lena")
    with pytest.raises(NotFound):
        bench.assignments.unassign(team["lead"], 999)


def test_range_reviewer_sees_and_edits_only_its_range(any_team: dict) -> None:
    bench: Workbench = any_team["bench"]
    rita, article_id = any_team["rita"], any_team["article"]
    bench.assignments.assign(any_team["lead"], article_id, "rita", first=2, last=3)
    rows = bench.reading.article(rita, article_id).rows
    assert [r.position + 1 for r in rows] == [2, 3]
    inside = rows[0]
    bench.editing.save_segment(rita, inside.id, "Fixed.", inside.version)
    outside = bench.reading.article(SYSTEM_ACTOR, article_id).rows[4]
    with pytest.raises(PermissionDenied, match="outside the range"):
        bench.editing.save_segment(rita, outside.id, "Not mine.", outside.version)
    with pytest.raises(PermissionDenied, match="outside the range"):
        bench.reading.segment(rita, outside.id)
    assert [s.position + 1 for s in bench.exports.document(rita, article_id).segments] == [2, 3]


def test_my_queue_shows_progress(any_team: dict) -> None:
    bench: Workbench = any_team["bench"]
    rita, article_id = any_team["rita"], any_team["article"]
    other = short_article(bench, "Weather", 4)
    bench.assignments.assign(any_team["lead"], article_id, "rita", first=2, last=4)
    bench.assignments.assign(any_team["lead"], other, "rita")
    rows = bench.reading.article(rita, article_id).rows
    bench.editing.set_status(rita, rows[0].id, "approved", rows[0].version)
    bench.editing.save_segment(rita, rows[1].id, "Better.", rows[1].version)
    queue = bench.assignments.my_queue(rita)
    assert [(q.article_title, q.first, q.last, q.segments, q.done) for q in queue] == [
        ("Chess", 2, 4, 3, 1), ("Weather", None, None, 3, 0)]
    assert queue[0].by_status == {"todo": 1, "flagged": 0, "fixed": 1, "approved": 1}
    assert bench.assignments.my_queue(any_team["lead"]) == []
    assert bench.assignments.my_queue(SYSTEM_ACTOR) == []


# ------------------------------------------------------------------ settings
def test_settings_round_trip_and_audit(any_team: dict) -> None:
    bench: Workbench = any_team["bench"]
    assert bench.settings.get_setting(SYSTEM_ACTOR, "glossary") is None
    glossary = {"filename": "terms.tsv", "content": "乌镇\tWuzhen\n"}
    bench.settings.set_setting(SYSTEM_ACTOR, "glossary", glossary)
    assert bench.settings.get_setting(SYSTEM_ACTOR, "glossary") == glossary
    bench.settings.set_setting(SYSTEM_ACTOR, "glossary", {"filename": "b.tsv", "content": ""})
    assert bench.settings.get_setting(SYSTEM_ACTOR, "glossary")["filename"] == "b.tsv"
    events = [e.detail for e in bench.library.audit_trail(SYSTEM_ACTOR) if e.action == "setting"]
    assert [d["filename"] for d in events] == ["b.tsv", "terms.tsv"]
    with pytest.raises(InputError, match="must be one of"):
        bench.settings.set_setting(SYSTEM_ACTOR, "sso", {"roles": {"a@x.org": "boss"}})
    with pytest.raises(InputError):
        bench.settings.set_setting(SYSTEM_ACTOR, "glossary", ["not", "a", "table"])
    with pytest.raises(PermissionDenied):
        bench.settings.set_setting(any_team["lead"], "glossary", glossary)


# ------------------------------------------------------------------ the audit trail
def test_audit_trail_is_append_only(any_team: dict) -> None:
    """No use case updates or deletes events, and later actions leave earlier ones alone."""
    bench: Workbench = any_team["bench"]
    names = [n for n, _ in inspect.getmembers(Workbench, inspect.isfunction)
             if not n.startswith("_")]
    readers = {"audit_trail", "audit_log", "audit_filters"}
    assert not [n for n in names if "audit" in n and n not in readers]

    def snapshot() -> dict:
        with bench.store.read() as session:
            return {e.id: (e.at, e.actor, e.action, e.article_id, e.segment_id,
                           json.dumps(e.detail, sort_keys=True))
                    for e in session.scalars(select(AuditEvent))}

    before = snapshot()
    article_id, rita, lead = any_team["article"], any_team["rita"], any_team["lead"]
    bench.assignments.assign(lead, article_id, "rita")
    row = bench.reading.article(rita, article_id).rows[1]
    bench.editing.save_segment(rita, row.id, "Edited once.", row.version)
    bench.flags.add_flag(rita, row.id, "Style/Awkward", "Minor")
    bench.accounts.set_role(SYSTEM_ACTOR, "rita", "lead")
    bench.library.delete_article(SYSTEM_ACTOR, article_id)
    after = snapshot()
    assert {k: after[k] for k in before} == before
    new = [after[k][2] for k in sorted(set(after) - set(before))]
    assert new == ["assign", "edit", "flag", "user_role", "delete"]
    # the trail of a deleted article stays readable
    assert [e.action for e in bench.library.audit_trail(lead, article_id)][:2] == ["delete", "flag"]


def test_audit_trail_per_segment(team: dict) -> None:
    bench: Workbench = team["bench"]
    rows = bench.reading.article(SYSTEM_ACTOR, team["article"]).rows
    bench.editing.save_segment(team["lead"], rows[1].id, "One.", rows[1].version)
    bench.editing.save_segment(team["lead"], rows[2].id, "Two.", rows[2].version)
    events = bench.library.audit_trail(team["lead"], team["article"], rows[2].id)
    assert [(e.actor, e.action, e.segment_id) for e in events] == [
        ("lena", "edit", rows[2].id)]
    with pytest.raises(PermissionDenied):
        bench.library.audit_trail(team["rita"], team["article"])
