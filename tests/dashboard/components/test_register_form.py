"""Registering a couple, the form run alone over a real store in a temporary folder: both names needed,
handles made from the names, a refusal that keeps what was typed, the confirmation (names as written),
and two forms on one page that keep their fields apart."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from projections.presenting import escape_markdown
from tests.dashboard.components.rendering import shown_as_written
from tests.dashboard.conftest import Store, submit

TIMEOUT = 30


def form_app(keys: list[str]) -> None:
    from dashboard.components import register_form

    for key in keys:
        register_form.confirmation(key=key)
        register_form.show(key=key)


def run(*keys: str) -> AppTest:
    at = AppTest.from_function(form_app, args=(list(keys) or ["k"],), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def fill(at: AppTest, key: str, name_a: str, name_b: str = "") -> None:
    at.text_input(key=f"form:{key}:name_a").input(name_a)
    at.text_input(key=f"form:{key}:name_b").input(name_b)


def test_an_empty_form_offers_both_names_and_the_zone(store: Store) -> None:
    at = run()
    assert [t.label for t in at.text_input] == [
        "First partner's name",
        "Second partner's name",
        "First partner's handle",
        "Second partner's handle",
        "The couple's handle",
    ]
    assert at.selectbox(key="form:k:timezone").value == "UTC"  # AppTest's browser has no zone of its own
    assert list(at.error) == [] and list(at.success) == []


def test_both_names_are_needed_and_what_was_typed_stays(store: Store) -> None:
    at = run()
    fill(at, "k", "Ana")
    submit(at, "Register")
    assert [e.value for e in at.error] == ["Please give both partners' names."]
    assert at.session_state["problems:k"] == [("partners", "Please give both partners' names.")]
    assert at.text_input(key="form:k:name_a").value == "Ana"


def test_a_couple_is_registered_confirmed_chosen_and_the_form_emptied(store: Store) -> None:
    at = run()
    fill(at, "k", "Zoë", "Sam Lee")
    at.selectbox(key="form:k:timezone").set_value("Europe/Berlin")
    submit(at, "Register")
    stored = store.last("zoe-sam-lee")
    assert stored["partners"] == [{"handle": "zoe", "name": "Zoë"}, {"handle": "sam-lee", "name": "Sam Lee"}]
    assert stored["timezone"] == "Europe/Berlin"
    assert [s.value for s in at.success] == [
        "Registered Zoë & Sam Lee as “zoe\\-sam\\-lee”. Now choose who is using the app."
    ]
    assert (at.session_state["who:couple"], at.session_state["who:partner"]) == ("zoe-sam-lee", None)
    assert at.text_input(key="form:k:name_a").value == ""
    at.run()  # the confirmation is said once
    assert list(at.success) == []


def test_a_refused_registration_keeps_what_was_typed(couple: Store) -> None:
    at = run()
    fill(at, "k", "Ana", "Ben")  # the handle ana-ben is taken
    submit(at, "Register")
    assert [e.value for e in at.error] == [
        "A couple with this handle is already registered here; please choose another."
    ]
    assert at.text_input(key="form:k:name_b").value == "Ben"
    assert list(at.success) == []


def test_names_that_look_like_markup_are_confirmed_as_written(store: Store) -> None:
    name_a, name_b = "![x](http://e/x.png) <img src=x>", "**b**"
    at = run()
    fill(at, "k", name_a, name_b)
    at.text_input(key="form:k:couple").input("hostile")
    submit(at, "Register")
    assert [p["name"] for p in store.last("hostile")["partners"]] == [name_a, name_b]
    [success] = at.success
    assert success.value.startswith(f"Registered {escape_markdown(f'{name_a} & {name_b}')} as")
    assert shown_as_written(success.value, f"{name_a} & {name_b}")


def submit_form(at: AppTest, key: str) -> None:
    [button] = [b for b in at.button if (b.key or "").startswith(f"FormSubmitter:{key}:form")]
    button.click().run()
    assert not at.exception, at.exception


def test_two_forms_with_their_own_keys_keep_their_fields_and_problems_apart(store: Store) -> None:
    at = run("k1", "k2")
    fill(at, "k2", "Cy", "Dee")
    submit_form(at, "k2")
    assert store.last("cy-dee")["partners"][0]["name"] == "Cy"
    assert len(at.success) == 1 and list(at.error) == []

    fill(at, "k1", "Ana")
    submit_form(at, "k1")
    assert at.session_state["problems:k1"] == [("partners", "Please give both partners' names.")]
    assert "problems:k2" not in at.session_state
    assert at.text_input(key="form:k1:name_a").value == "Ana"
    assert at.text_input(key="form:k2:name_a").value == ""
    assert [e.value for e in at.error] == ["Please give both partners' names."]
