"""From stored events back to the interchange format of SPEC section 3 (plain values out)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, tzinfo
from typing import Any

from domain.couple import Couple

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
