"""Rhythm & reminders (SPEC section 11): the couple's weekly check-in (a day and a time in the couple's
zone, chosen or cleared by either partner), the signed-in partner's private calendar feed (turn on,
replace, turn off; "details in my calendar" off by default, with what turning it on means), and a .ics
file of the same events to download once."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import streamlit as st

from dashboard import session
from dashboard.components import chrome, invitation, this_week, who
from dashboard.store import accounts, couples, services
from domain.access import WEEKDAYS
from domain.errors import Refusal
from projections.presenting import escape_markdown
from repairtrack.services.calendar import DETAILS_WARNING, feed_path, ics_download

NEWS = "rhythm:news"  # what the last action did: shown on the next run, then forgotten
FEED = "rhythm:feed"  # a new feed's address: shown on the next run only
DAY, TIME, DETAILS = "rhythm:day", "rhythm:time", "rhythm:details"
SYNCED = "rhythm:synced"  # the saved check-in the form was last filled in with
DEFAULT_DAY, DEFAULT_TIME = 6, time(19, 0)  # Sunday evening


def _couple() -> tuple[str, str] | None:
    """The couple of the rerun's actor, and the account's name ("" in open mode)."""
    actor = session.actor()
    if actor is None or actor.kind not in ("partner", "open") or actor.couple is None:
        return None
    return actor.couple, actor.account or ""


def _save() -> None:
    actor, found = session.actor(), _couple()
    if actor is None or found is None:
        return
    day, chosen = st.session_state.get(DAY), st.session_state.get(TIME)
    if day is None or not isinstance(chosen, time):
        st.session_state[NEWS] = ("refused", "choose a day and a time")
        return
    try:
        row = couples().set_rhythm(actor, found[0], int(day), f"{chosen:%H:%M}")
    except Refusal as refused:
        st.session_state[NEWS] = ("refused", refused.detail)
    else:
        st.session_state[NEWS] = ("saved", f"Your check-in is now every {row['day']} at {row['time']}.")


def _clear() -> None:
    actor, found = session.actor(), _couple()
    if actor is None or found is None:
        return
    try:
        couples().clear_rhythm(actor, found[0])
    except Refusal as refused:
        st.session_state[NEWS] = ("refused", refused.detail)
    else:
        st.session_state[NEWS] = ("saved", "You have no weekly check-in day now.")


def _new_feed(origin: str) -> None:
    """Turn the feed on, or replace it (the old address stops working), with the details switch's choice."""
    found = _couple()
    if found is None or not found[1]:
        return
    try:
        token = accounts().calendar_token(found[1], details=bool(st.session_state.get(DETAILS)))
    except Refusal as refused:
        st.session_state[NEWS] = ("refused", refused.detail)
    else:
        st.session_state[FEED] = origin + feed_path(token)


def _new_feed_button(label: str, origin: str, *, key: str, icon: str, **look: Any) -> None:
    """A button that gives the partner's feed a new address: its first one, or one in place of the old."""
    st.button(label, key=key, icon=icon, on_click=_new_feed, args=(origin,), **look)


def _details_changed(origin: str) -> None:
    """The feed holds its details setting: a change gives it a new address (the old one ends)."""
    found = _couple()
    if found is not None and found[1] and accounts().calendar_details(found[1]) is not None:
        _new_feed(origin)


def _end_feed() -> None:
    found = _couple()
    if found is None or not found[1]:
        return
    try:
        accounts().end_calendar(found[1])
    except Refusal as refused:
        st.session_state[NEWS] = ("refused", refused.detail)
    else:
        st.session_state[NEWS] = ("saved", "Your calendar feed is off: its address no longer works.")


def _news() -> None:
    news = st.session_state.pop(NEWS, None)
    if news is not None and news[0] == "refused":
        st.error(f"That did not work: {escape_markdown(news[1])}.", icon=":material/error:")
    elif news is not None:
        st.success(news[1], icon=":material/check_circle:")


chrome.show(key="chrome")
house, _partner, actor = who.required()
now = datetime.now(UTC)
chosen = couples().rhythm(actor, house.handle, now)
zone, names = house.timezone, house.names
name = actor.account if actor.kind == "partner" else None
details = accounts().calendar_details(name) if name else None  # None: no feed
origin = invitation.origin()

st.title("Rhythm & reminders")
_news()

st.header("Your weekly check-in")
st.markdown(
    "A check-in at the same time each week keeps the habit going. Choose a day and a time that suit you "
    "both; either of you can change it."
)
if chosen is None:
    st.markdown("You have not chosen a check-in day yet.")
else:
    by = escape_markdown(names.get(chosen["by"], chosen["by"]))
    st.markdown(
        f"Every **{chosen['day']}** at **{chosen['time']}** ({zone}). The next one: "
        f"**{this_week.day_and_time(chosen['next_at'], zone)}**."
    )
    st.caption(f"Chosen by {by} on {this_week.day_and_time(chosen['at'], zone)}.")
saved = (chosen["weekday"], chosen["time"]) if chosen else None
if st.session_state.get(SYNCED, ()) != saved or DAY not in st.session_state:  # chosen here or elsewhere
    st.session_state[SYNCED] = saved
    st.session_state[DAY] = chosen["weekday"] if chosen else DEFAULT_DAY
    st.session_state[TIME] = time.fromisoformat(chosen["time"]) if chosen else DEFAULT_TIME
with st.form("rhythm:form", border=True, clear_on_submit=False):
    left, right = st.columns(2)
    with left:
        st.selectbox("Day", options=range(7), format_func=WEEKDAYS.__getitem__, key=DAY)
    with right:
        st.time_input(f"Time ({zone})", key=TIME, step=300)
    st.form_submit_button(
        "Change the check-in" if chosen else "Choose this check-in",
        type="primary",
        icon=":material/event_repeat:",
        on_click=_save,
    )
if chosen is not None:
    st.button("Clear the check-in day", key="rhythm:clear", icon=":material/event_busy:", on_click=_clear)

st.header("Your calendar")
if DETAILS not in st.session_state or details is not None:
    st.session_state[DETAILS] = bool(details)
st.toggle(
    "Details in my calendar",
    key=DETAILS,
    on_change=_details_changed,
    args=(origin,),
    help="Names and the words of each promise, instead of only “a promise is due”.",
)
st.caption(DETAILS_WARNING)
if name:
    st.markdown(
        "Your own calendar feed puts your open promises (those you made and those made to you) and the "
        "weekly check-in into the calendar app you use, and keeps them up to date. Only you get it: "
        "subscribe to its address in your calendar app, and keep the address to yourself."
    )
    made = st.session_state.pop(FEED, None)
    if made is not None:
        st.success(
            "Your calendar feed's address. Copy it into your calendar app now: it is shown only this once.",
            icon=":material/calendar_month:",
        )
        st.code(made, language=None, wrap_lines=True)
    if details is None:
        st.markdown("Your calendar feed is off.")
        _new_feed_button(
            "Turn on my calendar feed",
            origin,
            key="rhythm:feed:on",
            icon=":material/calendar_add_on:",
            type="primary",
        )
    else:
        holds = "with details" if details else "without names or descriptions"
        st.markdown(f"Your calendar feed is on, {holds}.")
        with st.container(horizontal=True):
            _new_feed_button(
                "Replace its address",
                origin,
                key="rhythm:feed:replace",
                icon=":material/autorenew:",
                help="A new address; the old one stops working at once.",
            )
            st.button("Turn it off", key="rhythm:feed:off", icon=":material/block:", on_click=_end_feed)
        st.caption("Changing the details switch gives the feed a new address, and the old one stops working.")

st.markdown("Or download the same events once, as a file to open in your calendar app (it does not update):")
st.download_button(
    "Download .ics",
    data=ics_download(
        services(), actor, now, details=bool(st.session_state.get(DETAILS)), link=origin or None
    ),
    file_name="repairtrack.ics",
    mime="text/calendar",
    key="rhythm:download",
    icon=":material/download:",
    on_click="ignore",
)
