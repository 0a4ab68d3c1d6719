"""The private calendar feed of SPEC section 11: `GET /calendar/<token>.ics`, an iCalendar file (RFC 5545)
with every open promise made by or to the partner (an event at its current due time, an alarm a day
before) and the couple's weekly check-in (a recurring event in the couple's zone, once they chose one).

Calendar services copy a feed to their own servers, so by default it says nothing personal: no names,
notes, descriptions or topics; a promise reads "repairtrack: a promise is due" with a link to the
dashboard. The partner may turn on "details in my calendar" (`Accounts.calendar_token(name, details=True)`).

The same state gives the same bytes: UIDs are keyed hashes of the couple and the promise (so a calendar
app updates an event rather than adding a second one), DTSTAMP is the event's last change, and the time
zone's description covers a fixed span (from the year of the earliest event to 2100).

"Open" here is the read model's: a promise with no outcome, not released, that exists as of now, whatever
its due time; a promise past its due time stays in the feed until it is kept, broken, released or
retracted (a calendar keeps the past as it was). The link is `REPAIRTRACK_PUBLIC_URL` when set, else the
address the feed was asked at (the server passes it), else a sentence without an address.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final
from uuid import UUID
from zoneinfo import ZoneInfo

import icalendar

from domain.interface import Registration
from projections.filters import TimelineFilter
from repairtrack.bootstrap import Services
from repairtrack.services.actors import Actor
from repairtrack.services.rhythm import first_check_in

PUBLIC_URL_VAR: Final = "REPAIRTRACK_PUBLIC_URL"
CALENDAR_NAMESPACE: Final = UUID("5e0f3a92-7c1d-5b48-9a6e-2d4c8b1f7e30")
PRODID: Final = "-//repairtrack//calendar feed 1//EN"
PROMISE_SUMMARY: Final = "repairtrack: a promise is due"
CHECK_IN_SUMMARY: Final = "repairtrack: your weekly check-in"
ALARM_TEXT: Final = "repairtrack: a promise is due tomorrow"
ZONE_UNTIL: Final = date(2100, 1, 1)  # due times lie before 2100 (SPEC section 3 limits)
CONTENT_TYPE: Final = "text/calendar; charset=utf-8"
DETAILS_WARNING: Final = (
    "Calendar services copy a feed to their own servers and keep it there. With details on, the names "
    "of you both and the words of each promise leave this store with it; with details off the feed says "
    "only that a promise is due."
)
NOT_FOUND_HEADERS: Final = {"content-type": "text/plain; charset=utf-8", "cache-control": "no-store"}


@dataclass(frozen=True, slots=True)
class FeedOwner:
    """Whose feed: a partner of a couple, and whether they chose details in their calendar."""

    couple: str
    partner: str
    details: bool


def feed_path(token: str) -> str:
    """The path that serves a feed token."""
    return f"/calendar/{token}.ics"


def feed(services: Services, account_name: str, now: datetime, *, link: str | None = None) -> bytes:
    """The feed of a partner's account, with or without details as the account chose (details off when
    it has no feed)."""
    info = services.accounts.account(account_name)
    if info is None or info.role != "partner" or info.couple is None or info.partner is None:
        raise LookupError("a calendar feed belongs to a partner's account")
    details = services.accounts.calendar_details(account_name)
    return build(services, FeedOwner(info.couple, info.partner, bool(details)), now, link=link)


def ics_download(
    services: Services, actor: Actor, now: datetime, *, details: bool | None = None, link: str | None = None
) -> bytes:
    """The same events as the feed, as a file to download once (for the dashboard). `details` None: as
    the account's feed chose (off without one, and in open mode)."""
    if actor.kind not in ("partner", "open") or actor.couple is None or actor.partner is None:
        raise LookupError("a calendar belongs to a partner")
    if details is None:
        chosen = services.accounts.calendar_details(actor.account) if actor.account else None
        details = bool(chosen)
    return build(services, FeedOwner(actor.couple, actor.partner, details), now, link=link)


def calendar_response(
    services: Services, token: str, now: datetime, *, link: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    """`GET /calendar/<token>.ics`: 200 and the feed, or 404 with no hint of why (an unknown, replaced or
    ended token, a disabled account, a couple gone)."""
    info = services.accounts.account_for_calendar(token)
    if info is None or info.couple is None or info.partner is None:
        return 404, dict(NOT_FOUND_HEADERS), b"Not found\n"
    details = bool(services.accounts.calendar_details(info.name))
    try:
        body = build(services, FeedOwner(info.couple, info.partner, details), now, link=link)
    except LookupError:
        return 404, dict(NOT_FOUND_HEADERS), b"Not found\n"
    headers = {
        "content-type": CONTENT_TYPE,
        "cache-control": "private, no-store",
        "referrer-policy": "no-referrer",
        "x-content-type-options": "nosniff",
        "content-disposition": 'inline; filename="repairtrack.ics"',
    }
    return 200, headers, body


# ----------------------------------------------------------------------------------------------
def build(services: Services, owner: FeedOwner, now: datetime, *, link: str | None = None) -> bytes:
    """The VCALENDAR of one partner's promises and the couple's check-in, as of `now`."""
    registration = services.app.describe(owner.couple)
    if registration is None or owner.partner not in registration.names:
        raise LookupError("no such couple")
    zone = ZoneInfo(registration.timezone)
    with services.read_model.open() as view:
        promises = view.open_promises(owner.couple, as_of=now)
        changes = view.timeline(owner.couple, TimelineFilter(types=("promise_renegotiated",), until=now))
    # Each promise is made by one partner to the other: every open promise is by or to this partner.
    events = [
        _promise_event(services, registration, row, changes, zone, owner.details, _link(link))
        for row in promises
    ]
    rhythm = services.access.rhythm(owner.couple)
    if rhythm is not None:
        events.append(_check_in_event(services, registration, rhythm, zone, owner.details, _link(link)))
    starts = [e.DTSTART.date() for e in events]
    first = date(min(starts).year if starts else now.astimezone(zone).year, 1, 1)

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "repairtrack")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    calendar.add_component(
        icalendar.Timezone.from_tzid(registration.timezone, first_date=first, last_date=ZONE_UNTIL)
    )
    for event in sorted(events, key=lambda e: str(e["UID"])):
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _promise_event(
    services: Services,
    registration: Registration,
    row: Mapping[str, Any],
    changes: list[dict[str, Any]],
    zone: ZoneInfo,
    details: bool,
    link: str | None,
) -> icalendar.Event:
    moved = [c for c in changes if c.get("ref") == row["entry_id"] and not c["retracted"]]
    stamp = max([row["recorded_at"], *(c["recorded_at"] for c in moved)])
    event = icalendar.Event()
    event.add("uid", _uid(services, "promise", registration.handle, str(row["entry_id"])))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("sequence", len(moved))
    event.add("dtstart", row["due_at"].astimezone(zone))
    event.add("duration", timedelta(minutes=15))
    event.add("transp", "TRANSPARENT")
    event.add("class", "PRIVATE")
    if details:
        names = registration.names
        by = names.get(str(row["by"]), "")
        to = next((n for h, n in names.items() if h != row["by"]), "")
        words = str(row.get("description") or "")
        event.add("summary", f"repairtrack: {words}" if words else PROMISE_SUMMARY)
        event.add("description", f"{by} promised {to}: {words}\n\n{_link_text(link)}")
    else:
        event.add("summary", PROMISE_SUMMARY)
        event.add("description", _link_text(link))
    if link:
        event.add("url", link)
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(days=-1))
    alarm.add("description", ALARM_TEXT)
    event.add_component(alarm)
    return event


def _check_in_event(
    services: Services,
    registration: Registration,
    rhythm: Any,
    zone: ZoneInfo,
    details: bool,
    link: str | None,
) -> icalendar.Event:
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[rhythm.weekday]
    event = icalendar.Event()
    event.add("uid", _uid(services, "checkin", registration.handle, "weekly"))
    event.add("dtstamp", rhythm.at.astimezone(UTC))
    event.add("sequence", max(rhythm.changes - 1, 0))
    event.add("dtstart", first_check_in(rhythm, zone))
    event.add("duration", timedelta(minutes=30))
    event.add("rrule", {"FREQ": "WEEKLY", "BYDAY": weekday})
    event.add("transp", "OPAQUE")
    event.add("class", "PRIVATE")
    event.add("summary", CHECK_IN_SUMMARY)
    if details:
        first, second = (p.name for p in registration.partners)
        event.add("description", f"The weekly check-in of {first} and {second}.\n\n{_link_text(link)}")
    else:
        event.add("description", _link_text(link))
    if link:
        event.add("url", link)
    return event


def _uid(services: Services, kind: str, couple: str, what: str) -> str:
    """A stable UID: a keyed hash (the store's id scheme, keyed when the store is encrypted) of the couple
    and the thing, telling a calendar service nothing of either."""
    digest = services.app.ids.aggregate_id(CALENDAR_NAMESPACE, f"{kind}\x00{couple}\x00{what}")
    return f"{kind}-{digest.hex}@repairtrack"


def _link(given: str | None) -> str | None:
    found = os.environ.get(PUBLIC_URL_VAR) or given
    if not found or not found.startswith(("https://", "http://")):
        return None
    return found.rstrip("/") + "/"


def _link_text(link: str | None) -> str:
    if link:
        return f"Open repairtrack to see what is due: {link}"
    return "Open repairtrack where you usually use it to see what is due."
