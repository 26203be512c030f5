"""Which pages the current user sees: the navigation follows the role."""

from __future__ import annotations

import streamlit as st

from review.permissions import can
from review.ui.resources import get_workbench
from review.ui.session import LOCAL_ACTOR, current_actor
from review.ui.team_widgets import first_admin_sidebar

PAGES_DIR = "review/ui/pages"


def pages() -> list:
    workbench = get_workbench()
    actor = current_actor(workbench)
    if actor is None:
        return [st.Page(f"{PAGES_DIR}/login.py", title="Log in", icon="🔑", default=True)]
    visible = [st.Page(f"{PAGES_DIR}/review.py", title="Review", icon="✏️", default=True),
               st.Page(f"{PAGES_DIR}/library.py", title="Library", icon="📚")]
    if can(actor, "dashboard.view"):
        visible.append(st.Page(f"{PAGES_DIR}/dashboard.py", title="Dashboard", icon="📊"))
    if can(actor, "article.export"):
        visible.append(st.Page(f"{PAGES_DIR}/export.py", title="Export", icon="📤"))
    visible.append(st.Page(f"{PAGES_DIR}/account.py", title="Account", icon="👤"))
    if can(actor, "users.manage"):
        visible.append(st.Page(f"{PAGES_DIR}/admin.py", title="Admin", icon="⚙️"))
    if actor == LOCAL_ACTOR:
        first_admin_sidebar(workbench)
        visible.append(st.Page(f"{PAGES_DIR}/login.py", title="Set up accounts", icon="🔑"))
    return visible
