"""Register a couple: both partners' names (handles made from them unless given) and the time zone. A
registered couple is confirmed (`confirmation`, shown where it is seen even with the form folded away) and
the form emptied; a refused one keeps all that was typed."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

import streamlit as st

from dashboard import actions, compose, session
from dashboard.components import errors
from projections.presenting import escape_markdown

PLACED = ("couple", "partners", "timezone")


def _key(key: str, name: str) -> str:
    return f"form:{key}:{name}"


def _problems_key(key: str) -> str:
    return f"problems:{key}"


def _done_key(key: str) -> str:
    return f"registered:{key}"


def save(key: str) -> None:
    value = lambda name: st.session_state.get(_key(key, name)) or ""  # noqa: E731
    if not value("name_a").strip() or not value("name_b").strip():
        st.session_state[_problems_key(key)] = [("partners", "Please give both partners' names.")]
        return
    entry = compose.registration(
        names=[value("name_a"), value("name_b")],
        handles=[value("handle_a"), value("handle_b")],
        couple=value("couple"),
        timezone=value("timezone") or "UTC",
        at=datetime.now(UTC),
    )
    _entry_id, refused = actions.register(entry)
    if refused:
        st.session_state[_problems_key(key)] = refused
        return
    for name in list(st.session_state):
        if isinstance(name, str) and name.startswith(_key(key, "")):
            del st.session_state[name]
    st.session_state.pop(_problems_key(key), None)
    names = " & ".join(p["name"] for p in entry["partners"])
    st.session_state[_done_key(key)] = (entry["couple"], names)
    session.choose(entry["couple"], None)
    st.session_state["who:pick:couple"] = entry["couple"]


def confirmation(*, key: str) -> None:
    """The word that a couple was registered, once, right after it was (user text escaped)."""
    done = st.session_state.pop(_done_key(key), None)
    if done is not None:
        couple, names = done
        st.success(
            f"Registered {escape_markdown(names)} as “{escape_markdown(couple)}”. Now choose who is using "
            "the app.",
            icon=":material/check_circle:",
        )


def show(*, key: str) -> None:
    problems: errors.Problems = st.session_state.get(_problems_key(key), [])
    zones = sorted(zoneinfo.available_timezones())
    if _key(key, "timezone") not in st.session_state:
        guess = st.context.timezone
        st.session_state[_key(key, "timezone")] = guess if guess in zones else "UTC"
    with st.form(f"{key}:form", clear_on_submit=False, enter_to_submit=False):
        first, second = st.columns(2)
        first.text_input("First partner's name", key=_key(key, "name_a"), max_chars=200)
        second.text_input("Second partner's name", key=_key(key, "name_b"), max_chars=200)
        errors.show(problems, "partners")
        st.selectbox(
            "Your time zone",
            options=zones,
            key=_key(key, "timezone"),
            help="Days and weeks are counted in this zone, and times are shown in it.",
        )
        errors.show(problems, "timezone")
        with st.expander("Short handles (optional)"):
            st.caption(
                "Handles name you in files and on the command line: lowercase letters, digits and '-'. "
                "Left empty, they are made from the names."
            )
            first, second = st.columns(2)
            first.text_input("First partner's handle", key=_key(key, "handle_a"), max_chars=40)
            second.text_input("Second partner's handle", key=_key(key, "handle_b"), max_chars=40)
            st.text_input("The couple's handle", key=_key(key, "couple"), max_chars=40)
        errors.show(problems, "couple")
        errors.rest(problems, PLACED)
        st.form_submit_button(
            "Register", type="primary", on_click=save, args=(key,), icon=":material/group_add:"
        )
