"""The dashboard's entry point: page set-up and navigation only (`repairtrack dashboard` runs it).

Pages lay out (each starts with `chrome.show`: the safety note, the quick-hide button, who is here);
every number comes from `projections/`, every write goes through the domain application
(`dashboard/actions.py`). The quick-hide button swaps the whole app for a neutral notes page; its "Back"
returns to the page in use (`chrome.show` remembers it).

The page icons are files of our own (`dashboard/static/`), sent inline: a Material icon as page icon
would make the browser fetch it from a font server on every page, and nothing may leave the machine.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import session

ABOUT = (
    "**repairtrack** helps a couple log repair work and see whether it is working. Everything stays on "
    "this device. It is not a substitute for professional help."
)

STATIC = Path(__file__).resolve().parent / "static"
ICON = STATIC / "icon.svg"
NOTES_ICON = STATIC / "notes.svg"

# The neutral page the quick-hide button switches to; registered (unlisted) in both modes, so switching
# to it never meets a "page not found".
NOTES = st.Page("pages/notes.py", title="Notes", url_path="notes", visibility="hidden")

if session.hidden():
    st.set_page_config(
        page_title="Notes",
        page_icon=NOTES_ICON,
        initial_sidebar_state="collapsed",
        menu_items={"About": "Notes"},
    )
    st.navigation([NOTES], position="hidden").run()
else:
    st.set_page_config(
        page_title="repairtrack",
        page_icon=ICON,
        layout="wide",
        menu_items={"Get help": None, "Report a bug": None, "About": ABOUT},
    )
    pages = {
        "You": [
            st.Page(
                "pages/who.py",
                title="Who is here",
                icon=":material/group:",
                url_path="who",
                default=True,
            ),
            st.Page("pages/waiting.py", title="Waiting on you", icon=":material/inbox:", url_path="waiting"),
            st.Page("pages/log.py", title="Log", icon=":material/edit:", url_path="log"),
        ],
        "Together": [
            st.Page("pages/overview.py", title="Overview", icon=":material/insights:", url_path="overview"),
            st.Page("pages/timeline.py", title="Timeline", icon=":material/history:", url_path="timeline"),
            st.Page("pages/guidance.py", title="Guidance", icon=":material/lightbulb:", url_path="guidance"),
            st.Page("pages/export.py", title="Export", icon=":material/download:", url_path="export"),
            NOTES,
        ],
    }
    st.navigation(pages).run()
