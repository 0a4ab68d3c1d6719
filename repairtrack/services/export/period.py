"""The period of a counselor bundle (SPEC section 6): `--from`/`--to` are inclusive dates in the
couple's time zone; T is the end of the `--to` day, or now when there is no `--to`.

"End of a day" is the last instant before the next local midnight: one microsecond before it. Day edges
are computed in Python with `zoneinfo` (the pinned `tzdata`), so a day that is 23 or 25 hours long
across a daylight-saving change still ends at its own midnight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.errors import Refusal

MICROSECOND = timedelta(microseconds=1)


class ExportRefused(Refusal, ValueError):
    """Input the export cannot work with; the message reads `field: code: detail`."""


@dataclass(frozen=True)
class Period:
    """The dates the report covers and the moment T the metrics are taken at."""

    first_day: date  # inclusive, in the couple's time zone
    last_day: date  # inclusive, in the couple's time zone
    start: datetime  # the first day's local midnight (aware, in the couple's zone)
    as_of: datetime  # T, aware UTC: the end of the last day, or the moment of export
    timezone: str
    to_given: bool  # whether T came from --to (end of day) or from the clock (now)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def covers_week(self, monday: date) -> bool:
        """Whether the ISO week starting on `monday` shares a day with the period."""
        return monday <= self.last_day and monday + timedelta(days=6) >= self.first_day


def parse_day(text: str | None, field: str) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ExportRefused(field, "date.invalid", f"{text!r} is not a date like 2026-03-01") from None


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone)


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """One microsecond before the next local midnight, as an aware UTC instant."""
    return (start_of_day(day + timedelta(days=1), zone).astimezone(UTC)) - MICROSECOND


def resolve_period(
    *,
    timezone: str,
    first_week: date | None,
    now: datetime,
    from_day: date | None = None,
    to_day: date | None = None,
) -> Period:
    """The period for `--from`/`--to` (either may be absent).

    Without `--to`, T is `now`; without `--from`, the period starts on the Monday of the couple's first
    week (`first_week`; the day of T when nothing is logged yet). A `--to` after today (in the couple's
    time zone) is refused: T would lie in the future, and promises due later would count as lapsed.
    """
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    if to_day is not None and to_day > today:
        raise ExportRefused(
            "to", "date.future", f"{to_day.isoformat()} is after today ({today.isoformat()} in {timezone})"
        )
    moment = end_of_day(to_day, zone) if to_day is not None else now.astimezone(UTC)
    last_day = to_day if to_day is not None else today
    first_day = from_day if from_day is not None else (first_week or last_day)
    if first_day > last_day:
        what = "--to" if to_day is not None else "today"
        raise ExportRefused(
            "from",
            "period.reversed",
            f"{first_day.isoformat()} is after {what} ({last_day.isoformat()})",
        )
    return Period(
        first_day=first_day,
        last_day=last_day,
        start=start_of_day(first_day, zone),
        as_of=moment,
        timezone=timezone,
        to_given=to_day is not None,
    )
