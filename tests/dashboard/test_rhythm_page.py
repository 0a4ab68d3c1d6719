"""Rhythm & reminders: the weekly check-in chosen, changed and cleared (in the couple's zone); the
calendar feed turned on (its address shown once), replaced and turned off; the details switch (a new
address, the old one ends); the .ics download parses as iCalendar. Accounts mode signs in through
`dashboard.session.cookies`, as in tests/dashboard/test_accounts_pages.py."""

from __future__ import annotations

from datetime import UTC, datetime, time

import icalendar
from streamlit.runtime.memory_media_file_storage import _calculate_file_id
from streamlit.testing.v1 import AppTest

from repairtrack.services.actors import Actor
from repairtrack.services.calendar import DETAILS_WARNING, ics_download
from tests.dashboard.accounts import join, open_as
from tests.dashboard.conftest import COUPLE, Store, open_page, submit

HOSTILE_PROMISE = "<b>walk</b> **together** [x](http://evil.example)"


def choose(at: AppTest, weekday: int, moment: time, label: str) -> AppTest:
    at.selectbox(key="rhythm:day").set_value(weekday)
    at.time_input(key="rhythm:time").set_value(moment)
    return submit(at, label)


def feed_address(at: AppTest) -> list[str]:
    return [c.value for c in at.code if "/calendar/" in c.value]


def token_of(address: str) -> str:
    return address.rsplit("/calendar/", 1)[1].removesuffix(".ics")


def test_the_check_in_is_chosen_changed_and_cleared(couple: Store) -> None:
    at = open_page("rhythm")
    assert [t.value for t in at.title] == ["Rhythm & reminders"]
    assert "You have not chosen a check-in day yet." in [m.value for m in at.markdown]
    choose(at, 3, time(19, 30), "Choose this check-in")
    assert "Your check-in is now every Thursday at 19:30." in [s.value for s in at.success]
    stored = couple.services.access.rhythm(COUPLE)
    assert stored is not None and (stored.weekday, stored.time, stored.by) == (3, "19:30", "ana")
    assert any(
        m.value.startswith("Every **Thursday** at **19:30** (Europe/Berlin). The next one: **Thu ")
        for m in at.markdown
    )
    assert at.selectbox(key="rhythm:day").value == 3
    choose(at, 6, time(9, 0), "Change the check-in")
    stored = couple.services.access.rhythm(COUPLE)
    assert stored is not None and (stored.weekday, stored.time) == (6, "09:00")
    assert "Chosen by Ana on " in " ".join(c.value for c in at.caption)
    at.button(key="rhythm:clear").click().run()
    assert not at.exception
    assert couple.services.access.rhythm(COUPLE) is None
    assert "You have no weekly check-in day now." in [s.value for s in at.success]
    assert "You have not chosen a check-in day yet." in [m.value for m in at.markdown]


def test_open_mode_has_the_check_in_and_the_download_but_no_feed(couple: Store) -> None:
    at = open_page("rhythm")
    assert not [b for b in at.button if (b.key or "").startswith("rhythm:feed:")]
    assert [d.label for d in at.download_button] == ["Download .ics"]


def test_the_feed_is_turned_on_shown_once_replaced_and_turned_off(
    couple: Store, cookie: dict[str, str]
) -> None:
    accounts = couple.services.accounts
    at = open_as("rhythm", cookie, join(couple, "ana"))
    assert "Your calendar feed is off." in [m.value for m in at.markdown]
    at.button(key="rhythm:feed:on").click().run()
    assert not at.exception
    [address] = feed_address(at)
    assert address.endswith(".ics") and "/calendar/" in address
    first = token_of(address)
    found = accounts.account_for_calendar(first)
    assert found is not None and found.name == "ana"
    assert accounts.calendar_details("ana") is False
    assert "Your calendar feed is on, without names or descriptions." in [m.value for m in at.markdown]
    at.run()  # shown once
    assert feed_address(at) == []
    at.button(key="rhythm:feed:replace").click().run()
    [address] = feed_address(at)
    assert accounts.account_for_calendar(first) is None
    assert accounts.account_for_calendar(token_of(address)) is not None
    at.button(key="rhythm:feed:off").click().run()
    assert not at.exception
    assert accounts.account_for_calendar(token_of(address)) is None
    assert accounts.calendar_details("ana") is None
    assert "Your calendar feed is off." in [m.value for m in at.markdown]


def test_the_details_switch_says_what_it_means_and_gives_a_new_address(
    couple: Store, cookie: dict[str, str]
) -> None:
    accounts = couple.services.accounts
    at = open_as("rhythm", cookie, join(couple, "ana"))
    assert DETAILS_WARNING in [c.value for c in at.caption]
    assert at.toggle(key="rhythm:details").value is False
    at.toggle(key="rhythm:details").set_value(True).run()  # feed off: only the choice for turning on
    assert accounts.calendar_details("ana") is None and feed_address(at) == []
    at.button(key="rhythm:feed:on").click().run()
    [first] = feed_address(at)
    assert accounts.calendar_details("ana") is True
    assert "Your calendar feed is on, with details." in [m.value for m in at.markdown]
    at.toggle(key="rhythm:details").set_value(False).run()
    assert not at.exception
    [second] = feed_address(at)
    assert second != first and accounts.calendar_details("ana") is False
    assert accounts.account_for_calendar(token_of(first)) is None
    assert at.toggle(key="rhythm:details").value is False


def test_the_download_is_the_partners_calendar_as_icalendar(couple: Store, cookie: dict[str, str]) -> None:
    couple.record(
        "promise_made", by="ana", logged_by="ana", description=HOSTILE_PROMISE, due_at=couple.ago(-72)
    )
    couple.services.access.choose_rhythm(COUPLE, 2, "20:00", by="ben")
    at = open_as("rhythm", cookie, join(couple, "ana"))
    [button] = at.download_button
    assert button.label == "Download .ics"
    ana = Actor("partner", account="ana", name="Ana", couple=COUPLE, partner="ana")
    for details in (False, True):
        if details:
            at.toggle(key="rhythm:details").set_value(True).run()
            [button] = at.download_button
        served = ics_download(couple.services, ana, datetime.now(UTC), details=details)
        assert _calculate_file_id(served, "text/calendar", "repairtrack.ics") in button.proto.url
        calendar = icalendar.Calendar.from_ical(served)
        events = list(calendar.walk("VEVENT"))
        summaries = sorted(str(e["SUMMARY"]) for e in events)
        assert len(events) == 2 and "repairtrack: your weekly check-in" in summaries
        assert any(HOSTILE_PROMISE in s for s in summaries) is details
