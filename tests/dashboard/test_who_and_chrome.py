"""Who is here (register, choose, switch), and what every page has: the safety note one click away, the
quick-hide button, the sidebar."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.words import SHARED_DEVICE_HELP
from tests.dashboard.conftest import APP, TIMEOUT, Store, open_page, submit

PAGES = ("who", "waiting", "log", "overview", "timeline", "guidance")


def test_registering_a_couple_then_choosing_who_is_here(store: Store) -> None:
    at = open_page("who", couple=None)
    assert [i.value for i in at.info] == [SHARED_DEVICE_HELP]
    assert any(m.value.startswith("No couple is registered in this store yet.") for m in at.markdown)
    at.text_input(key="form:register:name_a").input("Zoë")
    at.text_input(key="form:register:name_b").input("Sam Lee")
    at.selectbox(key="form:register:timezone").set_value("America/New_York")
    submit(at, "Register")

    assert [e.value for e in at.error] == []
    stored = store.last("zoe-sam-lee")
    assert stored["partners"] == [{"handle": "zoe", "name": "Zoë"}, {"handle": "sam-lee", "name": "Sam Lee"}]
    assert stored["timezone"] == "America/New_York"
    assert at.selectbox(key="who:pick:couple").value == "zoe-sam-lee"
    assert at.radio(key="who:pick:partner:zoe-sam-lee").options == ["Zoë", "Sam Lee"]

    at.radio(key="who:pick:partner:zoe-sam-lee").set_value("sam-lee").run()
    assert [s.value for s in at.success] == [
        "Hello, Sam Lee. The app will fill in your name and show your own private notes."
    ]
    assert (at.session_state["who:couple"], at.session_state["who:partner"]) == ("zoe-sam-lee", "sam-lee")


def test_a_refused_registration_shows_the_error_and_keeps_the_names(couple: Store) -> None:
    at = open_page("who", couple=None)
    at.text_input(key="form:register:name_a").input("Ana")
    at.text_input(key="form:register:name_b").input("Ben")
    submit(at, "Register")  # the handle ana-ben is taken
    assert [e.value for e in at.error] == [
        "A couple with this handle is already registered here; please choose another."
    ]
    assert at.text_input(key="form:register:name_a").value == "Ana"
    assert at.text_input(key="form:register:name_b").value == "Ben"

    at.text_input(key="form:register:couple").input("ana-and-ben")
    submit(at, "Register")
    assert [e.value for e in at.error] == []
    assert store_has(couple, "ana-and-ben")


def store_has(store: Store, handle: str) -> bool:
    return bool(store.entries(handle))


def test_both_names_are_needed(store: Store) -> None:
    at = open_page("who", couple=None)
    at.text_input(key="form:register:name_a").input("Ana")
    submit(at, "Register")
    assert [e.value for e in at.error] == ["Please give both partners' names."]


def test_the_sidebar_switches_the_partner_and_forgets_half_filled_forms(couple: Store) -> None:
    at = open_page("log")
    at.text_area(key="form:ana-ben:check_in:note").input("half written")
    at.segmented_control(key="chrome:side:partner").set_value("ben").run()
    assert at.session_state["who:partner"] == "ben"
    assert at.radio(key="form:ana-ben:check_in:by").value == "ben"
    assert at.text_area(key="form:ana-ben:check_in:note").value == ""


@pytest.mark.parametrize("page", PAGES)
def test_the_safety_note_and_the_hide_button_are_on_every_page(couple: Store, page: str) -> None:
    at = open_page(page)
    assert "**Safety comes before repair**" in [m.value for m in at.markdown]
    assert any(b.key == "chrome:top:hide" for b in at.button)


def test_quick_hide_switches_to_a_neutral_page_and_back(couple: Store) -> None:
    at = open_page("overview")
    at.button(key="chrome:top:hide").click().run()
    assert at.session_state["screen:hidden"] is True
    assert [t.value for t in at.title] == ["Notes"]
    assert not at.metric
    assert not any("Safety" in m.value or "Ana" in m.value for m in at.markdown)
    at.switch_page("pages/notes.py")  # where the browser now is (AppTest keeps requesting its own page)
    at.button(key="notes:back").click().run()
    assert at.session_state["screen:hidden"] is False
    assert [t.value for t in at.title] == ["Overview"]  # back on the page in use when hidden
    assert at.session_state["who:partner"] == "ana"  # nothing forgotten


def test_back_from_a_session_hidden_from_the_start_goes_to_who_is_here(couple: Store) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["screen:hidden"] = True
    at.run()
    at.button(key="notes:back").click().run()
    assert [t.value for t in at.title] == ["Who is here"]


def test_a_hidden_session_shows_only_the_neutral_page(couple: Store) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["screen:hidden"] = True
    at.run()
    assert [t.value for t in at.title] == ["Notes"]
    assert not at.sidebar.children  # no navigation, no names


def test_without_anyone_chosen_pages_point_to_who_is_here(store: Store) -> None:
    for page in ("waiting", "overview", "timeline"):
        at = open_page(page, couple=None)
        assert at.info[0].value.startswith("First choose your couple")
