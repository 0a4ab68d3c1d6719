"""The period of a bundle: inclusive local dates, T at the end of the last day, refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from repairtrack.services.export.period import ExportRefused, end_of_day, parse_day, resolve_period

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def test_the_end_of_a_day_is_one_microsecond_before_the_next_local_midnight() -> None:
    end = end_of_day(date(2026, 3, 10), BERLIN)

    assert end == datetime(2026, 3, 10, 22, 59, 59, 999999, tzinfo=UTC)
    assert (end + timedelta(microseconds=1)).astimezone(BERLIN).time().isoformat() == "00:00:00"


def test_a_day_that_loses_an_hour_to_daylight_saving_still_ends_at_its_own_midnight() -> None:
    # 29 March 2026: Berlin moves from +01:00 to +02:00, the day has 23 hours.
    end = end_of_day(date(2026, 3, 29), BERLIN)

    assert end.astimezone(BERLIN).isoformat() == "2026-03-29T23:59:59.999999+02:00"


def test_T_is_the_end_of_the_to_day_and_the_period_holds_both_ends() -> None:
    period = resolve_period(
        timezone="Europe/Berlin",
        first_week=date(2026, 3, 2),
        now=NOW,
        from_day=date(2026, 3, 4),
        to_day=date(2026, 3, 12),
    )

    assert period.as_of == datetime(2026, 3, 12, 22, 59, 59, 999999, tzinfo=UTC)
    assert period.start.isoformat() == "2026-03-04T00:00:00+01:00"
    assert period.days == 9
    assert period.covers_week(date(2026, 3, 2)) and period.covers_week(date(2026, 3, 9))
    assert not period.covers_week(date(2026, 3, 16))


def test_without_dates_the_period_runs_from_the_first_week_to_now() -> None:
    period = resolve_period(timezone="Europe/Berlin", first_week=date(2026, 3, 2), now=NOW)

    assert period.as_of == NOW
    assert (period.first_day, period.last_day) == (date(2026, 3, 2), date(2026, 6, 1))
    assert not period.to_given


@pytest.mark.parametrize(
    ("from_day", "to_day", "field", "code"),
    [
        (date(2026, 3, 12), date(2026, 3, 4), "from", "period.reversed"),
        (date(2026, 7, 1), None, "from", "period.reversed"),
        (None, date(2026, 6, 2), "to", "date.future"),
    ],
)
def test_a_period_that_cannot_be_is_refused_naming_the_field(
    from_day: date | None, to_day: date | None, field: str, code: str
) -> None:
    with pytest.raises(ExportRefused) as refused:
        resolve_period(timezone="Europe/Berlin", first_week=None, now=NOW, from_day=from_day, to_day=to_day)

    assert (refused.value.field, refused.value.code) == (field, code)
    assert str(refused.value).startswith(f"{field}: {code}: ")


def test_a_date_that_is_not_a_date_is_refused() -> None:
    with pytest.raises(ExportRefused, match=r"^to: date\.invalid: '2026-02-30'"):
        parse_day("2026-02-30", "to")
    assert parse_day(None, "to") is None
    assert parse_day("2026-02-28", "to") == date(2026, 2, 28)
