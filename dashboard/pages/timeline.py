"""Timeline: every entry, newest first, filtered by type, partner and period; retract or correct (the
form filled in again; saving it retracts the old entry and stores the new one together). Between the
entries, marked as what they are: grants and revocations of a counselor's access, session days and
changes of the weekly check-in (not entries: nothing to retract)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import streamlit as st

from dashboard.components import chrome, entry_row, quick_actions, who
from dashboard.store import couples, reading
from projections.filters import TimelineFilter
from projections.happenings import Happening, happenings, shown_between
from projections.presenting import PERIODS, TYPE_LABELS, choice_label, entry_line, period_bounds
from repairtrack.services.permissions import NotAllowed

PAGE = 50
LIMIT = "timeline:limit"


def _happened(service: Any, actor: Any, couple: str) -> list[Happening]:
    """Grants and revocations, session days and check-in rhythm changes: what the actor may read."""
    read: dict[str, list[dict[str, Any]]] = {}
    for name in ("grant_history", "sessions", "rhythm_history"):
        try:
            read[name] = getattr(service, name)(actor, couple)
        except NotAllowed:
            read[name] = []
    return happenings(read["grant_history"], read["sessions"], read["rhythm_history"], names, zone)


def _show_happening(happening: Happening) -> None:
    st.markdown(f":gray-badge[{happening.kind}] {happening.text} · {happening.when}")


chrome.show(key="chrome")
house, partner, actor = who.required()
names, zone = house.names, house.timezone

st.title("Timeline")

with st.container(horizontal=True):
    types = st.multiselect(
        "Types",
        options=list(TYPE_LABELS),
        format_func=TYPE_LABELS.__getitem__,
        key="timeline:types",
        placeholder="All types",
    )
    who_filter = st.selectbox(
        "Partner",
        options=[None, *names],
        format_func=lambda h: "Both" if h is None else names[h],
        key="timeline:partner",
    )
    period = st.selectbox(
        "Period", options=list(PERIODS), format_func=PERIODS.__getitem__, key="timeline:period"
    )
dates = st.date_input("From – to", value=[], key="timeline:dates") if period == "dates" else ()
since, until = period_bounds(period, list(dates or ()), zone, datetime.now(UTC))
limit = st.session_state.setdefault(LIMIT, PAGE)

with reading() as view:
    service = couples()
    shown = TimelineFilter(
        limit=limit + 1, types=tuple(types) or None, partner=who_filter, since=since, until=until
    )
    rows = service.timeline(actor, house.handle, shown, view=view)
    parents = service.timeline(
        actor,
        house.handle,
        TimelineFilter(types=("conflict_started", "promise_made", "repair_offered")),
        view=view,
    )
# Not entries: shown between them by time, only when no entry type is chosen.
others = [] if types else _happened(service, actor, house.handle)
others = shown_between(
    others,
    partner=who_filter,
    since=since,
    until=until,
    oldest=rows[limit - 1]["occurred_at"] if len(rows) > limit else None,
)
index = {row["entry_id"]: row for row in [*parents, *rows]}
quick_actions.show_done(row["entry_id"] for row in rows)

st.caption(
    f"Newest first. Times in {zone}. Retracted entries count as never logged; they stay here, struck through."
)
if not rows:
    st.info(
        "Nothing here yet. Log a check-in, a repair attempt or an appreciation on the Log page, and it "
        "shows up here.",
        icon=":material/history:",
    )
    st.page_link("pages/log.py", label="Log something", icon=":material/edit:")
for row in rows[:limit]:
    while others and others[0].at > row["occurred_at"]:
        _show_happening(others.pop(0))
    parent = index.get(row.get("ref") or "")
    entry_row.show(
        entry_line(row, names, zone, index),
        # what a correction's form offers to choose again (an answered attempt is no longer waiting)
        {**row, "ref_label": choice_label(parent, names, zone)} if parent else row,
        couple=house.handle,
        partner=partner,
        zone=zone,
        key=f"entry:{row['entry_id']}",
    )
for happening in others:
    _show_happening(happening)
if len(rows) > limit:
    st.button(
        "Show more", key="timeline:more", on_click=lambda: st.session_state.update({LIMIT: limit + PAGE})
    )
