"""Running a team: invitation and reset links, bulk assignment, progress, presence, the
audit trail for leads and effort per reviewer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from review.accounts.permissions import SYSTEM_ACTOR
from review.core.errors import AuthError, InputError, PermissionDenied
from review.db.models import OneTimeToken, Presence, utcnow
from review.services import Workbench
from tests.factories import article_doc, make_articles, make_team

pytestmark = pytest.mark.usefixtures("fast_hashing")


@pytest.fixture
def team(bench: Workbench) -> dict:
    return _team(bench)


@pytest.fixture
def any_team(any_bench: Workbench) -> dict:
    """On SQLite and PostgreSQL."""
    return _team(any_bench)


def _team(bench: Workbench) -> dict:
    lead = make_team(bench, {"lena": "lead"})["lena"]
    docs = [article_doc([" ".join(["word"] * 10) + f" {n}.{i}" for i in range(4)],
                        title=f"Article {n}") for n in range(3)]
    return {"bench": bench, "lead": lead, "articles": make_articles(bench, docs)}


def test_a_lead_invites_a_reviewer_by_a_one_time_link(any_team: dict) -> None:
    team = any_team
    bench, lead = team["bench"], team["lead"]
    link = bench.invitations.invite(lead, "rita")
    assert link.query == f"?invite={link.token}" and link.role == "reviewer"
    rita = bench.invitations.accept_invitation(link.token, "rita-password")
    assert (rita.name, rita.role) == ("rita", "reviewer")
    assert bench.logins.login("rita", "rita-password").name == "rita"
    with pytest.raises(AuthError, match="used already"):
        bench.invitations.accept_invitation(link.token, "other-password")
    with pytest.raises(PermissionDenied, match="invite reviewers only"):
        bench.invitations.invite(lead, "boss", role="lead")
    assert bench.invitations.invite(SYSTEM_ACTOR, "boss", role="lead").role == "lead"
    with pytest.raises(InputError, match="exists already"):
        bench.invitations.invite(lead, "Rita")
    with pytest.raises(AuthError, match="not valid"):
        bench.invitations.accept_invitation("forged", "rita-password")


def test_links_expire_and_reset_links_set_a_password(team: dict) -> None:
    bench, lead = team["bench"], team["lead"]
    link = bench.invitations.invite(lead, "rita", hours=1)
    with bench.store.write() as session:
        session.execute(update(OneTimeToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    with pytest.raises(AuthError, match="expired"):
        bench.invitations.accept_invitation(link.token, "rita-password")
    bench.invitations.accept_invitation(bench.invitations.invite(lead, "rita").token,
                                        "rita-password")
    reset = bench.invitations.reset_link(lead, "rita")
    with pytest.raises(AuthError, match="not valid"):
        bench.invitations.accept_invitation(reset.token, "new-password")  # a reset is no invitation
    bench.invitations.use_reset_link(reset.token, "brand-new-password")
    assert bench.logins.login("rita", "brand-new-password").name == "rita"
    with pytest.raises(PermissionDenied):
        bench.invitations.reset_link(lead, "lena")  # leads reset reviewers' passwords only
    with pytest.raises(InputError, match="1-336 hours"):
        bench.invitations.invite(lead, "omar", hours=0)


def test_bulk_assignment_with_a_due_date_warns_on_overlaps_and_shows_progress(
        any_team: dict) -> None:
    team = any_team
    bench, lead, ids = team["bench"], team["lead"], team["articles"]
    for name in ("rita", "omar"):
        bench.invitations.accept_invitation(bench.invitations.invite(lead, name).token,
                                            f"{name}-password")
    bench.assignments.assign(lead, ids[0], "omar")
    result = bench.team.bulk_assign(lead, ids, ["rita"], due=date(2030, 1, 31))
    assert len(result.created) == 3
    assert result.warnings == [f"article {ids[0]} is also assigned to omar"]
    again = bench.team.bulk_assign(lead, ids[:1], ["rita"])
    assert again.created == [] and again.warnings == [
        f"rita already has article {ids[0]}; not assigned again"]
    rita = bench.logins.login("rita", "rita-password")
    queue = bench.assignments.my_queue(rita)
    assert len(queue) == 3
    row = bench.reading.article(rita, ids[0]).rows[0]
    bench.editing.save_segment(rita, row.id, "Fixed.", row.version, 30.0)
    progress = {p.name: p for p in bench.team.reviewer_progress(lead)}
    assert (progress["rita"].articles, progress["rita"].segments, progress["rita"].done) == \
        (3, 12, 1)
    assert progress["rita"].seconds == 30.0 and progress["rita"].overdue == 0
    assert progress["rita"].next_due.date() == date(2030, 1, 31)
    assert progress["omar"].segments == 4 and progress["omar"].next_due is None
    with pytest.raises(InputError, match="post_edit or rating"):
        bench.team.bulk_assign(lead, ids, ["rita"], mode="other")


def test_presence_says_who_else_is_editing(any_team: dict) -> None:
    team = any_team
    bench, lead, ids = team["bench"], team["lead"], team["articles"]
    bench.invitations.accept_invitation(bench.invitations.invite(lead, "rita").token,
                                        "rita-password")
    bench.assignments.assign(lead, ids[0], "rita")
    rita = bench.logins.login("rita", "rita-password")
    segment_id = bench.reading.article(lead, ids[0]).rows[0].id
    assert bench.team.heartbeat(rita, segment_id) == []
    assert bench.team.heartbeat(lead, segment_id) == ["rita"]
    assert bench.team.editing_now(rita, segment_id) == ["lena"]
    with bench.store.write() as session:
        session.execute(update(Presence).where(Presence.user_name == "lena")
                        .values(seen_at=utcnow() - timedelta(minutes=5)))
    assert bench.team.editing_now(rita, segment_id) == []


def test_the_audit_log_shows_page_numbers_and_readable_details(team: dict) -> None:
    bench, lead, ids = team["bench"], team["lead"], team["articles"]
    rows = bench.reading.article(lead, ids[1]).rows
    bench.flags.add_flag(lead, rows[2].id, "Style/Awkward", "Minor", note="odd")
    bench.editing.save_segment(lead, rows[3].id, "Better.", rows[3].version, 12.5)
    lines = bench.audit.audit_log(lead, article_id=ids[1])
    assert [(line.segment, line.action) for line in lines] == [
        (4, "edit"), (3, "flag"), (None, "import")]
    assert lines[1].what == "added a flag"
    assert lines[1].details == "category Style/Awkward, severity Minor"
    assert lines[0].article == "Article 1"
    assert [line.action for line in bench.audit.audit_log(lead, action="flag")] == ["flag"]
    assert bench.audit.audit_log(lead, who="nobody") == []
    people, actions = bench.audit.audit_filters(lead)
    assert "lena" in people and {"edit", "flag"} <= set(actions)


def test_effort_per_reviewer_leaves_out_outliers(team: dict) -> None:
    bench, lead, ids = team["bench"], team["lead"], team["articles"]
    rows = bench.reading.article(lead, ids[2]).rows  # 11 words each
    for row, seconds in zip(rows, (22.0, 44.0, 1.0, 600.0)):
        bench.editing.save_segment(lead, row.id, "Changed.", row.version, seconds)
    table = bench.ratings.effort_report(lead).set_index("reviewer")
    assert (table.loc["lena", "segments"], table.loc["lena", "excluded"]) == (2, 2)
    assert table.loc["lena", "seconds_per_segment"] == 33.0
    assert table.loc["lena", "words_per_hour"] == pytest.approx(22 / 66 * 3600)
    bench.ratings.set_effort_bounds(lead, 0.01, 100)
    assert bench.ratings.effort_report(lead).set_index("reviewer").loc["lena", "segments"] == 4
    with pytest.raises(InputError):
        bench.ratings.set_effort_bounds(lead, 10, 1)


def test_the_team_table_keeps_reviewers_apart_from_imported_raters(team: dict) -> None:
    bench, lead, ids = team["bench"], team["lead"], team["articles"]
    bench.invitations.accept_invitation(bench.invitations.invite(lead, "rita").token,
                                        "rita-password")
    bench.team.bulk_assign(lead, ids[:2], ["rita"])
    rita = bench.logins.login("rita", "rita-password")
    row = bench.reading.article(rita, ids[0]).rows[0]
    bench.editing.save_segment(rita, row.id, "Fixed.", row.version, 120.0)
    overview = bench.overview.team_overview(lead)
    assert overview.members == {"lena", "rita"}
    table = overview.team.set_index("Reviewer")
    assert table.loc["rita", ["Assigned segments", "Done", "Total time (min)"]].tolist() == \
        [8, 1, 2.0]
    assert table.loc["rita", "Catch rate"] == "" and table.loc["rita", "Checks"] == 0
    assert "None" not in overview.team.to_csv() and "nan" not in overview.team.to_csv()
    labels = bench.overview.batch_labels(lead)
    assert len(labels) == 1 and " UTC" in next(iter(labels.values()))


def test_a_second_pass_is_done_as_its_flags_are_decided(any_team: dict) -> None:
    bench, lead, ids = any_team["bench"], any_team["lead"], any_team["articles"]
    bench.invitations.accept_invitation(bench.invitations.invite(lead, "omar").token,
                                        "omar-password")
    rows = bench.reading.article(lead, ids[1]).rows
    first = bench.flags.add_flag(lead, rows[0].id, "Accuracy/Mistranslation", "Major")
    bench.flags.add_flag(lead, rows[1].id, "Style/Awkward", "Minor")
    for row in bench.reading.article(lead, ids[1]).rows:
        bench.editing.set_status(lead, row.id, "approved", row.version)
    bench.second_pass.assign_second_pass(lead, ids[1], "omar")
    progress = {p.name: p for p in bench.team.reviewer_progress(lead)}
    assert (progress["omar"].segments, progress["omar"].done) == (2, 0)  # flagged segments
    omar = bench.logins.login("omar", "omar-password")
    bench.second_pass.decide_flag(omar, first.id, "accept")
    progress = {p.name: p for p in bench.team.reviewer_progress(lead)}
    assert (progress["omar"].segments, progress["omar"].done) == (2, 1)
