"""Waiting on you: repair attempts to answer, your open promises to settle, conflicts to resolve."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import streamlit as st

from dashboard.components import chrome, quick_actions, who
from dashboard.store import couples, reading
from projections.filters import TimelineFilter
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
    conflicts = service.timeline(actor, house.handle, TimelineFilter(types=("conflict_started",)), view=view)
    kept_early = [row for row in service.kept_early(actor, house.handle, view=view) if row["by"] == partner]
now = datetime.now(UTC)
names, zone, couple = house.names, house.timezone, house.handle
index = {row["entry_id"]: row for row in [*conflicts, *waiting["conflicts"]]}  # to name them


@dataclass(frozen=True)
class _Answer:
    """One answer button: what it says, its key's prefix, its icon and what a click records."""

    label: str
    key: str
    icon: str
    on_click: Callable[[str, str, str, str], None]  # (couple, partner, kind, the entry answered)
    primary: bool = False
    help: str | None = None


def _renegotiate(couple: str, _partner: str, _kind: str, promise: str) -> None:
    quick_actions.renegotiate(couple, promise)


ANSWERS: Final = {
    "repair_accepted": _Answer("Accept", "accept", ":material/thumb_up:", quick_actions.answer, primary=True),
    "repair_declined": _Answer("Decline", "decline", ":material/do_not_disturb_on:", quick_actions.answer),
    "promise_kept": _Answer("Kept", "kept", ":material/check:", quick_actions.settle, primary=True),
    "promise_broken": _Answer("Broken", "broken", ":material/close:", quick_actions.settle),
    "promise_renegotiated": _Answer("Renegotiate…", "renegotiate", ":material/event_repeat:", _renegotiate),
    "promise_released": _Answer(
        "Release",
        "release",
        ":material/handshake:",
        quick_actions.settle,
        help="You both agree it no longer applies.",
    ),
}


def answer_buttons(entry_id: str, kinds: Iterable[str]) -> None:
    """A row's answer buttons in one line: one for each kind of entry that can answer it, in that order."""
    with st.container(horizontal=True):
        for kind in kinds:
            answer = ANSWERS[kind]
            st.button(
                answer.label,
                key=f"{answer.key}:{entry_id}",
                type="primary" if answer.primary else "secondary",
                icon=answer.icon,
                help=answer.help,
                on_click=answer.on_click,
                args=(couple, partner, kind, entry_id),
            )


def cards(title: str, rows: list[dict[str, Any]], empty: str, key: str) -> Iterator[dict[str, Any]]:
    """A section: its header, what it says when it is empty, and one bordered card for each row (the
    caller's loop body fills it) with the problems of the row's last answer, if any, at its foot."""
    st.header(title)
    if not rows:
        st.markdown(empty)
    for row in rows:
        with st.container(border=True, key=f"{key}:{row['entry_id']}"):
            yield row
            quick_actions.show_problems(row["entry_id"])


st.title("Waiting on you")
quick_actions.show_done(row["entry_id"] for rows in waiting.values() for row in rows)
st.caption(
    f"Answers are logged as happening now. To log one at another time, use the Log page. Times in {zone}."
)

for row in cards(
    "Repair attempts for you to answer",
    waiting["attempts"],
    "Nothing to answer. When your partner logs a repair attempt, it appears here.",
    key="attempt",
):
    line = entry_line(row, names, zone, index)
    st.markdown(attempt_markdown(row, names, zone, index))
    if line.note:
        st.markdown(f"> {escape_markdown(line.note)}")
    elif line.private:
        st.caption("Private note")
    answer_buttons(row["entry_id"], ("repair_accepted", "repair_declined"))

for row in cards(
    "Your open promises",
    waiting["promises"],
    "No open promises. Small, concrete promises with a due time build trust best; log one on the Log page.",
    key="promise",
):
    possible = promise_actions(row["due_at"], now)
    overdue = "promise_renegotiated" not in possible
    st.markdown(f"**“{escape_markdown(row['description'])}”**")
    due = local_text(row["due_at"], zone)
    st.caption(
        f"Due {due}"
        + (" · the due time has passed: it can still be kept or marked broken" if overdue else "")
    )
    answer_buttons(row["entry_id"], possible)

if kept_early:
    st.subheader("Kept early")
    st.caption("These count as kept from their due time on; until then the figures do not show them.")
    for row in kept_early:
        st.markdown(
            f"“{escape_markdown(row['description'])}” · {counts_on(row['due_at'], zone)}",
            help=f"Kept {local_text(row['kept_at'], zone)}, due {local_text(row['due_at'], zone)}.",
        )

for row in cards("Conflicts not yet resolved", waiting["conflicts"], "No open conflicts.", key="conflict"):
    line = entry_line(row, names, zone, index)
    st.markdown(f"**{escape_markdown(line.details)}** · raised by {escape_markdown(line.who)} · {line.when}")
    st.button(
        "Resolved",
        key=f"resolve:{row['entry_id']}",
        icon=":material/done_all:",
        on_click=quick_actions.resolve,
        args=(couple, partner, row["entry_id"]),
    )
