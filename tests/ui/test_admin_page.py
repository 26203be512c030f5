"""AppTest flows of the Admin page, and the lead's assignment and audit panels."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.store import open_store
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench
from tests.ui.workspace_app import send

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench(empty_app_db: str) -> Workbench:
    bench = Workbench(open_store(empty_app_db))
    bench.accounts.add_user(SYSTEM_ACTOR, "root", "admin", "root-password")
    bench.accounts.add_user(SYSTEM_ACTOR, "lena", "lead", "lena-password")
    bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", "rita-password")
    doc = DocArticle(title="Chess", source_lang="zh", target_lang="en", segments=[
        DocSegment(mt="Playing chess", kind="title"),
        DocSegment(mt="Playing a game of chess together."),
        DocSegment(mt="In 2022 it will account for 1%."),
        DocSegment(mt="The ratios are about 3/5 and 1/3.")])
    bench.imports.import_articles(SYSTEM_ACTOR, [doc])
    return bench


def logged_in(name: str, page: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30).run()
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(f"{name}-password")
    at.button(key="FormSubmitter:login_form-Log in").click().run()
    assert at.session_state["actor"].name == name
    at.switch_page(f"review/ui/pages/{page}").run()
    assert not at.exception, at.exception
    return at


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def flashes(at: AppTest) -> list[str]:
    return [m.value for m in [*at.success, *at.error]]


def test_accounts_table_has_no_hashes(bench: Workbench) -> None:
    at = logged_in("root", "admin.py")
    table = frame_with(at, "Role")
    assert list(table["Name"]) == ["lena", "rita", "root"]
    assert not [c for c in table.columns if "hash" in c.lower() or "password" in c.lower()]
    assert "$argon2" not in table.to_csv()


def test_add_account_change_role_deactivate_and_reset(bench: Workbench) -> None:
    at = logged_in("root", "admin.py")
    at.text_input(key="admin_add_name").input("nina")
    at.selectbox(key="admin_add_role").set_value("reviewer")
    at.text_input(key="admin_add_email").input("nina@example.org")
    at.text_input(key="admin_add_password").input("nina-password")
    at.button(key="FormSubmitter:admin_add_form-Add account").click().run()
    assert not at.exception, at.exception
    assert "Added reviewer nina." in flashes(at)
    assert bench.logins.login("nina", "nina-password").role == "reviewer"

    at.selectbox(key="admin_user").set_value("rita").run()
    rita = next(u for u in bench.accounts.list_users(SYSTEM_ACTOR) if u.name == "rita")
    at.selectbox(key=f"admin_role_{rita.id}").set_value("lead").run()
    at.button(key="admin_set_role").click().run()
    assert "rita is now lead." in flashes(at)
    at.button(key="admin_deactivate").click().run()
    assert "Deactivated rita." in flashes(at)
    assert not next(u for u in bench.accounts.list_users(SYSTEM_ACTOR) if u.name == "rita").active
    at.button(key="admin_reactivate").click().run()
    assert "Reactivated rita." in flashes(at)

    at.text_input(key="admin_reset_password").input("rita-new-password")
    at.button(key="FormSubmitter:admin_reset_form-Reset password").click().run()
    assert "Reset the password of rita." in flashes(at)
    actor = bench.logins.login("rita", "rita-new-password")
    assert (actor.role, actor.name) == ("lead", "rita")
    actions = [e.action for e in bench.library.audit_trail(SYSTEM_ACTOR)]
    for action in ("user_add", "user_role", "user_deactivate", "user_reactivate",
                   "password_reset"):
        assert action in actions


def test_the_last_admin_cannot_lock_itself_out(bench: Workbench) -> None:
    at = logged_in("root", "admin.py")
    at.selectbox(key="admin_user").set_value("root").run()
    at.button(key="admin_deactivate").click().run()
    assert any("last active admin" in m for m in flashes(at))
    assert at.session_state["actor"].name == "root"


def test_glossary_upload_is_stored_as_a_setting(bench: Workbench) -> None:
    at = logged_in("root", "admin.py")
    content = "source\ttarget\n乌镇\tWuzhen\n长三角\tYangtze River Delta\n"
    at.file_uploader(key="admin_glossary").set_value(
        ("terms.tsv", content.encode("utf-8"), "text/tab-separated-values")).run()
    at.button(key="admin_store_glossary").click().run()
    assert not at.exception, at.exception
    assert "Stored the glossary terms.tsv." in flashes(at)
    assert bench.settings.get_setting(SYSTEM_ACTOR, "glossary") == {"filename": "terms.tsv",
                                                           "content": content}
    assert any("terms.tsv (3 lines)" in c.value.replace("\\", "") for c in at.caption)


def test_sso_roles_are_stored(bench: Workbench) -> None:
    at = logged_in("root", "admin.py")
    at.text_area(key="admin_sso_roles").input("a@x.org = lead\n@x.org = reviewer\n")
    at.button(key="FormSubmitter:admin_sso_form-Save sign-on roles").click().run()
    assert "Stored 2 sign-on role(s)." in flashes(at)
    assert bench.settings.get_setting(SYSTEM_ACTOR, "sso") == {
        "roles": {"a@x.org": "lead", "@x.org": "reviewer"}}
    at.text_area(key="admin_sso_roles").input("a@x.org = emperor\n")
    at.button(key="FormSubmitter:admin_sso_form-Save sign-on roles").click().run()
    assert any("must be one of" in m for m in flashes(at))


def test_a_lead_has_no_admin_page(bench: Workbench) -> None:
    at = logged_in("lena", "review.py")
    with pytest.raises(ValueError, match="Could not find"):
        at.switch_page("review/ui/pages/admin.py")


def test_lead_assigns_a_range_and_the_reviewer_sees_it_queued(bench: Workbench) -> None:
    at = logged_in("lena", "library.py")
    assert "Assignments" in [s.value for s in at.subheader]
    at.selectbox(key="team_assign_user").set_value("rita")
    at.number_input(key="team_assign_first").set_value(2)
    at.number_input(key="team_assign_last").set_value(3)
    at.button(key="FormSubmitter:team_assign_form-Assign").click().run()
    assert not at.exception, at.exception
    assert "Assigned segments 2–3 to rita." in flashes(at)
    table = frame_with(at, "Reviewer")
    assert list(zip(table["Reviewer"], table["Range"])) == [("rita", "segments 2–3")]

    reviewer = logged_in("rita", "review.py")
    queue = frame_with(reviewer, "Progress")
    assert list(zip(queue["Article"], queue["Range"], queue["Segments"])) == [
        ("Chess", "segments 2–3", 2)]

    at.button(key="team_unassign").click().run()
    assert "Removed rita · segments 2–3." in flashes(at)
    assert bench.assignments.assignments(SYSTEM_ACTOR) == []


def test_lead_reads_the_audit_trail_in_the_history_tab(bench: Workbench) -> None:
    article_id = bench.reading.summaries(SYSTEM_ACTOR)[0].id
    row = bench.reading.article(SYSTEM_ACTOR, article_id).rows[1]
    bench.editing.save_segment(SYSTEM_ACTOR, row.id, "Playing chess together.", row.version)
    at = logged_in("lena", "review.py")
    send(at, {"type": "details", "segment_id": row.id})
    trail = frame_with(at, "Action")
    assert list(zip(trail["Who"], trail["Action"])) == [("pipeline", "edit")]
    at.radio(key="team_audit_scope").set_value("article").run()
    trail = frame_with(at, "Action")
    assert list(trail["Action"]) == ["edit", "import"]

    bench.assignments.assign(SYSTEM_ACTOR, article_id, "rita")
    reviewer_view = logged_in("rita", "review.py")
    send(reviewer_view, {"type": "details", "segment_id": row.id})
    assert not reviewer_view.exception, reviewer_view.exception
    assert [t.label for t in reviewer_view.tabs] == ["History"]
    assert not [d for d in reviewer_view.dataframe if "Action" in d.value.columns]
