"""Who is here: the couple and the partner using the app now (for the session)."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.store import Household, household


def required() -> tuple[Household, str]:
    """The chosen couple and partner; without them an empty state that says what to do first."""
    handle, partner = session.couple(), session.partner()
    found = household(handle) if handle else None
    if found is None or partner not in found.names:
        st.info(
            "First choose your couple and say who is using the app now (or register as a new couple).",
            icon=":material/group:",
        )
        st.page_link("pages/who.py", label="Go to Who is here", icon=":material/arrow_forward:")
        st.stop()
    return found, str(partner)
