"""What the dashboard remembers for one browser session: the couple, the partner using it now, whether
the screen is hidden. It is a convenience on a shared device, not a security boundary."""

from __future__ import annotations

import streamlit as st

COUPLE = "who:couple"
PARTNER = "who:partner"
HIDDEN = "screen:hidden"
HERE = "screen:here"  # the app's page in use, where "Back" from the notes page returns
HOME = "pages/who.py"
GOTO = "goto:page"
LOG_KIND = "log:kind"  # the form the Log page shows
FORM_PREFIXES = ("form:", "problems:", "saved:", "waiting:", "timeline:")


def couple() -> str | None:
    value = st.session_state.get(COUPLE)
    return str(value) if value else None


def partner() -> str | None:
    value = st.session_state.get(PARTNER)
    return str(value) if value else None


def choose(couple_handle: str | None, partner_handle: str | None) -> None:
    """Remember who is here. Half-filled forms of the previous person are cleared, so nobody sees the
    other's unsent note."""
    if (couple_handle, partner_handle) != (couple(), partner()):
        forget_forms()
    st.session_state[COUPLE] = couple_handle
    st.session_state[PARTNER] = partner_handle


def forget_forms() -> None:
    for key in list(st.session_state):
        if isinstance(key, str) and key.startswith(FORM_PREFIXES):
            del st.session_state[key]


def hidden() -> bool:
    return bool(st.session_state.get(HIDDEN))


def hide() -> None:
    st.session_state[HIDDEN] = True


def unhide() -> None:
    st.session_state[HIDDEN] = False


def visit(page: str) -> None:
    """Remember the app's page now in use ("pages/log.py"; the notes page is never one)."""
    st.session_state[HERE] = page


def back_page() -> str:
    """The page to return to from the notes page: the one in use when the screen was hidden."""
    page = st.session_state.get(HERE)
    return page if isinstance(page, str) and page else HOME


def go(page: str) -> None:
    """Ask for another page; followed at the top of the next run (callbacks cannot switch pages)."""
    st.session_state[GOTO] = page


def follow() -> None:
    page = st.session_state.pop(GOTO, None)
    if page:
        st.switch_page(page)


def open_form(kind: str) -> None:
    """Show this entry type's form on the Log page, and go there."""
    st.session_state[LOG_KIND] = kind
    go("pages/log.py")
