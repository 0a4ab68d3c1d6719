"""Log: one form per entry type, with sensible defaults (now, the partner using the app)."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.components import chrome, entry_form, who
from dashboard.compose import FORM_TYPES
from dashboard.store import couples, reading
from projections.presenting import TYPE_LABELS, choice_label

CHOSEN = session.LOG_KIND  # remembered across pages (a widget's own state is not)
PICKER = "log:kind:picker"


def _pick() -> None:
    if st.session_state.get(PICKER):
        st.session_state[CHOSEN] = st.session_state[PICKER]


chrome.show(key="chrome")
house, partner, actor = who.required()
other = next(h for h in house.names if h != partner)
with reading() as view:
    service = couples()
    mine = service.waiting(actor, house.handle, view=view)
    theirs = service.waiting(actor, house.handle, other, view=view)

st.title("Log")
st.session_state.setdefault(CHOSEN, "check_in")
st.session_state[PICKER] = st.session_state[CHOSEN]
st.pills(
    "What happened?",
    options=list(FORM_TYPES),
    format_func=TYPE_LABELS.__getitem__,
    key=PICKER,
    on_change=_pick,
    required=True,
)
zone = house.timezone
context = entry_form.Context(
    couple=house.handle,
    partner=partner,
    names=house.names,
    timezone=zone,
    conflicts=[(row["entry_id"], choice_label(row, house.names, zone)) for row in mine["conflicts"]],
    attempts=[(row["entry_id"], choice_label(row, house.names, zone)) for row in mine["attempts"]],
    promises=[
        (row["entry_id"], choice_label(row, house.names, zone))
        for row in mine["promises"] + theirs["promises"]
    ],
)
entry_form.show(st.session_state[CHOSEN], context, key="log")
