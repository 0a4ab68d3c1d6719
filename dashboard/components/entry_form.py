"""One form per entry type of SPEC section 3 (registration and retraction have their own places).

Every field keeps its value in `st.session_state` under `form:<couple>:<type>:<field>`, so a refused entry
keeps all that was typed; each problem is shown under the field it names (the fields and their widgets are
in `dashboard.components.entry_fields`). Saving goes through `dashboard.actions.record` (the domain
application); a saved form is emptied. Times are typed in the couple's time zone; left empty, the entry
happened now.

A correction ("Correct" on the timeline) fills the form in and remembers which entry it replaces; nothing is
stored until it is saved, and then the retraction of the old entry and the new entry are stored together,
all or nothing (`dashboard.actions.record_together`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard import actions, compose, session
from dashboard.components import errors
from dashboard.components.entry_fields import (
    BY_LABELS,
    PLACED,
    PROMISE_TYPES,
    WITH_BY,
    WITH_NOTE,
    Context,
    by_field,
    correcting_key,
    moment_field,
    note_field,
    prefix,
    problems_key,
    saved_key,
    type_fields,
)
from dashboard.words import FORM_HINTS, FORM_TITLES
from domain.vocabulary import HORSEMEN

__all__ = [
    "PROMISE_TYPES",
    "WITH_BY",
    "WITH_NOTE",
    "Context",
    "correcting_key",
    "prefix",
    "problems_key",
    "saved_key",
]


def prefill(couple: str, kind: str, values: Mapping[str, Any]) -> None:
    """Fill a form in before it is shown (a fresh start: not a correction)."""
    _empty(couple, kind)
    for name, value in values.items():
        st.session_state[prefix(couple, kind) + name] = value


def correct(couple: str, row: Mapping[str, Any], zone: str, ref_label: str | None = None) -> None:
    """Open the form of a timeline row filled in with its values, as a correction of it: nothing is
    retracted until the corrected entry is saved. `ref_label` names the entry it refers to (an answered
    attempt or a settled promise is no longer among the form's choices)."""
    kind = str(row["type"])
    values = compose.form_values(row, zone)
    prefill(couple, kind, values)
    ref = row.get("ref")
    field_name = next((n for n in ("conflict", "attempt", "promise") if n in values), None)
    st.session_state[correcting_key(couple, kind)] = {
        "entry": row["entry_id"],
        "choice": None if ref is None or field_name is None else (field_name, ref, ref_label or "as before"),
    }
    session.open_form(kind)


def drop_correction(couple: str, kind: str) -> None:
    """Leave the correction: the entry stays as it is, the form is empty again."""
    _empty(couple, kind)


def _empty(couple: str, kind: str) -> None:
    for name in list(st.session_state):
        if isinstance(name, str) and name.startswith(prefix(couple, kind)):
            del st.session_state[name]
    st.session_state.pop(problems_key(couple, kind), None)
    st.session_state.pop(correcting_key(couple, kind), None)


# ------------------------------------------------------------------------------------------------
# Saving (a callback: runs before the rerun, so errors and emptied fields show at once)
# ------------------------------------------------------------------------------------------------
def _value(context: Context, kind: str, name: str) -> Any:
    return st.session_state.get(prefix(context.couple, kind) + name)


def _moment(context: Context, kind: str, name: str, problems: list[tuple[str, str]], field_name: str) -> Any:
    """The instant of a date-and-time field (`when` or `due`) typed in the couple's zone."""
    typed = _value(context, kind, name)
    if typed is None:
        return None
    exact = _value(context, kind, f"{name}_exact")
    if compose.same_minute(typed, exact, context.timezone):
        return exact
    resolved = compose.resolve_local(typed, context.timezone, _value(context, kind, f"{name}_fold"))
    if resolved.ambiguous:
        st.session_state[prefix(context.couple, kind) + f"{name}_fold_needed"] = True
    if resolved.problem:
        problems.append((field_name, resolved.problem))
    return resolved.instant


def _fields(context: Context, kind: str, problems: list[tuple[str, str]]) -> dict[str, Any]:
    value: Callable[[str], Any] = lambda name: _value(context, kind, name)  # noqa: E731
    fields: dict[str, Any] = {}
    if kind in WITH_BY:
        fields["by"] = value("by")
    if kind == "conflict_started":
        fields["topic"] = value("topic")
        fields["horsemen"] = [h for h in HORSEMEN if value(f"horseman_{h}")]
        fields["intensity"] = value("intensity")
    if kind in ("conflict_resolved", "repair_offered"):
        fields["conflict"] = value("conflict")
    if kind == "repair_offered":
        fields["kind"] = value("kind")
    if kind in ("repair_accepted", "repair_declined"):
        fields["attempt"] = value("attempt")
    if kind in PROMISE_TYPES:
        fields["promise"] = value("promise")
    if kind == "promise_made":
        fields["description"] = value("description")
    if kind in ("promise_made", "promise_renegotiated"):
        due = _moment(context, kind, "due", problems, "due_at")
        fields["due_at"] = due
        if due is None and not any(f == "due_at" for f, _ in problems):
            problems.append(("due_at", "Please choose the date and time it is due."))
    if kind == "check_in":
        fields["closeness"] = value("closeness")
        fields["trust"] = value("trust")
        answers, problem = compose.csi4_answers([value(f"csi4_{i}") for i in range(1, 5)])
        if problem:
            problems.append(("csi4", problem))
        fields["csi4"] = answers
    if kind == "bid_made":
        fields["response"] = value("response")
    if kind in WITH_NOTE:
        fields["note"] = value("note")
        fields["private"] = bool(value("private"))
    return fields


def save(context: Context, kind: str) -> None:
    problems: list[tuple[str, str]] = []
    st.session_state.pop(saved_key(context.couple, kind), None)
    occurred = _moment(context, kind, "when", problems, "occurred_at")
    if occurred is None and _value(context, kind, "when") is None:
        occurred = datetime.now(UTC).astimezone(ZoneInfo(context.timezone))
    fields = _fields(context, kind, problems)
    if problems or occurred is None:
        st.session_state[problems_key(context.couple, kind)] = problems
        return
    entry = compose.entry(kind, context.couple, occurred, context.partner, **fields)
    correction = st.session_state.get(correcting_key(context.couple, kind))
    if correction:
        retraction = compose.entry(
            "entry_retracted",
            context.couple,
            datetime.now(UTC),
            context.partner,
            entry=correction["entry"],
            reason="corrected",
        )
        _ids, refused = actions.record_together([retraction, entry])
    else:
        _entry_id, refused = actions.record(entry)
    if refused:
        st.session_state[problems_key(context.couple, kind)] = refused
        return
    _empty(context.couple, kind)
    st.session_state[saved_key(context.couple, kind)] = (
        f"Saved: {FORM_TITLES[kind].lower()}, corrected. The old one stays on the timeline, struck through."
        if correction
        else f"Saved: {FORM_TITLES[kind].lower()}."
    )


def show(kind: str, context: Context, *, key: str) -> None:
    """The form for one entry type, its problems under its fields, and a word when it was saved."""
    problems: errors.Problems = st.session_state.get(problems_key(context.couple, kind), [])
    if st.session_state.get(correcting_key(context.couple, kind)):
        with st.container(horizontal=True, vertical_alignment="center"):
            st.info(
                "You are correcting an entry. Saving stores this one and retracts the old one, together. "
                "Until then nothing changes.",
                icon=":material/edit_note:",
            )
            st.button(
                "Don't correct it",
                key=f"{key}:{context.couple}:{kind}:drop",
                on_click=drop_correction,
                args=(context.couple, kind),
            )
    with st.form(f"{key}:{context.couple}:{kind}", clear_on_submit=False, enter_to_submit=False):
        st.markdown(f"**{FORM_TITLES[kind]}**")
        st.caption(FORM_HINTS[kind])
        moment_field(
            context,
            kind,
            "when",
            "When (leave empty for now)",
            problems,
            "occurred_at",
            "You may log things late: pick when it happened.",
        )
        if kind in WITH_BY:
            by_field(context, kind, problems, BY_LABELS[kind])
        type_fields(context, kind, problems)
        if kind in WITH_NOTE:
            note_field(context, kind, problems)
        errors.rest(problems, PLACED)
        st.form_submit_button(
            "Save", type="primary", on_click=save, args=(context, kind), icon=":material/check:"
        )
    message = st.session_state.get(saved_key(context.couple, kind))
    if message:
        st.success(message, icon=":material/check_circle:")
