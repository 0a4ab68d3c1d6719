"""One entry of the timeline: when, what, who, the note (or "private"), struck through when retracted,
with Retract (asking for a reason) and Correct (the form filled in again; saving it retracts this one)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.components import quick_actions
from dashboard.compose import FORM_TYPES
from projections.presenting import EntryLine, escape_markdown


def show(line: EntryLine, row: dict[str, Any], *, couple: str, partner: str, zone: str, key: str) -> None:
    text = f"**{line.title}**"
    if line.details:
        text += f" · {escape_markdown(line.details)}"
    if line.who:
        text += f" · {escape_markdown(line.who)}"
    with st.container(border=True, key=key):
        first, second = st.columns([4, 1], vertical_alignment="center")
        with first:
            if line.retracted:
                st.markdown(f"~~{text}~~ :gray-badge[retracted]")
            else:
                st.markdown(text)
            st.caption(line.when)
            if line.note:
                note = escape_markdown(line.note)
                st.markdown(f"~~{note}~~" if line.retracted else f"> {note}")
            elif line.private:
                st.caption(":material/lock: private")
        with second, st.container(horizontal=True, horizontal_alignment="right"):
            if line.retractable:
                with st.popover("Retract", key=f"{key}:retract"):
                    st.markdown("It will count as never logged, together with what depends on it.")
                    st.text_input("Why (optional)", key=f"timeline:reason:{line.entry_id}", max_chars=2000)
                    st.button(
                        "Retract this entry",
                        key=f"{key}:retract:confirm",
                        type="primary",
                        on_click=quick_actions.retract,
                        args=(couple, partner, line.entry_id, f"timeline:reason:{line.entry_id}"),
                    )
            if line.retractable and line.type in FORM_TYPES:
                st.button(
                    "Correct",
                    key=f"{key}:correct",
                    disabled=line.private,
                    help=(
                        "Only its author can correct it: it holds their private note."
                        if line.private
                        else "Opens its form filled in. Saving the corrected one retracts this one together; "
                        "leaving the form changes nothing."
                    ),
                    on_click=quick_actions.correct,
                    args=(couple, partner, row, zone),
                )
        quick_actions.show_problems(line.entry_id)
