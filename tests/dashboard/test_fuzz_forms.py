"""Fuzzed form values on the Log page: whatever is typed, the page stores the entry or shows why not
under the field, never crashes, and never stores half an entry. One page session takes every example
of a test, as a person typing one attempt after another would."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import Store, open_page, submit
from tests.dashboard.test_log_page import field, saved

ODD = ["", "   ", "\t", "a\x00b", "line\r\nbreak", "💬 ok", "Ünïcödé", "x" * 2001, "<script>x</script>"]


def typed(max_size: int) -> st.SearchStrategy[str]:
    """What a person could type into a field that takes at most `max_size` characters."""
    return st.one_of(
        st.text(max_size=min(max_size, 80)),
        st.sampled_from([s[:max_size] for s in ODD]),
    )


FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_pages: dict[int, AppTest] = {}


def log_page(store: Store, kind: str) -> AppTest:
    key = id(store)
    if key not in _pages:
        _pages.clear()
        _pages[key] = open_page("log")
    at = _pages[key]
    at.button_group(key="log:kind:picker").set_value(kind).run()
    return at


def check(store: Store, at: AppTest, before: int) -> list[dict[str, Any]]:
    after = store.entries()
    assert not at.exception
    if saved(at):
        assert len(after) == before + 1 and not at.error
    else:
        assert at.error, "refused without saying why"
        assert len(after) == before  # nothing half-written
    return after


@FUZZ
@given(topic=typed(60), note=typed(2001), intensity=st.integers(1, 5))
def test_fuzzed_conflict_forms_are_stored_or_refused_with_a_message(
    couple: Store, topic: str, note: str, intensity: int
) -> None:
    before = len(couple.entries())
    at = log_page(couple, "conflict_started")
    at.text_input(key=field("conflict_started", "topic")).input(topic)
    at.text_area(key=field("conflict_started", "note")).input(note)
    at.select_slider(key=field("conflict_started", "intensity")).set_value(intensity)
    submit(at)
    after = check(couple, at, before)
    if saved(at):
        assert after[-1]["topic"] == " ".join(topic.split()).lower()
    else:
        assert at.text_input(key=field("conflict_started", "topic")).value == topic  # nothing typed is lost


@FUZZ
@given(description=typed(2001), note=typed(2001))
def test_fuzzed_promise_and_appreciation_forms_are_stored_or_refused_with_a_message(
    couple: Store, description: str, note: str
) -> None:
    before = len(couple.entries())
    at = log_page(couple, "promise_made")
    at.text_input(key=field("promise_made", "description")).input(description)
    at.datetime_input(key=field("promise_made", "due")).set_value(datetime.now() + timedelta(days=2))
    submit(at)
    check(couple, at, before)

    before = len(couple.entries())
    at = log_page(couple, "appreciation_expressed")
    at.text_area(key=field("appreciation_expressed", "note")).input(note)
    submit(at)
    check(couple, at, before)
