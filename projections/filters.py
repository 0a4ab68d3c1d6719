"""Which entries a timeline shows: the one description of a timeline query, built by pages, the command
line and the services alike and answered by the read model (`projections.readmodel.View.timeline`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

__all__ = ["EVERY_ENTRY", "TimelineFilter"]


@dataclass(frozen=True, slots=True)
class TimelineFilter:
    """Which entries a timeline shows: at most `limit` of them (newest first), of these `types`, by this
    `partner` (their own entries and those they logged for no one), with `since` <= occurred_at <= `until`.
    None (or no types) is no limit on that."""

    limit: int | None = None
    types: tuple[str, ...] | None = None
    partner: str | None = None
    since: datetime | None = None
    until: datetime | None = None


EVERY_ENTRY: Final = TimelineFilter()
