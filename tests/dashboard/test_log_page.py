"""The Log page: one form per entry type, defaults (now, the partner using the app), refusals shown under
their field with every value kept, and backdated times in the couple's zone stored as the right instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.compose import FORM_TYPES
from tests.dashboard.conftest import Store, form_children, open_page, submit

BERLIN = ZoneInfo("Europe/Berlin")


def field(kind: str, name: str) -> str:
    return f"form:ana-ben:{kind}:{name}"


def saved(at: AppTest) -> list[str]:
    return [s.value for s in at.success]


def arrange(store: Store, kind: str) -> dict[str, str]:
    """The entries a form of `kind` needs to refer to."""
    ids: dict[str, str] = {}
    if kind in ("conflict_resolved", "repair_offered"):
        ids["conflict"] = store.record(
            "conflict_started", hours_ago=5, by="ben", topic="chores", horsemen=[], intensity=2
        )
    if kind in ("repair_accepted", "repair_declined"):
        ids["attempt"] = store.record("repair_offered", hours_ago=3, by="ben", kind="apology")
    if kind in ("promise_kept", "promise_broken", "promise_renegotiated", "promise_released"):
        due = (store.now + timedelta(days=2)).isoformat()
        ids["promise"] = store.record(
            "promise_made", hours_ago=4, by="ana", description="call the bank", due_at=due
        )
    return ids


def fill(at: AppTest, kind: str, ids: dict[str, str], future: datetime) -> dict[str, Any]:
    """Fill the form of `kind`; return the fields the stored entry must hold."""
    key = lambda name: field(kind, name)  # noqa: E731
    if kind == "conflict_started":
        at.text_input(key=key("topic")).input("  Money ")
        at.toggle(key=key("horseman_criticism")).set_value(True)
        at.toggle(key=key("horseman_stonewalling")).set_value(True)
        at.select_slider(key=key("intensity")).set_value(4)
        at.text_area(key=key("note")).input("about the bills")
        return {
            "by": "ana",
            "topic": "money",
            "horsemen": ["criticism", "stonewalling"],
            "intensity": 4,
            "note": "about the bills",
        }
    if kind == "conflict_resolved":
        at.selectbox(key=key("conflict")).set_value(ids["conflict"])
        return {"conflict": ids["conflict"]}
    if kind == "repair_offered":
        at.radio(key=key("kind")).set_value("humor")
        at.selectbox(key=key("conflict")).set_value(ids["conflict"])
        return {"by": "ana", "kind": "humor", "conflict": ids["conflict"]}
    if kind in ("repair_accepted", "repair_declined"):
        at.selectbox(key=key("attempt")).set_value(ids["attempt"])
        return {"attempt": ids["attempt"], "logged_by": "ana"}
    if kind == "promise_made":
        at.text_input(key=key("description")).input("book the trip")
        at.datetime_input(key=key("due")).set_value(future.replace(tzinfo=None))
        return {"by": "ana", "description": "book the trip"}
    if kind in ("promise_kept", "promise_broken", "promise_released"):
        at.selectbox(key=key("promise")).set_value(ids["promise"])
        return {"promise": ids["promise"]}
    if kind == "promise_renegotiated":
        at.selectbox(key=key("promise")).set_value(ids["promise"])
        at.datetime_input(key=key("due")).set_value(future.replace(tzinfo=None))
        return {"promise": ids["promise"]}
    if kind == "check_in":
        at.radio(key=key("by")).set_value("ben")
        at.slider(key=key("closeness")).set_value(7)
        at.slider(key=key("trust")).set_value(6)
        for number, answer in enumerate((4, 3, 3, 4), start=1):
            at.radio(key=key(f"csi4_{number}")).set_value(answer)
        return {"by": "ben", "logged_by": "ana", "closeness": 7, "trust": 6, "csi4": [4, 3, 3, 4]}
    if kind == "bid_made":
        at.radio(key=key("response")).set_value("away")
        return {"by": "ana", "response": "away"}
    assert kind == "appreciation_expressed"
    at.text_area(key=key("note")).input("thank you for dinner")
    at.toggle(key=key("private")).set_value(True)
    return {"by": "ana", "note": "thank you for dinner", "private": True}


@pytest.mark.parametrize("kind", FORM_TYPES)
def test_each_entry_type_is_logged_through_its_form(couple: Store, kind: str) -> None:
    ids = arrange(couple, kind)
    before = len(couple.entries())
    at = open_page("log")
    at.button_group(key="log:kind:picker").set_value(kind).run()
    assert not saved(at)
    future = (couple.now + timedelta(days=3)).astimezone(BERLIN).replace(second=0, microsecond=0)
    expected = fill(at, kind, ids, future)
    submit(at)

    assert [e.value for e in at.error] == []
    assert len(saved(at)) == 1 and saved(at)[0].startswith("Saved:")
    entries = couple.entries()
    assert len(entries) == before + 1
    stored = entries[-1]
    assert stored["type"] == kind
    assert {k: stored.get(k) for k in expected} == expected
    assert stored["logged_by"] == "ana"
    assert couple.last_source() == "dashboard"
    # "when" left empty: it happened now (stored within the last minute)
    occurred = datetime.fromisoformat(stored["occurred_at"])
    assert timedelta(0) <= datetime.now(UTC) - occurred < timedelta(minutes=1)
    if "due_at" in stored:
        assert datetime.fromisoformat(stored["due_at"]) == future
    # the saved form is emptied
    assert at.datetime_input(key=field(kind, "when")).value is None


def test_a_refused_entry_shows_its_error_under_the_field_and_keeps_every_value(couple: Store) -> None:
    at = open_page("log")
    at.button_group(key="log:kind:picker").set_value("conflict_started").run()
    key = lambda name: field("conflict_started", name)  # noqa: E731
    at.text_input(key=key("topic")).input("   ")
    at.toggle(key=key("horseman_contempt")).set_value(True)
    at.select_slider(key=key("intensity")).set_value(5)
    at.text_area(key=key("note")).input("it got loud")
    submit(at)

    assert [e.value for e in at.error] == ["Please fill this in."]
    order = form_children(at)
    topic = order.index(("text_input", key("topic")))
    assert order[topic + 1] == ("error", "Please fill this in.")
    assert at.text_input(key=key("topic")).value == "   "
    assert at.toggle(key=key("horseman_contempt")).value is True
    assert at.select_slider(key=key("intensity")).value == 5
    assert at.text_area(key=key("note")).value == "it got loud"
    assert not saved(at)
    assert [e["type"] for e in couple.entries()] == ["couple_registered"]

    at.text_input(key=key("topic")).input("money")
    submit(at)
    assert [e.value for e in at.error] == []
    assert couple.last()["topic"] == "money"
    assert couple.last()["horsemen"] == ["contempt"]


def test_a_time_in_the_future_is_refused_under_the_time_field(couple: Store) -> None:
    at = open_page("log")
    when = field("check_in", "when")
    tomorrow = (
        (couple.now + timedelta(days=1)).astimezone(BERLIN).replace(tzinfo=None, second=0, microsecond=0)
    )
    at.datetime_input(key=when).set_value(tomorrow)
    at.slider(key=field("check_in", "closeness")).set_value(9)
    submit(at)

    [error] = [e.value for e in at.error]
    assert error.startswith("This lies in the future.")
    order = form_children(at)
    assert order[order.index(("date_time_input", when)) + 2] == ("error", error)  # after the zone caption
    assert at.datetime_input(key=when).value == tomorrow
    assert at.slider(key=field("check_in", "closeness")).value == 9


def test_half_answered_csi4_is_refused_and_keeps_the_answers(couple: Store) -> None:
    at = open_page("log")
    at.radio(key=field("check_in", "csi4_1")).set_value(5)
    submit(at)
    assert [e.value for e in at.error] == ["Please answer all four questions, or none of them."]
    assert at.radio(key=field("check_in", "csi4_1")).value == 5
    assert len(couple.entries()) == 1


def test_the_form_fills_in_the_partner_using_the_app_and_shows_the_zone(couple: Store) -> None:
    at = open_page("log", partner="ben")
    assert at.radio(key=field("check_in", "by")).value == "ben"
    assert any(c.value.startswith("In Europe/Berlin (now UTC+0") for c in at.caption)


# ------------------------------------------------------------------------------------------------
# Backdating across a change of the clocks (Europe/Berlin: forward on 31 Mar 2024, back on 27 Oct 2024; in the past whatever the clock)
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("local", "utc"),
    [
        (datetime(2024, 10, 26, 9, 0), "2024-10-26T07:00:00Z"),  # Saturday before: summer time
        (datetime(2024, 10, 28, 9, 0), "2024-10-28T08:00:00Z"),  # Monday after: winter time
        (datetime(2024, 3, 31, 3, 30), "2024-03-31T01:30:00Z"),  # just after the skipped hour
    ],
)
def test_a_backdated_entry_in_a_dst_week_is_stored_at_the_right_instant(
    couple: Store, local: datetime, utc: str
) -> None:
    at = open_page("log")
    at.datetime_input(key=field("check_in", "when")).set_value(local)
    submit(at)
    assert [e.value for e in at.error] == []
    assert couple.last()["occurred_at"] == utc


def test_a_repeated_hour_asks_which_one_and_stores_the_chosen_instant(couple: Store) -> None:
    at = open_page("log")
    when = field("check_in", "when")
    at.datetime_input(key=when).set_value(datetime(2024, 10, 27, 2, 30))
    submit(at)
    [error] = [e.value for e in at.error]
    assert error == (
        "02:30 on 27 Oct 2024 happened twice in Europe/Berlin: the clocks went back that night "
        "(UTC+02:00, then UTC+01:00). Choose which one you mean below and save again."
    )
    assert len(couple.entries()) == 1
    fold = at.radio(key=field("check_in", "when_fold"))
    assert fold.options == ["the first 02:30 (UTC+02:00)", "the second 02:30 (UTC+01:00)"]
    fold.set_value(1)
    submit(at)
    assert [e.value for e in at.error] == []
    assert couple.last()["occurred_at"] == "2024-10-27T01:30:00Z"

    at.datetime_input(key=when).set_value(datetime(2024, 10, 27, 2, 45))
    submit(at)
    at.radio(key=field("check_in", "when_fold")).set_value(0)
    submit(at)
    assert couple.last()["occurred_at"] == "2024-10-27T00:45:00Z"


def test_a_skipped_hour_is_refused_with_a_message(couple: Store) -> None:
    at = open_page("log")
    at.datetime_input(key=field("check_in", "when")).set_value(datetime(2024, 3, 31, 2, 30))
    submit(at)
    assert [e.value for e in at.error] == [
        "02:30 on 31 Mar 2024 did not happen in Europe/Berlin: the clocks jumped forward that night "
        "(from UTC+01:00 to UTC+02:00). Please pick a time outside the skipped hour."
    ]
    assert len(couple.entries()) == 1
    assert at.datetime_input(key=field("check_in", "when")).value == datetime(2024, 3, 31, 2, 30)


def test_without_a_couple_the_log_page_says_what_to_do_first(store: Store) -> None:
    at = open_page("log", couple=None)
    assert [i.value for i in at.info] == [
        "First choose your couple and say who is using the app now (or register as a new couple)."
    ]
