"""Waiting on you: repair attempts to answer, your open promises to settle, conflicts to resolve."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from dashboard.components import chrome, quick_actions, who
from dashboard.store import couples, reading
from projections.presenting import (
    attempt_markdown,
    entry_line,
    escape_markdown,
    local_text,
    promise_actions,
)
from projections.promise_words import counts_on

chrome.show(key="chrome")
house, partner, actor = who.required()
with reading() as view:
    service = couples()
    waiting = service.waiting(actor, house.handle, view=view)
    conflicts = service.timeline(actor, house.handle, view=view, types=["conflict_started"])
    kept_early = [row for row in service.kept_early(actor, house.handle, view=view) if row["by"] == partner]
now = datetime.now(UTC)
names, zone, couple = house.names, house.timezone, house.handle
index = {row["entry_id"]: row for row in [*conflicts, *waiting["conflicts"]]}  # to name them

st.title("Waiting on you")
quick_actions.show_done(row["entry_id"] for rows in waiting.values() for row in rows)
st.caption(
    f"Answers are logged as happening now. To log one at another time, use the Log page. Times in {zone}."
)

st.header("Repair attempts for you to answer")
if not waiting["attempts"]:
    st.markdown("Nothing to answer. When your partner logs a repair attempt, it appears here.")
for row in waiting["attempts"]:
    line = entry_line(row, names, zone, index)
    with st.container(border=True, key=f"attempt:{row['entry_id']}"):
        st.markdown(attempt_markdown(row, names, zone, index))
        if line.note:
            st.markdown(f"> {escape_markdown(line.note)}")
        elif line.private:
            st.caption("Private note")
        with st.container(horizontal=True):
            st.button(
                "Accept",
                key=f"accept:{row['entry_id']}",
                type="primary",
                icon=":material/thumb_up:",
                on_click=quick_actions.answer,
                args=(couple, partner, "repair_accepted", row["entry_id"]),
            )
            st.button(
                "Decline",
                key=f"decline:{row['entry_id']}",
                icon=":material/do_not_disturb_on:",
                on_click=quick_actions.answer,
                args=(couple, partner, "repair_declined", row["entry_id"]),
            )
        quick_actions.show_problems(row["entry_id"])

st.header("Your open promises")
if not waiting["promises"]:
    st.markdown(
        "No open promises. Small, concrete promises with a due time build trust best; log one on the "
        "Log page."
    )
for row in waiting["promises"]:
    possible = promise_actions(row["due_at"], now)
    overdue = "promise_renegotiated" not in possible
    with st.container(border=True, key=f"promise:{row['entry_id']}"):
        st.markdown(f"**“{escape_markdown(row['description'])}”**")
        due = local_text(row["due_at"], zone)
        st.caption(
            f"Due {due}"
            + (" · the due time has passed: it can still be kept or marked broken" if overdue else "")
        )
        with st.container(horizontal=True):
            st.button(
                "Kept",
                key=f"kept:{row['entry_id']}",
                type="primary",
                icon=":material/check:",
                on_click=quick_actions.settle,
                args=(couple, partner, "promise_kept", row["entry_id"]),
            )
            st.button(
                "Broken",
                key=f"broken:{row['entry_id']}",
                icon=":material/close:",
                on_click=quick_actions.settle,
                args=(couple, partner, "promise_broken", row["entry_id"]),
            )
            if "promise_renegotiated" in possible:
                st.button(
                    "Renegotiate…",
                    key=f"renegotiate:{row['entry_id']}",
                    icon=":material/event_repeat:",
                    on_click=quick_actions.renegotiate,
                    args=(couple, row["entry_id"]),
                )
            if "promise_released" in possible:
                st.button(
                    "Release",
                    key=f"release:{row['entry_id']}",
                    icon=":material/handshake:",
                    help="You both agree it no longer applies.",
                    on_click=quick_actions.settle,
                    args=(couple, partner, "promise_released", row["entry_id"]),
                )
        quick_actions.show_problems(row["entry_id"])

if kept_early:
    st.subheader("Kept early")
    st.caption("These count as kept from their due time on; until then the figures do not show them.")
    for row in kept_early:
        st.markdown(
            f"“{escape_markdown(row['description'])}” · {counts_on(row['due_at'], zone)}",
            help=f"Kept {local_text(row['kept_at'], zone)}, due {local_text(row['due_at'], zone)}.",
        )

st.header("Conflicts not yet resolved")
if not waiting["conflicts"]:
    st.markdown("No open conflicts.")
for row in waiting["conflicts"]:
    line = entry_line(row, names, zone, index)
    with st.container(border=True, key=f"conflict:{row['entry_id']}"):
        st.markdown(
            f"**{escape_markdown(line.details)}** · raised by {escape_markdown(line.who)} · {line.when}"
        )
        st.button(
            "Resolved",
            key=f"resolve:{row['entry_id']}",
            icon=":material/done_all:",
            on_click=quick_actions.resolve,
            args=(couple, partner, row["entry_id"]),
        )
        quick_actions.show_problems(row["entry_id"])
