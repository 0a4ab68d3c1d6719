"""One-click entries about something already logged: answer a repair attempt, settle a promise, resolve
a conflict, retract an entry. Each happens now (to log one at another time, use the Log page), goes
through the domain application, and leaves its problem, if any, under the item it was about."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from dashboard import actions, compose, session
from dashboard.components import entry_form

DONE = "waiting:done"


def problems_key(entry_id: str) -> str:
    return f"waiting:problems:{entry_id}"


def record(couple: str, partner: str, kind: str, about: str, **fields: Any) -> str | None:
    """Record an entry of `kind` about the entry `about` (its parent), happening now."""
    entry = compose.entry(kind, couple, datetime.now(UTC), partner, **fields)
    entry_id, refused = actions.record(entry)
    if refused:
        st.session_state[problems_key(about)] = refused
        return None
    st.session_state.pop(problems_key(about), None)
    return entry_id


def answer(couple: str, partner: str, kind: str, attempt: str) -> None:
    if record(couple, partner, kind, attempt, attempt=attempt):
        st.session_state[DONE] = (
            "Answer saved." if kind == "repair_accepted" else "Answer saved. Thank you for saying so."
        )


def settle(couple: str, partner: str, kind: str, promise: str) -> None:
    if record(couple, partner, kind, promise, promise=promise):
        st.session_state[DONE] = {
            "promise_kept": "Marked as kept.",
            "promise_broken": "Marked as broken. Saying so plainly helps trust more than letting it lapse.",
            "promise_released": "Released by agreement.",
        }[kind]


def renegotiate(couple: str, promise: str) -> None:
    """Open the Log page's renegotiation form for this promise (it asks for the new due time)."""
    entry_form.prefill(couple, "promise_renegotiated", {"promise": promise})
    session.open_form("promise_renegotiated")


def resolve(couple: str, partner: str, conflict: str) -> None:
    if record(couple, partner, "conflict_resolved", conflict, conflict=conflict):
        st.session_state[DONE] = "Marked as resolved."


def retract(couple: str, partner: str, entry_id: str, reason_key: str) -> None:
    reason = st.session_state.get(reason_key) or None
    if record(couple, partner, "entry_retracted", entry_id, entry=entry_id, reason=reason):
        st.session_state.pop(reason_key, None)
        st.session_state[DONE] = "Retracted. It stays in the timeline, struck through."


def correct(couple: str, partner: str, row: dict[str, Any], zone: str) -> None:
    """Open the entry's form filled in with its values; nothing is retracted until the corrected entry
    is saved (`entry_form.correct`). `row["ref_label"]`, when the page gives it, names what it refers to."""
    label = row.get("ref_label")
    entry_form.correct(couple, row, zone, label if isinstance(label, str) else None)


def show_problems(entry_id: str) -> None:
    for _field, message in st.session_state.get(problems_key(entry_id), []):
        st.error(message, icon=":material/error:")


def show_done(shown: Iterable[str] = ()) -> None:
    """The word about the last action: done, or refused. A refusal about an item no longer listed (say,
    answered meanwhile on another device) is shown here, since its item is gone."""
    message = st.session_state.pop(DONE, None)
    if message:
        st.success(message, icon=":material/check_circle:")
    listed = set(shown)
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(problems_key(""))]:
        if key.removeprefix(problems_key("")) not in listed:
            for _field, text in st.session_state.pop(key):
                st.error(text, icon=":material/error:")
