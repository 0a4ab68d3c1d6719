"""One-click entries about something already logged, run alone over a real store: answering a repair
attempt, settling a promise, resolving a conflict, opening the renegotiation form; the word about the last
action said once; a refusal kept under the item it was about (never under another), or said at the top
when that item is no longer listed. The words are all our own: no typed text is shown here."""

from __future__ import annotations

from datetime import timedelta

from streamlit.testing.v1 import AppTest

from dashboard.components.quick_actions import DONE, problems_key
from tests.dashboard.conftest import Store, click, run_alone


def actions_app(items: list[str], listed: list[str]) -> None:
    import streamlit as st

    from dashboard.components import quick_actions

    couple = "ana-ben"
    quick_actions.show_done(listed)
    for item in items:
        st.button(
            "Accept",
            key=f"accept:{item}",
            on_click=quick_actions.answer,
            args=(couple, "ana", "repair_accepted", item),
        )
        st.button(
            "Kept",
            key=f"kept:{item}",
            on_click=quick_actions.settle,
            args=(couple, "ana", "promise_kept", item),
        )
        st.button(
            "Resolve", key=f"resolve:{item}", on_click=quick_actions.resolve, args=(couple, "ana", item)
        )
        st.button(
            "New due time", key=f"renegotiate:{item}", on_click=quick_actions.renegotiate, args=(couple, item)
        )
        if item in listed:
            quick_actions.show_problems(item)
        st.markdown(f"end of {item}")


def run(*items: str, listed: tuple[str, ...] | None = None) -> AppTest:
    shown = list(items if listed is None else listed)
    return run_alone(actions_app, list(items), shown)


def test_nothing_done_says_nothing(couple: Store) -> None:
    at = run()
    assert list(at.success) == [] and list(at.error) == []


def test_accepting_a_repair_attempt_is_stored_and_said_once(couple: Store) -> None:
    attempt = couple.record("repair_offered", hours_ago=2, by="ben", kind="apology")
    at = click(run(attempt), f"accept:{attempt}")
    stored = couple.last()
    assert (stored["type"], stored["attempt"], stored["logged_by"]) == ("repair_accepted", attempt, "ana")
    assert [s.value for s in at.success] == ["Answer saved."]
    assert DONE not in at.session_state
    assert list(at.run().success) == []


def test_settling_a_promise_and_resolving_a_conflict(couple: Store) -> None:
    due = (couple.now + timedelta(days=2)).isoformat()
    promise = couple.record("promise_made", hours_ago=3, by="ana", description="fix the bike", due_at=due)
    conflict = couple.record(
        "conflict_started", hours_ago=3, by="ben", topic="chores", horsemen=[], intensity=2
    )
    at = click(run(promise, conflict), f"kept:{promise}")
    assert (couple.last()["type"], couple.last()["promise"]) == ("promise_kept", promise)
    assert [s.value for s in at.success] == ["Marked as kept."]
    click(at, f"resolve:{conflict}")
    assert (couple.last()["type"], couple.last()["conflict"]) == ("conflict_resolved", conflict)
    assert [s.value for s in at.success] == ["Marked as resolved."]


def test_renegotiate_opens_the_log_pages_form_for_that_promise(couple: Store) -> None:
    at = click(run("p1"), "renegotiate:p1")
    assert at.session_state["form:ana-ben:promise_renegotiated:promise"] == "p1"
    assert (at.session_state["log:kind"], at.session_state["goto:page"]) == (
        "promise_renegotiated",
        "pages/log.py",
    )
    assert couple.entries()[-1]["type"] == "couple_registered"  # nothing written


def test_a_refusal_stays_under_its_item_and_not_under_another(couple: Store) -> None:
    at = click(run("gone-1", "gone-2"), "accept:gone-1")
    assert at.session_state[problems_key("gone-1")]
    assert problems_key("gone-2") not in at.session_state
    assert len(at.error) == 1 and list(at.success) == []
    assert couple.entries()[-1]["type"] == "couple_registered"
    assert len(at.run().error) == 1  # kept until the item is answered or gone


def test_a_refusal_about_an_item_no_longer_listed_is_said_once_at_the_top(couple: Store) -> None:
    at = click(run("gone-1", listed=()), "accept:gone-1")
    assert len(at.error) == 1
    assert problems_key("gone-1") not in at.session_state
    assert list(at.run().error) == []
