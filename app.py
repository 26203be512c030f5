from pathlib import Path

import streamlit as st

from review.ui.navigation import pages

# A local file: a Material icon as the page icon would be fetched from the internet.
ICON = Path(__file__).parent / "review" / "ui" / "favicon.png"

st.set_page_config(page_title="MT Review Workbench", page_icon=str(ICON), layout="wide")
st.navigation(pages(), expanded=True).run()  # every page listed, none folded away
