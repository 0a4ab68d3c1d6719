"""The `Couple` aggregate behind a handle, for tests of the write side's own state. The application hands
out plain values only (`RepairTrack.describe`, `exists`, `entries`); these tests look behind it."""

from __future__ import annotations

from eventsourcing.application import AggregateNotFoundError

from domain.application import RepairTrack
from domain.couple import Couple


def aggregate(app: RepairTrack, handle: str) -> Couple | None:
    try:
        found: Couple = app.repository.get(app.ids.couple_id(handle))
    except AggregateNotFoundError:
        return None
    return found
