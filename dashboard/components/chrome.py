"""What every page has: the safety note and the quick-hide button at the top, and in the sidebar who is
here (with a one-click switch to the other partner)."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.components import safety
from dashboard.store import household


def show(*, key: str) -> None:
    """At the top of every page (but the neutral one)."""
    session.follow()
    top_bar(key=f"{key}:top")
    sidebar(key=f"{key}:side")


def top_bar(*, key: str) -> None:
    with st.container(horizontal=True, horizontal_alignment="right", key=f"{key}:bar"):
        safety.show(key=key)
        if st.button(
            "Hide",
            key=f"{key}:hide",
            icon=":material/visibility_off:",
            help="Switch at once to a plain notes page (shortcut Alt+H). Nothing is lost.",
            shortcut="Alt+H",
        ):
            session.hide()
            st.switch_page("pages/notes.py")


def _switch(key: str) -> None:
    session.choose(session.couple(), st.session_state.get(key))


def sidebar(*, key: str) -> None:
    handle = session.couple()
    with st.sidebar:
        if handle is None:
            st.caption("Nobody chosen yet.")
            st.page_link("pages/who.py", label="Choose who is here", icon=":material/group:")
            return
        found = household(handle)
        if found is None:
            st.caption(f"No couple {handle!r} in this store.")
            return
        st.markdown(f"**{' & '.join(found.names.values())}**")
        widget = f"{key}:partner"
        st.session_state[widget] = session.partner()
        st.segmented_control(
            "Using it now",
            options=list(found.names),
            format_func=found.names.__getitem__,
            key=widget,
            on_change=_switch,
            args=(widget,),
            help="Who is logging on this device right now. A convenience, not a lock.",
        )
        st.caption(f"Times in {found.timezone}.")
