"""The calendar feed of SPEC section 11, parsed back with `icalendar` and expanded with
`recurring-ical-events`: the weekly check-in keeps its local time across daylight saving changes, promises
follow their life cycle, UIDs and bytes are stable, and without details nothing personal is in it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from repairtrack.bootstrap import Services
from repairtrack.services import calendar
from repairtrack.services.couples import Couples
from tests.calendar.conftest import (
    COUPLE,
    FIRST,
    GREENHOUSE,
    HARPSICHORD,
    NAMES,
    NOW,
    PRIVATE_TEXTS,
    SECOND,
    actor,
    at,
    entry,
    open_store,
)
from tests.conftest import Clock

DISTINCTIVE = [
    "zephy", "barth", "lantern", "quillfeather", "bartholomew", "oakhaven", "ochre", "greenhouse",
    "marisol", "harpsichord", "invoices", "periwinkle", "umbrella", "waterproof", "kayak", "moonlit",
    "saxophone", "thistle", "glimmering",
]  # fmt: skip


def parsed(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def unfolded(body: bytes) -> str:
    """The feed's text with folded lines joined and iCalendar's escapes undone."""
    text = body.decode().replace("\r\n ", "").replace("\r\n\t", "")
    return re.sub(r"\\([,;\\nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def promises(body: bytes) -> dict[str, Any]:
    """UID -> VEVENT of every promise in the feed."""
    return {str(e["UID"]): e for e in parsed(body).walk("VEVENT") if str(e["UID"]).startswith("promise-")}


def feed_of(store: Services, partner: str = FIRST, when: datetime = NOW) -> bytes:
    return calendar.feed(store, f"{partner}-acc", when)


def record(store: Services, *entries: dict[str, Any]) -> None:
    store.app.record_batch(list(entries))


def test_a_feed_is_a_calendar_with_its_zone_and_one_event_per_open_promise(store: Services) -> None:
    body = feed_of(store)
    cal = parsed(body)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == calendar.PRODID
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    found = promises(body)
    assert len(found) == 3  # the greenhouse, the harpsichord, the umbrella: by and to this partner
    due = sorted(e.DTSTART.astimezone(UTC) for e in found.values())
    assert due == [NOW + timedelta(days=2), NOW + timedelta(days=5), NOW + timedelta(days=20)]
    for event in found.values():
        assert event.DTSTART.tzinfo.key == "Europe/Berlin"  # DTSTART;TZID=Europe/Berlin
        (alarm,) = event.walk("VALARM")
        assert alarm["TRIGGER"].dt == timedelta(days=-1)
        assert str(event["SUMMARY"]) == calendar.PROMISE_SUMMARY
    assert b"RRULE" not in body  # no check-in until they choose one
    assert b"DTSTART;TZID=Europe/Berlin:20260603T140000" in body


def test_the_other_partner_sees_the_same_promises_under_the_same_uids(store: Services) -> None:
    assert promises(feed_of(store, FIRST)).keys() == promises(feed_of(store, SECOND)).keys()


def test_same_state_same_bytes_and_uids_stay(store: Services) -> None:
    first = feed_of(store)
    assert feed_of(store) == first
    assert feed_of(store, when=NOW + timedelta(hours=3)) == first
    record(store, entry("appreciation_expressed", "a9", timedelta(0), by=FIRST))  # nothing of the feed
    assert feed_of(store) == first


def test_without_details_no_name_handle_note_description_or_topic(store: Services, couples: Couples) -> None:
    couples.set_rhythm(actor(FIRST), COUPLE, 3, "20:15")
    for partner in NAMES:
        body = feed_of(store, partner)
        text = unfolded(body).casefold()
        raw = body.decode().casefold()
        for secret in PRIVATE_TEXTS:
            assert secret.casefold() not in text
        for word in DISTINCTIVE:
            assert word not in text, word
            assert word not in raw, word
        assert "repairtrack: a promise is due" in text


def test_with_details_the_description_and_names_appear(store: Services) -> None:
    token = store.accounts.calendar_token(f"{FIRST}-acc", details=True)
    status, _, body = calendar.calendar_response(store, token, NOW)
    assert status == 200
    text = unfolded(body)
    assert GREENHOUSE in text and HARPSICHORD in text
    assert f"{NAMES[FIRST]} promised {NAMES[SECOND]}: {GREENHOUSE}" in text
    descriptions = [str(e["DESCRIPTION"]) for e in promises(body).values()]
    assert any(GREENHOUSE in d for d in descriptions)  # parsed back, the escapes undone


def test_a_renegotiation_moves_the_event_under_the_same_uid(store: Services, now_clock: Clock) -> None:
    before = promises(feed_of(store))
    record(
        store,
        entry(
            "promise_renegotiated", "r1", timedelta(0), promise="p-greenhouse", due_at=at(timedelta(days=4))
        ),
    )
    after = promises(feed_of(store))
    assert after.keys() == before.keys()
    moved = [uid for uid in after if after[uid].DTSTART != before[uid].DTSTART]
    assert len(moved) == 1
    assert after[moved[0]].DTSTART.astimezone(UTC) == NOW + timedelta(days=4)
    assert int(after[moved[0]]["SEQUENCE"]) == 1


def test_kept_early_broken_released_and_retracted_promises_leave_the_feed(store: Services) -> None:
    record(
        store,
        {**entry("promise_made", "p-more", -timedelta(days=1), by=FIRST), "description": "x",
         "due_at": at(timedelta(days=3))},
        {**entry("promise_made", "p-last", -timedelta(days=1), by=SECOND), "description": "y",
         "due_at": at(timedelta(days=9))},
    )  # fmt: skip
    assert len(promises(feed_of(store))) == 5
    steps = [
        entry("promise_kept", "k1", timedelta(0), promise="p-greenhouse"),  # kept two days early
        entry("promise_broken", "b1", timedelta(0), promise="p-harpsichord"),
        entry("promise_released", "rel1", timedelta(0), promise="p-umbrella"),
        entry("entry_retracted", "x1", timedelta(0), entry="p-more"),
    ]
    for count, step in zip((4, 3, 2, 1), steps, strict=True):
        record(store, step)
        assert len(promises(feed_of(store))) == count
    (last,) = promises(feed_of(store)).values()
    assert last.DTSTART.astimezone(UTC) == NOW + timedelta(days=9)


def test_the_weekly_check_in_keeps_its_local_time_across_the_autumn_change_in_berlin(
    store: Services, couples: Couples
) -> None:
    couples.set_rhythm(actor(SECOND), COUPLE, 6, "09:30")  # Sundays at 09:30 in Berlin
    cal = parsed(feed_of(store))
    (weekly,) = [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("checkin-")]
    assert weekly["RRULE"]["FREQ"] == ["WEEKLY"]
    assert weekly.DTSTART.tzinfo.key == "Europe/Berlin"
    found = recurring_ical_events.of(cal).between(date(2026, 10, 11), date(2026, 11, 9))
    checks = [e.DTSTART for e in found if str(e["UID"]).startswith("checkin-")]
    zone = ZoneInfo("Europe/Berlin")
    assert [c.astimezone(zone).strftime("%a %H:%M") for c in checks] == ["Sun 09:30"] * 5  # Oct 11 .. Nov 8
    offsets = [c.astimezone(zone).utcoffset() for c in checks]
    assert offsets == [timedelta(hours=2)] * 2 + [timedelta(hours=1)] * 3
    assert checks[2].astimezone(UTC) == datetime(2026, 10, 25, 8, 30, tzinfo=UTC)  # the day of the change


def test_a_half_hour_zone_with_daylight_saving(tmp_path: Path) -> None:
    services = open_store(tmp_path, Clock(NOW), timezone="Australia/Adelaide")
    try:
        Couples(services).set_rhythm(actor(FIRST), COUPLE, 0, "07:45")  # Mondays 07:45 in Adelaide
        body = calendar.feed(services, f"{FIRST}-acc", NOW)
        cal = parsed(body)
        assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Australia/Adelaide"]
        zone = ZoneInfo("Australia/Adelaide")
        found = recurring_ical_events.of(cal).between(date(2026, 9, 20), date(2026, 10, 20))
        checks = [e.DTSTART for e in found if str(e["UID"]).startswith("checkin-")]
        assert {c.astimezone(zone).strftime("%a %H:%M") for c in checks} == {"Mon 07:45"}
        offsets = sorted({c.astimezone(zone).utcoffset() for c in checks})
        assert offsets == [timedelta(hours=9, minutes=30), timedelta(hours=10, minutes=30)]
        due = sorted(e.DTSTART for e in promises(body).values())
        assert due[0] == NOW + timedelta(days=2)  # the same instant, written in Adelaide's time
        assert due[0].utcoffset() == timedelta(hours=9, minutes=30)
        assert b"DTSTART;TZID=Australia/Adelaide:20260603T213000" in body
    finally:
        services.close()


def test_a_zone_without_daylight_saving(tmp_path: Path) -> None:
    services = open_store(tmp_path, Clock(NOW), timezone="Asia/Kolkata")
    try:
        Couples(services).set_rhythm(actor(FIRST), COUPLE, 4, "18:00")
        cal = parsed(calendar.feed(services, f"{FIRST}-acc", NOW))
        found = recurring_ical_events.of(cal).between(date(2026, 6, 1), date(2026, 7, 1))
        checks = [e.DTSTART for e in found if str(e["UID"]).startswith("checkin-")]
        assert [c.astimezone(UTC).strftime("%a %H:%M") for c in checks] == ["Fri 12:30"] * 4
    finally:
        services.close()


def test_a_changed_rhythm_moves_the_series_and_a_cleared_one_leaves(
    store: Services, couples: Couples
) -> None:
    couples.set_rhythm(actor(FIRST), COUPLE, 2, "19:30")
    first = [e for e in parsed(feed_of(store)).walk("VEVENT") if str(e["UID"]).startswith("checkin-")]
    couples.set_rhythm(actor(SECOND), COUPLE, 4, "08:00")
    second = [e for e in parsed(feed_of(store)).walk("VEVENT") if str(e["UID"]).startswith("checkin-")]
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in second]
    assert second[0]["RRULE"]["BYDAY"] == ["FR"]
    assert int(second[0]["SEQUENCE"]) == 1
    assert couples.clear_rhythm(actor(FIRST), COUPLE)
    assert b"RRULE" not in feed_of(store)


def test_the_download_holds_the_same_events(store: Services) -> None:
    assert calendar.ics_download(store, actor(FIRST), NOW) == feed_of(store)
