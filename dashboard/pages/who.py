"""Who is here: choose or register the couple, and say which partner is using the app now (open mode).
In accounts mode the home of the signed-in partner instead: their own name, and where to go next."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.components import chrome, register_form, this_week, who
from dashboard.store import couples as service
from dashboard.store import reading
from dashboard.words import SHARED_DEVICE_HELP
from projections.presenting import escape_markdown


def _choose(couple: str, widget: str) -> None:
    session.choose(couple, st.session_state.get(widget))


chrome.show(key="chrome")
me = who.signed_in()
if me is not None:
    house, _partner, actor = who.required()
    other = service().other_partner(actor, house.handle)
    st.title(f"Hello, {escape_markdown(me.name or '')}")
    st.markdown(f"You are signed in as **{escape_markdown(me.name or '')}** ({me.account}).")
    with st.container(horizontal=True):
        st.page_link("pages/waiting.py", label="Waiting on you", icon=":material/inbox:")
        st.page_link("pages/log.py", label="Log something", icon=":material/edit:")
        st.page_link("pages/overview.py", label="Overview", icon=":material/insights:")
    this_week.show(actor, key="who:this-week")
    if other["account"] is None:
        st.info(
            f"{escape_markdown(other['name'])} has no account yet. Invite them, so they can log from "
            "their own device.",
            icon=":material/person_add:",
        )
        st.page_link("pages/invite.py", label="Invite your partner", icon=":material/person_add:")
    st.stop()

st.title("Who is here")
st.info(SHARED_DEVICE_HELP, icon=":material/info:")
register_form.confirmation(key="register")

open_screen = session.actor()
with reading() as view:
    listed = service().couples(open_screen, view=view) if open_screen is not None else []
couples = [{"handle": c["couple"], **c} for c in listed]

if couples:
    by_handle = {c["handle"]: c for c in couples}
    picked = "who:pick:couple"
    if st.session_state.get(picked) not in by_handle:
        st.session_state[picked] = session.couple() if session.couple() in by_handle else couples[0]["handle"]
    st.selectbox(
        "Your couple",
        options=list(by_handle),
        format_func=lambda h: f"{' & '.join(p['name'] for p in by_handle[h]['partners'])} ({h})",
        key=picked,
    )
    chosen = by_handle[st.session_state[picked]]
    widget = f"who:pick:partner:{chosen['handle']}"
    current = session.partner() if session.couple() == chosen["handle"] else None
    st.session_state[widget] = current
    st.radio(
        "Who is using the app now?",
        options=[p["handle"] for p in chosen["partners"]],
        format_func={p["handle"]: escape_markdown(p["name"]) for p in chosen["partners"]}.__getitem__,
        key=widget,
        index=None,
        horizontal=True,
        on_change=_choose,
        args=(chosen["handle"], widget),
    )
    if current is not None:
        name = next(p["name"] for p in chosen["partners"] if p["handle"] == current)
        st.success(
            f"Hello, {escape_markdown(name)}. The app will fill in your name and show your own private notes."
        )
        with st.container(horizontal=True):
            st.page_link("pages/waiting.py", label="Waiting on you", icon=":material/inbox:")
            st.page_link("pages/log.py", label="Log something", icon=":material/edit:")
            st.page_link("pages/overview.py", label="Overview", icon=":material/insights:")
        if open_screen is not None:
            this_week.show(open_screen, key="who:this-week")
else:
    st.markdown("No couple is registered in this store yet. Start by registering yours below.")

with st.expander("Register a new couple", expanded=not couples, icon=":material/group_add:"):
    register_form.show(key="register")
