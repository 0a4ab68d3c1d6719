"""Who is here, run alone over a real store: without a couple and partner chosen (or with a couple the
store does not hold) an empty state that says what to do first; with them the household, the partner
and the actor every read and write names. It reads what app.py's "Who is here" leaves in the session,
given here through `at.session_state`."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import COUPLE, Store, run_alone

FIRST = "First choose your couple and say who is using the app now (or register as a new couple)."


def who_app() -> None:
    import streamlit as st

    from dashboard.components import who
    from tests.dashboard.components.navigation import linked_pages

    with linked_pages():
        found, partner, actor = who.required()
    st.markdown(f"{found.handle} · {', '.join(found.names.values())} · {found.timezone}")
    st.markdown(f"{partner} as {actor.kind} {actor.couple}/{actor.partner}")
    st.markdown(f"signed in: {who.signed_in()}")


def run(couple: str | None = None, partner: str | None = None) -> AppTest:
    return run_alone(who_app, couple=couple, partner=partner)


def test_nobody_chosen_says_what_to_do_first(store: Store) -> None:
    at = run()
    assert [i.value for i in at.info] == [FIRST]
    assert [link.proto.label for link in at.get("page_link")] == ["Go to Who is here"]
    assert [m.value for m in at.markdown] == []  # the page stops there


def test_a_couple_without_a_partner_or_unknown_to_the_store_says_the_same(couple: Store) -> None:
    assert [i.value for i in run(COUPLE, None).info] == [FIRST]
    assert [i.value for i in run(COUPLE, "cy").info] == [FIRST]
    assert [i.value for i in run("nobody-here", "ana").info] == [FIRST]


def test_the_chosen_partner_is_the_actor_of_the_open_store(couple: Store) -> None:
    at = run(COUPLE, "ben")
    assert list(at.info) == []
    assert [m.value for m in at.markdown] == [
        "ana-ben · Ana, Ben · Europe/Berlin",
        "ben as open ana-ben/ben",
        "signed in: None",
    ]
