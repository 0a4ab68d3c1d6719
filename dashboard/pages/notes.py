"""The neutral page the quick-hide button switches to: nothing on it hints at the app. "Back" returns to
the app, on the page that was in use when the screen was hidden."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import session

NOTES_ICON = Path(__file__).resolve().parents[1] / "static" / "notes.svg"

if not session.hidden():  # reached while not hidden (say, after "Back"): into the app
    st.switch_page(session.back_page())

st.set_page_config(page_title="Notes", page_icon=NOTES_ICON)
st.title("Notes")
st.text_area(
    "Notes", key="notes:text", height=240, label_visibility="collapsed", placeholder="Write something…"
)
if st.button("Back", key="notes:back", type="tertiary"):
    session.unhide()
    st.rerun()
