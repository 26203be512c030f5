"""Which pages the current user sees: the navigation follows the role."""

from __future__ import annotations

from typing import Literal

import streamlit as st

from review.accounts.permissions import can
from review.ui.resources import get_workbench
from review.ui.session import LOCAL_ACTOR, current_actor
from review.ui.team_widgets import first_admin_sidebar

PAGES_DIR = "review/ui/pages"


def _page(name: str, title: str, icon: str, default: bool = False,
          visibility: Literal["visible", "hidden"] = "visible"):  # noqa: ANN202
    return st.Page(f"{PAGES_DIR}/{name}.py", title=title, icon=f":material/{icon}:",
                   default=default, visibility=visibility)


def _join() -> object:
    """Where invitation and reset links lead: reachable logged out, never in the menu."""
    return _page("join", "Join", "person_add", visibility="hidden")


def pages() -> list:
    workbench = get_workbench()
    actor = current_actor(workbench)
    if actor is None:
        return [_page("login", "Log in", "login", default=True), _join()]
    visible = [_page("review", "Review", "rate_review", default=True),
               _page("rate", "My queue", "checklist"),
               _page("library", "Library", "library_books")]
    if can(actor, "article.read_all") or any(a.review_pass == 2
                                             for a in workbench.assignments.my_queue(actor)):
        visible.append(_page("second_pass", "Second pass", "fact_check"))
    if can(actor, "dashboard.view"):
        visible.append(_page("dashboard", "Dashboard", "monitoring"))
    if can(actor, "dashboard.view"):
        visible.append(_page("quality", "Quality", "verified"))
    if can(actor, "jobs.manage"):
        visible.append(_page("jobs", "Jobs", "pending_actions"))
    if can(actor, "article.export"):
        visible.append(_page("export", "Export", "download"))
    if can(actor, "users.invite"):
        visible.append(_page("team", "Team", "group"))
    if can(actor, "audit.view"):
        visible.append(_page("audit", "Audit", "history"))
    visible.append(_page("account", "Account", "person"))
    if can(actor, "users.manage"):
        visible.append(_page("admin", "Admin", "settings"))
    if actor == LOCAL_ACTOR:
        first_admin_sidebar(workbench)
        visible.append(_page("login", "Set up accounts", "login"))
    visible.append(_join())
    return visible
