"""Who can see our data (accounts mode, SPEC section 8): the counselors the couple gave access to, a form
to give a counselor access by the sharing code they show or their account name (with or without the
notes the couple shares; private notes never), a button to end each access (either partner may), and the
access log: when which counselor opened what, newest first, in the couple's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard import session
from dashboard.components import chrome, notice, who
from dashboard.store import couples
from domain.errors import Refusal
from projections.presenting import escape_markdown

NEWS = "sharing:news"  # what the last action did: shown on the next run, then forgotten
COUNSELOR = "sharing:counselor"
NOTES = "sharing:notes"
LOG_SHOWN = 50  # access-log lines shown at first
OPENED = {
    "overview": "opened your overview",
    "entries": "read your entries",
    "report": "opened your report",
    "bundle": "downloaded your counselor bundle",
}


def when(moment: str, zone: str) -> str:
    """ "3 Dec at 10:02" in the couple's time zone (with the year when it is not this year's)."""
    local = datetime.fromisoformat(moment).astimezone(ZoneInfo(zone))
    day = local.strftime("%d %b").lstrip("0")
    if local.year != datetime.now(ZoneInfo(zone)).year:
        day += f" {local.year}"
    return f"{day} at {local:%H:%M}"


def _couple() -> str | None:
    actor = session.actor()
    return actor.couple if actor is not None and actor.kind == "partner" else None


def _grant() -> None:
    actor, couple = session.actor(), _couple()
    if actor is None or couple is None:
        return
    name = str(st.session_state.get(COUNSELOR) or "").strip()
    if not name:
        st.session_state[NEWS] = (
            "refused",
            "write the sharing code or the account name your counselor gave you",
        )
        return
    try:
        row = couples().grant(actor, couple, name, bool(st.session_state.get(NOTES)))
    except Refusal as refused:
        st.session_state[NEWS] = ("refused", refused.detail)
    else:
        st.session_state[NEWS] = ("granted", row["name"], row["notes"])
        st.session_state[COUNSELOR] = ""


def _change_notes(counselor: str, notes: bool) -> None:
    actor, couple = session.actor(), _couple()
    if actor is None or couple is None:
        return
    try:
        row = couples().grant(actor, couple, counselor, notes)
    except Refusal as refused:
        st.session_state[NEWS] = ("refused", refused.detail)
    else:
        st.session_state[NEWS] = ("changed", row["name"], row["notes"])


def _revoke(counselor: str, name: str) -> None:
    actor, couple = session.actor(), _couple()
    if actor is None or couple is None:
        return
    try:
        couples().revoke(actor, couple, counselor)
    except Refusal as refused:
        st.session_state[NEWS] = ("refused", refused.detail)
    else:
        st.session_state[NEWS] = ("revoked", name)


def _news() -> None:
    news = st.session_state.pop(NEWS, None)
    if news is None:
        return
    if news[0] == "refused":
        st.error(
            f"That did not work: {escape_markdown(news[1])}. Check the account name with your counselor, "
            "or the sharing code their caseload page shows.",
            icon=":material/error:",
        )
    elif news[0] == "revoked":
        st.success(
            f"{escape_markdown(news[1])} can no longer see your data, from their next click on.",
            icon=":material/block:",
        )
    else:
        with_notes = "with the notes you share" if news[2] else "without your notes"
        verb = "can now see" if news[0] == "granted" else "now sees"
        st.success(
            f"{escape_markdown(news[1])} {verb} your entries and figures, {with_notes}.",
            icon=":material/check_circle:",
        )


chrome.show(key="chrome")
house, _partner, actor = who.required()
if not actor.bound:
    st.title("Who can see our data")
    notice.stop(
        "Nobody but the two of you: this store has no accounts, so no counselor can sign in. To share "
        "with a counselor, protect the store with accounts first.",
        icon=":material/lock:",
        page="pages/protect.py",
        label="Protect with accounts",
        link_icon=":material/lock:",
    )

service = couples()
grants = service.grants(actor, house.handle)
log = service.access_log(actor, house.handle)
zone, names = house.timezone, house.names

st.title("Who can see our data")
st.markdown(
    "You two always see your own couple. A counselor sees it only while one of you gives them access, and "
    "then only reads: your figures and your entries, with the notes you share if you choose so. Private "
    "notes reach nobody but their author. Either of you can end an access at any time."
)
_news()

st.header("Counselors with access")
if not grants:
    st.markdown("No counselor can see your data.")
for grant in grants:
    counselor = grant["counselor"]
    with st.container(border=True, key=f"sharing:grant:{counselor}"):
        first, second = st.columns([3, 2], vertical_alignment="center")
        with first:
            st.markdown(f"**{escape_markdown(grant['name'])}** ({escape_markdown(counselor)})")
            sees = "with the notes you share" if grant["notes"] else "without notes"
            by = escape_markdown(names.get(grant["granted_by"], grant["granted_by"]))
            st.caption(
                f"Sees your entries and figures {sees} · given by {by} on {when(grant['granted_at'], zone)}"
            )
        with second, st.container(horizontal=True):
            st.button(
                "Stop sharing notes" if grant["notes"] else "Share notes too",
                key=f"sharing:notes:{counselor}",
                icon=":material/sticky_note_2:",
                on_click=_change_notes,
                args=(counselor, not grant["notes"]),
            )
            st.button(
                "End access",
                key=f"sharing:revoke:{counselor}",
                icon=":material/block:",
                on_click=_revoke,
                args=(counselor, grant["name"]),
            )

st.header("Give a counselor access")
with st.form("sharing:form", border=True, clear_on_submit=False):
    st.text_input(
        "Your counselor's sharing code or account name",
        key=COUNSELOR,
        max_chars=40,
        placeholder="K7QM-3XPA",
        help="Your counselor shows you a sharing code of two groups of four letters and digits; the name "
        "they sign in with works too.",
    )
    st.checkbox(
        "Include the notes we share",
        key=NOTES,
        help="Private notes are never shown to a counselor.",
    )
    st.form_submit_button("Give access", type="primary", icon=":material/person_add:", on_click=_grant)

st.header("Access log")
st.caption(f"Every time a counselor opened your couple, newest first. Times in {zone}.")
if not log:
    st.markdown("No counselor has opened your data.")
shown = log if st.session_state.get("sharing:log:all") else log[:LOG_SHOWN]
for line in shown:
    what = OPENED.get(line["kind"], "opened your data")
    st.markdown(f"{escape_markdown(line['name'])} {what} on {when(line['at'], zone)}")
if len(log) > LOG_SHOWN:
    st.toggle(f"Show all {len(log)} lines", key="sharing:log:all")
