"""What the domain hands out: plain values, never the `Couple` aggregate. A registered couple as a
`Registration`, stored events back in the interchange format of SPEC section 3, and a
stored event's state brought up to its current version (for readers of the notification log)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, tzinfo
from typing import Any

from eventsourcing.utils import get_topic

from domain.couple import EVENTS, Couple

# Fields every event carries that are not fields of an entry.
_MACHINERY = {"originator_id", "originator_version", "timestamp", "originator_topic", "handle", "source"}


def iso(moment: datetime, zone: tzinfo | None = None) -> str:
    """ISO-8601 with the offset of `zone` (UTC, written as Z, when none is given)."""
    if zone is None:
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return moment.astimezone(zone).isoformat()


def entry_of_event(event: Couple.Event, couple: str, zone: tzinfo | None = None) -> dict[str, Any]:
    """The entry an event records: the fields of its type, absent ones left out, times with the
    couple's offset. Importing the result yields the same event again."""
    entry: dict[str, Any] = {"type": event.entry_type, "couple": couple, "id": event.entry_id}
    for field in dataclasses.fields(event):
        name = field.name
        if name in _MACHINERY or name == "entry_id":
            continue
        value = getattr(event, name)
        if value is None or (name == "private" and not value):
            continue
        entry[name] = iso(value, zone) if isinstance(value, datetime) else value
    return entry


@dataclasses.dataclass(frozen=True, slots=True)
class Partner:
    handle: str
    name: str


@dataclasses.dataclass(frozen=True, slots=True)
class Registration:
    """A registered couple (what never changes once registered): handle, time zone, and the two partners
    in registration order."""

    handle: str
    timezone: str
    partners: tuple[Partner, Partner]

    @property
    def handles(self) -> tuple[str, str]:
        return self.partners[0].handle, self.partners[1].handle

    @property
    def names(self) -> dict[str, str]:
        """Partner handle -> display name, in registration order."""
        return {p.handle: p.name for p in self.partners}


def registration_of(couple: Couple) -> Registration:
    first, second = (Partner(p["handle"], p["name"]) for p in couple.partners)
    return Registration(couple.handle, couple.timezone, (first, second))


_BY_TOPIC: dict[str, type[Couple.Event]] = {get_topic(cls): cls for cls in EVENTS.values()}

# The topic a couple's first event is stored under (its state holds the couple's `handle`).
REGISTERED_TOPIC = get_topic(EVENTS["couple_registered"])


def is_entry_topic(topic: str) -> bool:
    """Whether a stored event is one of a couple's entries (the store also holds accounts and access
    records, which no projection of entries reads)."""
    return topic in _BY_TOPIC


def upcast_stored(topic: str, state: dict[str, Any]) -> str:
    """Bring the state of a stored event (its `class_version` included, when any) up to the current
    version of its class, in place, the way the library's mapper does; return its entry type."""
    event_class = _BY_TOPIC[topic]
    version = state.pop("class_version", 1)
    while version < event_class.class_version:
        getattr(event_class, f"upcast_v{version}_v{version + 1}")(state)
        version += 1
    return event_class.entry_type
