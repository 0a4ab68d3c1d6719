"""The couple's rhythm (SPEC section 11): the weekly check-in they chose and what is due for one partner in
the next 7 days. `repairtrack.services.couples.Couples` answers through these functions once it has checked
that the actor sees the couple; the checks of who may do what beyond that are here.

The check-in rhythm is an event of the couple's access record (`domain.access.CoupleAccess`), not an entry
of SPEC section 3: no metric and no `events.jsonl` sees it. Its time is local to the couple's zone, so the
check-in keeps its hour of the day across a change of daylight saving time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.access import WEEKDAYS
from domain.access_app import Rhythm
from domain.errors import Refusal
from domain.interface import Registration
from projections.filters import TimelineFilter
from projections.readmodel import View
from repairtrack.bootstrap import Services
from repairtrack.services import permissions as rules
from repairtrack.services.actors import Actor

DUE_SOON = timedelta(days=7)


def week_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """The first instant of the ISO week (Monday 00:00 in the couple's zone) holding `moment`, in UTC."""
    local = moment.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0), zone).astimezone(UTC)


def first_check_in(rhythm: Rhythm, zone: ZoneInfo) -> datetime:
    """The first check-in on or after the moment the rhythm was chosen, in the couple's zone: the start of
    the weekly series (so the same choice always gives the same series)."""
    return next_check_in(rhythm, zone, rhythm.at, inclusive=True)


def next_check_in(rhythm: Rhythm, zone: ZoneInfo, after: datetime, *, inclusive: bool = False) -> datetime:
    """The next check-in after `after` (or at it, when `inclusive`), in the couple's zone."""
    local = after.astimezone(zone)
    hour, minute = (int(part) for part in rhythm.time.split(":"))
    day = local.date() + timedelta(days=(rhythm.weekday - local.weekday()) % 7)
    while True:
        candidate = datetime.combine(day, time(hour, minute), zone)
        if candidate > local or (inclusive and candidate == local):
            return candidate
        day += timedelta(days=7)


def rhythm_row(rhythm: Rhythm, registration: Registration, now: datetime) -> dict[str, Any]:
    """`{"weekday", "day", "time", "timezone", "by", "at", "next_at"}` (times in UTC ISO)."""
    zone = ZoneInfo(registration.timezone)
    return {
        "weekday": rhythm.weekday,
        "day": WEEKDAYS[rhythm.weekday],
        "time": rhythm.time,
        "timezone": registration.timezone,
        "by": rhythm.by,
        "at": _iso(rhythm.at),
        "next_at": _iso(next_check_in(rhythm, zone, now)),
    }


def check_partner(actor: Actor) -> None:
    """The rhythm and what is due belong to the couple's partners (a counselor neither sets nor reads it)."""
    if actor.kind == "counselor":
        raise rules.NotAllowed(
            "couple", "access.partners_only", "only the partners of a couple choose their check-in"
        )


def set_rhythm(
    services: Services,
    actor: Actor,
    registration: Registration,
    weekday: int,
    local_time: str | time,
    now: datetime,
) -> dict[str, Any]:
    check_partner(actor)
    chosen = services.access.choose_rhythm(registration.handle, weekday, local_time, by=_who(actor))
    return rhythm_row(chosen, registration, now)


def clear_rhythm(services: Services, actor: Actor, registration: Registration) -> bool:
    check_partner(actor)
    return services.access.clear_rhythm(registration.handle, by=_who(actor))


def rhythm(
    services: Services, actor: Actor, registration: Registration, now: datetime
) -> dict[str, Any] | None:
    check_partner(actor)
    found = services.access.rhythm(registration.handle)
    return None if found is None else rhythm_row(found, registration, now)


def rhythm_history(services: Services, actor: Actor, registration: Registration) -> list[dict[str, Any]]:
    check_partner(actor)
    return [
        {
            "what": change.what,
            "by": change.by,
            "at": _iso(change.at),
            "weekday": change.weekday,
            "day": None if change.weekday is None else WEEKDAYS[change.weekday],
            "time": change.time,
        }
        for change in services.access.rhythm_history(registration.handle)
    ]


def due_soon(
    services: Services, actor: Actor, registration: Registration, now: datetime, view: View
) -> dict[str, Any]:
    """What is due for the actor's partner in (now, now + 7 days], and whether this week's check-in by
    them is still open (see `Couples.due_soon`)."""
    check_partner(actor)
    me = actor.partner
    if me is None or me not in registration.names:
        raise Refusal("partner", "field.missing", "say which partner is using the app first")
    handle, zone = registration.handle, ZoneInfo(registration.timezone)
    until = now + DUE_SOON
    other = next(h for h in registration.handles if h != me)
    promises, to_answer = [], []
    for row in view.open_promises(handle, as_of=now):
        shown = _promise(row, me, other)
        if now < row["due_at"] <= until:
            promises.append(shown)
        elif row["by"] == other and row["due_at"] <= now:
            to_answer.append(shown)
    attempts = [
        {
            "id": row["entry_id"],
            "by": row["by"],
            "kind": row.get("kind"),
            "occurred_at": _iso(row["occurred_at"]),
            "conflict": row.get("ref"),
        }
        for row in view.waiting(handle, me)["attempts"]
        if row["occurred_at"] <= now
    ]
    start = week_start(now, zone)
    done = [
        row
        for row in view.timeline(handle, TimelineFilter(types=("check_in",), since=start, until=now))
        if row["by"] == me and not row["retracted"]
    ]
    chosen = services.access.rhythm(handle)
    return {
        "partner": me,
        "from": _iso(now),
        "until": _iso(until),
        "promises": promises,
        "answers": {"attempts": attempts, "promises": to_answer},
        "check_in": {
            "week_start": start.astimezone(zone).date().isoformat(),
            "open": not done,
            "done_at": _iso(max(r["occurred_at"] for r in done)) if done else None,
            "next_at": None if chosen is None else _iso(next_check_in(chosen, zone, now)),
        },
    }


def _promise(row: dict[str, Any], me: str, other: str) -> dict[str, Any]:
    return {
        "id": row["entry_id"],
        "by": row["by"],
        "to": other if row["by"] == me else me,
        "mine": row["by"] == me,
        "description": row.get("description"),
        "due_at": _iso(row["due_at"]),
    }


def _who(actor: Actor) -> str:
    return actor.partner or actor.account or actor.kind


def _iso(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return moment.isoformat()
