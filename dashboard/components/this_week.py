"""The "This week" box of the partner's first page (SPEC section 11): what is due for them in the next 7
days (promises they made and promises made to them, answers waiting on them) and whether this week's
check-in is still open, from the service layer's `Couples.due_soon`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard import session
from dashboard.store import couples, household, reading
from domain.errors import Refusal
from projections.presenting import escape_markdown
from repairtrack.services.actors import Actor

EMPTY = "Nothing due in the next 7 days."


def day_and_time(moment: str | datetime, zone: str) -> str:
    """ "Thu 3 Dec at 19:00" in the couple's time zone."""
    found = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    local = found.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b} at {local:%H:%M}"


def due_lines(due: Mapping[str, Any], names: Mapping[str, str], zone: str) -> list[str]:
    """What is due, one Markdown line each (user text escaped), soonest first."""

    def named(handle: str) -> str:
        return escape_markdown(names.get(handle, handle))

    def said(row: Mapping[str, Any]) -> str:
        text = row.get("description")
        return f"“{escape_markdown(text)}”" if text else "a promise"

    lines = []
    for row in sorted(due["promises"], key=lambda r: str(r["due_at"])):
        when = day_and_time(row["due_at"], zone)
        if row["mine"]:
            lines.append(f"Your promise to {named(row['to'])}: {said(row)}, due {when}")
        else:
            lines.append(f"{named(row['by'])}'s promise to you: {said(row)}, due {when}")
    for row in due["answers"]["attempts"]:
        when = day_and_time(row["occurred_at"], zone)
        lines.append(f"A repair attempt from {named(row['by'])} ({when}) waits for your answer")
    for row in due["answers"]["promises"]:
        when = day_and_time(row["due_at"], zone)
        lines.append(f"{named(row['by'])}'s promise {said(row)} was due {when}: was it kept?")
    return lines


def check_in_line(check_in: Mapping[str, Any], zone: str) -> str:
    """Whether this week's check-in is still open, and when the chosen check-in day comes."""
    if not check_in["open"]:
        return f"You checked in this week ({day_and_time(check_in['done_at'], zone)})."
    if check_in["next_at"] is None:
        return "This week's check-in is still open. You have no check-in day yet."
    return (
        f"This week's check-in is still open. Your next check-in: {day_and_time(check_in['next_at'], zone)}."
    )


def show(actor: Actor, *, key: str, now: datetime | None = None) -> None:
    """The box, for the actor's partner; nothing when no partner is chosen."""
    if actor.couple is None or actor.partner is None:
        return
    house = household(actor.couple, actor)
    if house is None:
        return
    try:
        with reading() as view:
            due = couples().due_soon(actor, house.handle, now or datetime.now(UTC), view=view)
    except Refusal:  # no partner of this couple chosen: nothing to say yet
        return
    lines = due_lines(due, house.names, house.timezone)
    with st.container(border=True, key=key):
        st.header("This week", anchor=False)  # h2 under the page title
        if lines:
            st.markdown("\n".join(f"- {line}" for line in lines))
        else:
            st.markdown(EMPTY)
        st.markdown(check_in_line(due["check_in"], house.timezone))
        with st.container(horizontal=True):
            if due["answers"]["attempts"] or due["answers"]["promises"]:
                st.page_link("pages/waiting.py", label="Answer now", icon=":material/inbox:")
            if due["check_in"]["open"]:
                st.button(
                    "Check in",
                    key=f"{key}:check-in",
                    icon=":material/edit:",
                    on_click=session.open_form,
                    args=("check_in",),
                )
            if due["check_in"]["next_at"] is None:
                st.page_link("pages/rhythm.py", label="Choose a check-in day", icon=":material/event_repeat:")
