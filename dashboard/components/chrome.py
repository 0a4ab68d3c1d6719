"""What every page has: the safety note and the quick-hide button at the top, and in the sidebar who is
here (with a one-click switch to the other partner). On narrow screens (phones) a bar at the bottom holds
the three most used pages within thumb reach, and the sidebar closes once a page was chosen in it; the
hide button's keyboard hint shows only where there is a keyboard. The styles and the small script are
files of our own in `dashboard/static/`."""

from __future__ import annotations

import inspect
from functools import cache
from pathlib import Path

import streamlit as st

from dashboard import session
from dashboard.components import safety
from dashboard.store import household
from projections.presenting import escape_markdown
from repairtrack.services.actors import Actor

STATIC = Path(__file__).resolve().parents[1] / "static"
# The couple's most used pages, in the bottom bar of narrow screens: (page, label, icon).
THUMBS = (
    ("pages/log.py", "Log", ":material/edit:"),
    ("pages/waiting.py", "Waiting", ":material/inbox:"),
    ("pages/overview.py", "Overview", ":material/insights:"),
)

SIGNIN_FORM = (
    "<form method='post' action='/auth/signin' class='rt-signin'>"
    "<label for='rt-account'>Account name</label>"
    "<input type='text' id='rt-account' name='account' required autocomplete='username' "
    "autocapitalize='none' spellcheck='false' maxlength='40'>"
    "<label for='rt-passphrase'>Passphrase</label>"
    "<input type='password' id='rt-passphrase' name='passphrase' required autocomplete='current-password'>"
    "<label class='rt-check'><input type='checkbox' name='remember' value='1'> "
    "Keep me signed in on this device (30 days)</label>"
    "<p><button type='submit'>Sign in</button></p>"
    "</form>"
)
SIGNOUT = (
    "<form method='post' action='/auth/signout' class='rt-signout'>"
    "<button type='submit' class='rt-signout-button'>Sign out</button></form>"
)


@cache
def _assets() -> str:
    css = (STATIC / "chrome.css").read_text(encoding="utf-8")
    script = (STATIC / "close_sidebar.js").read_text(encoding="utf-8")
    return f"<style>{css}</style><script>{script}</script>"


def show(*, key: str) -> None:
    """At the top of every page (but the neutral one)."""
    session.follow()
    session.visit(_calling_page())
    top_bar(key=f"{key}:top")
    actor = session.actor()
    if actor is not None and actor.kind != "counselor":  # the pages app.py lists for them
        thumb_bar(key=f"{key}-thumbs")
    sidebar(actor, key=f"{key}:side")


def _calling_page() -> str:
    """The page script that called `show` ("pages/log.py"), for the notes page's "Back"."""
    frame = inspect.currentframe()
    caller = frame.f_back.f_back if frame and frame.f_back else None
    script = Path(str(caller.f_globals.get("__file__", ""))) if caller else Path()
    return f"pages/{script.name}" if script.parent.name == "pages" else session.HOME


def thumb_bar(*, key: str) -> None:
    """The most used pages as links; chrome.css shows them as a bottom bar on narrow screens only."""
    with st.container(horizontal=True, key=key):
        for page, label, icon in THUMBS:
            st.page_link(page, label=label, icon=icon)


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


def sidebar(actor: Actor | None, *, key: str) -> None:
    with st.sidebar:
        st.html(_assets(), unsafe_allow_javascript=True)
        if actor is not None and actor.bound:
            signed_in(actor, key=key)
            return
        handle = session.couple()
        if handle is None:
            st.caption("Nobody chosen yet.")
            st.page_link("pages/who.py", label="Choose who is here", icon=":material/group:")
            return
        found = household(handle, actor or Actor("open", couple=handle))
        if found is None:
            st.caption(f"No couple {handle!r} in this store.")
            return
        st.markdown(f"**{escape_markdown(' & '.join(found.names.values()))}**")
        widget = f"{key}:partner"
        st.session_state[widget] = session.partner()
        st.segmented_control(
            "Using it now",
            options=list(found.names),
            format_func=lambda handle: escape_markdown(found.names[handle]),  # options are Markdown
            key=widget,
            on_change=_switch,
            args=(widget,),
            help="Who is logging on this device right now. A convenience, not a lock.",
        )
        st.caption(f"Times in {found.timezone}.")


def signed_in(actor: Actor, *, key: str) -> None:
    """Accounts mode: the person signed in, by their own name, and signing out."""
    st.markdown(f"Signed in as **{escape_markdown(actor.name or actor.account or '')}**")
    found = household(actor.couple, actor) if actor.couple else None
    if found is not None:
        st.caption(f"{' & '.join(found.names.values())} · times in {found.timezone}.")
    elif actor.kind == "counselor":
        st.caption("Counselor")
    signout_button(key=key)


def signin_form() -> None:
    """The sign-in form, posting to the server's `/auth/signin` (which sets the session cookie and sends
    the browser back here), with the app's styles."""
    css = (STATIC / "chrome.css").read_text(encoding="utf-8")
    st.html(f"<style>{css}</style>{SIGNIN_FORM}")


def signout_button(*, key: str) -> None:
    """A plain form that posts to the server's `/auth/signout` (it ends the session there and clears the
    cookie), so signing out works the same with or without this page's script."""
    with st.container(key=f"{key}-signout"):
        st.html(SIGNOUT)
