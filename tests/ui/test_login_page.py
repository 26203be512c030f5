"""AppTest flows of logging in and out, the first admin, and what a reviewer may see."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from review.accounts import auth
from review.accounts.permissions import SYSTEM_ACTOR
from review.core.errors import PermissionDenied
from review.db.store import open_store
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench

REPO = Path(__file__).resolve().parents[2]
LOGIN = "FormSubmitter:login_form-Log in"


@pytest.fixture
def app_url(empty_app_db: str) -> str:
    return empty_app_db


def new_app() -> AppTest:
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=30)


@pytest.fixture
def team(app_url: str) -> Workbench:
    bench = Workbench(open_store(app_url))
    bench.accounts.add_user(SYSTEM_ACTOR, "root", "admin", "root-password")
    bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", "rita-password")
    docs = [DocArticle(title=title, source_lang="zh", target_lang="en", segments=[
        DocSegment(mt=f"{title} headline", kind="title"),
        DocSegment(mt=f"The first sentence of {title}."),
        DocSegment(mt=f"The second sentence of {title}.")]) for title in ("Assigned", "Hidden")]
    ids = [a.id for a in bench.imports.import_articles(SYSTEM_ACTOR, docs).articles]
    bench.assignments.assign(SYSTEM_ACTOR, ids[0], "rita")
    return bench


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    return at.button(key=LOGIN).click().run()


def page_text(at: AppTest) -> str:
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "code",
                 "info", "warning", "error", "success", "exception"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [e.value.to_csv() for e in at.dataframe]
    parts += [str(o) for s in at.selectbox for o in s.options]
    return "\n".join(parts)


def test_first_start_works_as_local_admin_and_offers_the_first_admin(app_url: str) -> None:
    at = new_app().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Review"  # usable at once, as the local admin
    assert any("No accounts yet" in w.value for w in at.sidebar.warning)
    at.switch_page("review/ui/pages/login.py").run()
    assert any("no accounts yet" in i.value for i in at.info)
    at.text_input(key="login_first_admin_name").input("root")
    at.text_input(key="login_first_admin_password").input("root-password")
    at.text_input(key="login_first_admin_again").input("root-password")
    at.button(key="FormSubmitter:login_first_admin_form-Create admin account").click().run()
    assert not at.exception, at.exception
    assert at.session_state["actor"].name == "root"
    assert not at.sidebar.warning
    users = Workbench(open_store(app_url)).accounts.list_users(SYSTEM_ACTOR)
    assert [u.role for u in users] == ["admin"]
    # a second browser session must now log in
    other = new_app().run()
    assert other.title[0].value == "Log in"
    assert not other.sidebar.warning


def test_sidebar_form_creates_the_first_admin(app_url: str) -> None:
    at = new_app().run()
    at.text_input(key="team_sidebar_admin_name").input("boss")
    at.text_input(key="team_sidebar_admin_password").input("boss-password")
    at.text_input(key="team_sidebar_admin_again").input("not-the-same")
    at.button(key="FormSubmitter:team_sidebar_admin_form-Create admin account").click().run()
    assert any("differ" in e.value for e in at.error)
    assert not Workbench(open_store(app_url)).library.has_users()
    at.text_input(key="team_sidebar_admin_again").input("boss-password")
    at.button(key="FormSubmitter:team_sidebar_admin_form-Create admin account").click().run()
    assert not at.exception, at.exception
    assert at.session_state["actor"].name == "boss"


def test_wrong_password_and_unknown_user_look_the_same(team: Workbench) -> None:
    at = new_app().run()
    assert at.title[0].value == "Log in"
    log_in(at, "rita", "wrong-password")
    first = [e.value for e in at.error]
    log_in(at, "nobody", "rita-password")
    second = [e.value for e in at.error]
    assert first == second == [auth.LOGIN_FAILED]
    assert "actor" not in at.session_state


def test_failed_logins_are_throttled(team: Workbench) -> None:
    at = new_app().run()
    for _ in range(5):
        log_in(at, "rita", "wrong-password")
    log_in(at, "rita", "rita-password")
    assert at.error[0].value.startswith("too many failed attempts for rita; try again in ")
    assert "actor" not in at.session_state


def test_logout_ends_the_session(team: Workbench) -> None:
    at = log_in(new_app().run(), "rita", "rita-password")
    assert not at.exception, at.exception
    assert at.session_state["actor"].name == "rita"
    at.switch_page("review/ui/pages/account.py").run()
    assert any("rita" in m.value and "reviewer" in m.value for m in at.markdown)
    at.button(key="account_logout").click().run()
    assert not at.exception, at.exception
    assert "actor" not in at.session_state
    assert at.title[0].value == "Log in"
    assert "logout" in [e.action for e in team.library.audit_trail(SYSTEM_ACTOR)]


def test_deactivation_ends_a_running_session(team: Workbench) -> None:
    at = log_in(new_app().run(), "rita", "rita-password")
    assert at.title[0].value == "Review"
    team.accounts.set_active(SYSTEM_ACTOR, "rita", False)
    at.run()
    assert at.title[0].value == "Log in"


def test_reviewer_sees_only_assigned_articles_and_no_lead_pages(team: Workbench) -> None:
    at = log_in(new_app().run(), "rita", "rita-password")
    assert not at.exception, at.exception
    options = at.selectbox(key="review_article").options
    assert len(options) == 1 and "Assigned" in options[0]
    text = page_text(at)
    assert "My queue" in text and "Hidden" not in text
    for page in ("admin.py", "dashboard.py", "export.py"):
        with pytest.raises(ValueError, match="Could not find"):
            at.switch_page(f"review/ui/pages/{page}")
    at.switch_page("review/ui/pages/library.py").run()
    assert not at.exception, at.exception
    assert "Hidden" not in page_text(at)
    assert "Assignments" not in [s.value for s in at.subheader]
    # and the services refuse what the pages do not offer
    actor = at.session_state["actor"]
    hidden = next(a.id for a in team.reading.summaries(SYSTEM_ACTOR) if a.title == "Hidden")
    with pytest.raises(PermissionDenied):
        team.reading.article(actor, hidden)
    with pytest.raises(PermissionDenied):
        team.library.delete_article(actor, hidden)
    with pytest.raises(PermissionDenied):
        team.accounts.list_users(actor)


def test_password_hashes_never_reach_the_page(team: Workbench) -> None:
    at = log_in(new_app().run(), "root", "root-password")
    assert not at.exception, at.exception
    for page in ("admin.py", "account.py", "review.py", "library.py"):
        at.switch_page(f"review/ui/pages/{page}").run()
        assert not at.exception, (page, at.exception)
        text = page_text(at)
        assert "$argon2" not in text
        assert "root-password" not in text and "rita-password" not in text


SSO_SECRETS = {"redirect_uri": "http://localhost:8501/oauth2callback",
               "cookie_secret": "test-cookie-secret", "client_id": "review",
               "client_secret": "test-client-secret",
               "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}


def test_single_sign_on_maps_the_email_to_a_role(team: Workbench) -> None:
    team.settings.set_setting(SYSTEM_ACTOR, "sso", {"roles": {"lena@example.org": "lead"}})
    at = new_app()
    at.secrets["auth"] = SSO_SECRETS
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception, at.exception
    assert at.button(key="login_sso").label == "Log in with single sign-on"

    at.user = {"is_logged_in": True, "email": "lena@example.org", "name": "Lena"}
    at.run()
    assert not at.exception, at.exception
    actor = at.session_state["actor"]
    assert (actor.name, actor.role) == ("lena@example.org", "lead")
    assert at.title[0].value == "Review"
    at.switch_page("review/ui/pages/account.py").run()
    assert any("single sign-on" in c.value for c in at.caption)
    at.button(key="account_logout").click().run()
    assert not at.exception, at.exception
    assert "actor" not in at.session_state
    assert at.title[0].value == "Log in"


def test_single_sign_on_refuses_an_unmapped_email(team: Workbench) -> None:
    at = new_app()
    at.secrets["auth"] = SSO_SECRETS
    at.user = {"is_logged_in": True, "email": "stranger@elsewhere.org"}
    at.run()
    assert not at.exception, at.exception
    assert "actor" not in at.session_state
    assert any("has no role here yet" in e.value for e in at.error)
