"""Small builders for entries in the interchange format, with times as hours after a fixed start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday, well before the test clock's "now"
COUPLE = "ana-ben"


def at(hours: float = 0.0) -> str:
    return (T0 + timedelta(hours=hours)).isoformat()


def entry(
    entry_type: str, entry_id: str | None, hours: float = 0.0, couple: str = COUPLE, **fields: Any
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": entry_type,
        "couple": couple,
        "occurred_at": at(hours),
        **fields,
    }
    if entry_id is not None:
        item["id"] = entry_id
    return item


def registered(
    couple: str = COUPLE, timezone: str = "Europe/Berlin", entry_id: str = "reg", **extra: Any
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "partners": [{"handle": "ana", "name": "Ana"}, {"handle": "ben", "name": "Ben"}],
        "timezone": timezone,
    }
    return entry("couple_registered", entry_id, -1, couple=couple, **(fields | extra))


def conflict(entry_id: str, hours: float = 0, by: str = "ana", **extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"by": by, "topic": "money", "horsemen": [], "intensity": 3}
    return entry("conflict_started", entry_id, hours, **(fields | extra))


def resolved(entry_id: str, of: str, hours: float = 1, **extra: Any) -> dict[str, Any]:
    return entry("conflict_resolved", entry_id, hours, conflict=of, **extra)


def offer(entry_id: str, hours: float = 0, by: str = "ana", **extra: Any) -> dict[str, Any]:
    return entry("repair_offered", entry_id, hours, **({"by": by, "kind": "apology"} | extra))


def accepted(entry_id: str, of: str, hours: float = 1, **extra: Any) -> dict[str, Any]:
    return entry("repair_accepted", entry_id, hours, attempt=of, **extra)


def declined(entry_id: str, of: str, hours: float = 1, **extra: Any) -> dict[str, Any]:
    return entry("repair_declined", entry_id, hours, attempt=of, **extra)


def promise(
    entry_id: str, hours: float = 0, due: float = 24, by: str = "ben", **extra: Any
) -> dict[str, Any]:
    fields = {"by": by, "description": "do the dishes", "due_at": at(due)}
    return entry("promise_made", entry_id, hours, **(fields | extra))


def kept(entry_id: str, of: str, hours: float = 1, **extra: Any) -> dict[str, Any]:
    return entry("promise_kept", entry_id, hours, promise=of, **extra)


def broken(entry_id: str, of: str, hours: float = 1, **extra: Any) -> dict[str, Any]:
    return entry("promise_broken", entry_id, hours, promise=of, **extra)


def renegotiated(entry_id: str, of: str, hours: float = 1, due: float = 48, **extra: Any) -> dict[str, Any]:
    return entry("promise_renegotiated", entry_id, hours, promise=of, due_at=at(due), **extra)


def released(entry_id: str, of: str, hours: float = 1, **extra: Any) -> dict[str, Any]:
    return entry("promise_released", entry_id, hours, promise=of, **extra)


def check_in(entry_id: str | None, hours: float = 0, by: str = "ana", **extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"by": by, "closeness": 6, "trust": 5}
    return entry("check_in", entry_id, hours, **(fields | extra))


def bid(
    entry_id: str, hours: float = 0, by: str = "ana", response: str = "toward", **extra: Any
) -> dict[str, Any]:
    return entry("bid_made", entry_id, hours, by=by, response=response, **extra)


def appreciation(entry_id: str, hours: float = 0, by: str = "ana", **extra: Any) -> dict[str, Any]:
    return entry("appreciation_expressed", entry_id, hours, by=by, **extra)


def retracted(entry_id: str, target: str, hours: float = 2, **extra: Any) -> dict[str, Any]:
    return entry("entry_retracted", entry_id, hours, entry=target, **extra)
