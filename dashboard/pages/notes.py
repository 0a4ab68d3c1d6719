"""The neutral page the quick-hide button switches to: nothing on it hints at the app. "Back" returns to
the app (the page of who is here)."""

from __future__ import annotations

import streamlit as st

from dashboard import session

if not session.hidden():  # reached while not hidden (say, after "Back"): into the app
    st.switch_page("pages/who.py")

st.set_page_config(page_title="Notes", page_icon=":material/note:")
st.title("Notes")
st.text_area(
    "Notes", key="notes:text", height=240, label_visibility="collapsed", placeholder="Write something…"
)
if st.button("Back", key="notes:back", type="tertiary"):
    session.unhide()
    st.rerun()
