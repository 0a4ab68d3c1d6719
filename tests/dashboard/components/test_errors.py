"""Refusals shown where they belong, run alone: each problem under the field it names, and the rest (for
fields the form has no place for) once at the end."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

TIMEOUT = 30
PROBLEMS = [("note", "Please keep the note shorter."), ("when", "This time is in the future.")]


def errors_app(problems: list[tuple[str, str]], fields: list[str], placed: list[str]) -> None:
    import streamlit as st

    from dashboard.components import errors

    st.markdown("under the fields")
    errors.show(problems, *fields)
    st.markdown("at the end")
    errors.rest(problems, placed)


def run(problems: list[tuple[str, str]], fields: list[str], placed: list[str]) -> AppTest:
    at = AppTest.from_function(errors_app, args=(problems, fields, placed), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def test_no_problems_show_nothing() -> None:
    at = run([], ["note"], ["note"])
    assert list(at.error) == []


def test_a_problem_shows_under_its_field_and_not_again_at_the_end() -> None:
    at = run(PROBLEMS, ["note"], ["note", "when"])
    assert [e.value for e in at.error] == ["Please keep the note shorter."]


def test_a_problem_about_a_field_without_a_place_shows_once_at_the_end_with_its_field() -> None:
    at = run(PROBLEMS, ["note"], ["note"])
    assert [e.value for e in at.error] == [
        "Please keep the note shorter.",
        "when: This time is in the future.",
    ]
