import streamlit as st

from review.ui.navigation import pages

st.set_page_config(page_title="MT Review Workbench", page_icon=":material/translate:",
                   layout="wide")
st.navigation(pages()).run()
