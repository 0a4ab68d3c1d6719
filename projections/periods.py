"""Times in the couple's time zone: the end of a calendar day, today, and the periods the timeline is
read over (`local_text` is in projections.formatting)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo


def end_of_day(day: date, zone: str) -> datetime:
    """The last instant of a calendar day in the couple's time zone (one microsecond before the next
    midnight there), as an aware UTC time."""
    tz = ZoneInfo(zone)
    midnight = datetime.combine(day + timedelta(days=1), time(0), tz)
    return midnight.astimezone(UTC) - timedelta(microseconds=1)


def today(zone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


PERIODS: Final = {
    "all": "All time",
    "7": "Last 7 days",
    "28": "Last 28 days",
    "90": "Last 90 days",
    "dates": "Dates…",
}


def period_bounds(
    period: str, dates: Sequence[date], zone: str, now: datetime
) -> tuple[datetime | None, datetime | None]:
    """The (since, until) instants of a timeline period: the last N days up to now, or whole calendar
    days in the couple's zone from the first to the last chosen date."""
    if period.isdigit():
        return now - timedelta(days=int(period)), None
    if period == "dates" and dates:
        first, last = min(dates), max(dates)
        start = datetime.combine(first, time(0), ZoneInfo(zone)).astimezone(UTC)
        return start, end_of_day(last, zone)
    return None, None
