"""Join page: opens invitation and password-reset links, logged in or not.

Links point here (``/join?invite=…``, ``/join?reset=…``) so that a person without an account
gets the page at once. The link is checked on opening: a used, revoked or expired one says
so before any form.
"""

from __future__ import annotations

import streamlit as st

from review.ui import state
from review.ui.link_widgets import link_in_address, one_time_link_form
from review.ui.resources import get_workbench

workbench = get_workbench()
current = state.actor()
if current is not None and link_in_address() is None:
    st.switch_page("review/ui/pages/review.py")  # a link was just used: on to work

st.title("Join the workbench")
state.show_flash()
if not one_time_link_form(workbench, current):
    st.info("This page opens invitation and password-reset links. Ask your lead for one, "
            "or log in.")
    st.page_link("review/ui/pages/login.py", label="Log in", icon=":material/login:")
