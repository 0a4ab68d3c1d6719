"""The weekly series in the couple's time zone (SPEC sections 2 and 4): ISO weeks Monday to Sunday in local
time, named by the local Monday date, across DST changes and in half-hour zones; and the weekly
trust_consistency as of the last instant of each local week. Expected values are worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.support.entries import COUPLE, appreciation, check_in, kept, promise, registered
from tests.support.stores import temporary_store

HALF_HOUR_IN_DAYS = (
    30 * 60 - 1e-6
) / 86400  # from a due time at 23:30 to the week's last instant (23:59:59.999999)


def approx(value: float) -> Any:
    return pytest.approx(value, rel=1e-6)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def dated(item: dict[str, Any], moment: str) -> dict[str, Any]:
    return item | {"occurred_at": moment}


def weekly(entries: list[dict[str, Any]], as_of: datetime) -> list[dict[str, Any]]:
    with temporary_store(entries) as store, store.read_model.open() as view:
        return view.metrics(COUPLE, as_of=as_of, window_days=28)["weekly"]


def rows(series: list[dict[str, Any]], key: str = "check_ins") -> list[tuple[str, Any]]:
    return [(row["week_start"], row[key]) for row in series]


# ------------------------------------------------------------------------- Europe/Berlin, spring forward


def test_berlin_spring_forward_sunday_2330_and_monday_0000_land_in_different_weeks() -> None:
    # 2026-03-29: clocks jump from 02:00 CET (+01:00) to 03:00 CEST (+02:00).
    entries = [
        registered(timezone="Europe/Berlin"),
        dated(check_in("c1", by="ana"), "2026-03-29T00:30:00Z"),  # Sun 01:30 CET -> week of 03-23
        dated(
            check_in("c2", by="ben"), "2026-03-29T23:30:00+02:00"
        ),  # Sun 23:30 CEST = 21:30Z -> week of 03-23
        dated(
            check_in("c3", by="ana"), "2026-03-30T00:00:00+02:00"
        ),  # Mon 00:00 CEST = 22:00Z -> week of 03-30
        dated(
            check_in("c4", by="ben"), "2026-03-29T22:30:00Z"
        ),  # Mon 00:30 CEST (a fixed +01:00 would say Sun 23:30)
    ]
    series = weekly(entries, utc("2026-03-31T12:00"))
    assert rows(series) == [("2026-03-23", 2), ("2026-03-30", 2)]
    assert series[0]["by_partner"]["ana"]["check_ins"] == 1
    assert series[0]["by_partner"]["ben"]["check_ins"] == 1


def test_berlin_week_start_is_the_local_monday_before_the_change() -> None:
    # Mon 2026-03-23 00:00 CET = 2026-03-22T23:00Z starts the week of 03-23; one minute earlier is Sunday 03-22
    entries = [
        registered(timezone="Europe/Berlin"),
        dated(appreciation("a1"), "2026-03-22T22:59:00Z"),
        dated(appreciation("a2"), "2026-03-22T23:00:00Z"),
    ]
    series = weekly(entries, utc("2026-03-24T00:00"))
    assert rows(series, "appreciations") == [("2026-03-16", 1), ("2026-03-23", 1)]


def test_berlin_promise_due_sunday_2330_in_the_dst_week_counts_in_that_week() -> None:
    # Due Sun 2026-03-29 23:30 CEST = 21:30Z, kept at 23:45 CEST = 21:45Z.
    # The week of 03-23 ends at Mon 03-30 00:00 CEST minus 1 us = 2026-03-29T21:59:59.999999Z.
    entries = [
        registered(timezone="Europe/Berlin"),
        dated(promise("p1", by="ben", due_at="2026-03-29T23:30:00+02:00"), "2026-03-25T12:00:00Z"),
        dated(kept("k1", "p1"), "2026-03-29T23:45:00+02:00"),
    ]
    t = utc("2026-04-01T21:30")  # Wednesday of the next week, exactly 3 days after the due time
    series = weekly(entries, t)
    assert rows(series, "promises_due") == [("2026-03-23", 1), ("2026-03-30", 0)]
    assert rows(series, "promises_kept") == [("2026-03-23", 1), ("2026-03-30", 0)]
    # week of 03-23 as of 21:59:59.999999Z: w = 0.5 ** ((30 min - 1 us) / 14 days) = 0.998969, x = 1
    #   score = 100 * (0.998969 + 1) / (0.998969 + 2) = 66.6552
    w = 0.5 ** (HALF_HOUR_IN_DAYS / 14)
    assert series[0]["trust_consistency"] == approx(100 * (w + 1) / (w + 2))
    # week of T, as of T: w = 0.5 ** (3/14) = 0.86197, x = 1 -> 100 * 1.86197 / 2.86197 = 65.0591
    w_t = 0.5 ** (3 / 14)
    assert series[1]["trust_consistency"] == approx(100 * (w_t + 1) / (w_t + 2))


# ---------------------------------------------------------------------------- America/New_York, fall back


def test_new_york_fall_back_sunday_2330_and_monday_0000_land_in_different_weeks() -> None:
    # 2026-11-01: clocks fall back from 02:00 EDT (-04:00) to 01:00 EST (-05:00).
    entries = [
        registered(timezone="America/New_York"),
        dated(check_in("c0"), "2026-10-26T03:59:00Z"),  # Sun 10-25 23:59 EDT -> week of 10-19
        dated(check_in("c1"), "2026-10-26T04:00:00Z"),  # Mon 10-26 00:00 EDT -> week of 10-26
        dated(
            check_in("c2", by="ben"), "2026-11-01T23:30:00-05:00"
        ),  # Sun 23:30 EST = 11-02T04:30Z -> week of 10-26
        dated(check_in("c3", by="ben"), "2026-11-02T05:00:00Z"),  # Mon 11-02 00:00 EST -> week of 11-02
    ]
    series = weekly(entries, utc("2026-11-03T12:00"))
    assert rows(series) == [("2026-10-19", 1), ("2026-10-26", 2), ("2026-11-02", 1)]


def test_new_york_trust_consistency_of_the_fall_back_week_is_as_of_its_last_instant() -> None:
    # Week of 10-26 ends at Mon 11-02 00:00 EST minus 1 us = 2026-11-02T04:59:59.999999Z.
    # p1 due Sun 11-01 23:30 EST (04:30Z), no outcome: inside that week's score.
    # p2 due Mon 11-02 00:00 EST (05:00Z), no outcome: after that week's last instant, not in its score.
    entries = [
        registered(timezone="America/New_York"),
        dated(promise("p1", by="ana", due_at="2026-11-02T04:30:00Z"), "2026-10-28T12:00:00Z"),
        dated(promise("p2", by="ben", due_at="2026-11-02T05:00:00Z"), "2026-10-28T12:00:00Z"),
    ]
    series = weekly(entries, utc("2026-11-04T12:00"))
    assert [row["week_start"] for row in series] == ["2026-10-26", "2026-11-02"]
    # week of 10-26: p1 only, w = 0.5 ** ((30 min - 1 us) / 14 days) = 0.998969, x = 0
    #   score = 100 / (0.998969 + 2) = 33.3448
    w = 0.5 ** (HALF_HOUR_IN_DAYS / 14)
    assert series[0]["trust_consistency"] == approx(100 / (w + 2))
    assert rows(series, "promises_due") == [("2026-10-26", 1), ("2026-11-02", 1)]
    # week of T, as of T = 11-04T12:00Z: p1 is 2 d 7.5 h = 2.3125 days old, p2 2 d 7 h = 2.291667 days
    #   w1 = 0.5 ** (2.3125/14) = 0.89182, w2 = 0.5 ** (2.291667/14) = 0.89274; score = 100 / (w1 + w2 + 2) = 26.4232
    w1 = 0.5 ** (2.3125 / 14)
    w2 = 0.5 ** ((2 + 7 / 24) / 14)
    assert series[1]["trust_consistency"] == approx(100 / (w1 + w2 + 2))


# --------------------------------------------------------------------------------- Asia/Kolkata, +05:30


def test_kolkata_sunday_1845_utc_is_already_monday() -> None:
    entries = [
        registered(timezone="Asia/Kolkata"),
        dated(check_in("c1"), "2026-03-08T18:15:00Z"),  # Sun 23:45 IST -> week of 03-02
        dated(check_in("c2"), "2026-03-08T18:30:00Z"),  # Mon 00:00 IST -> week of 03-09
        dated(check_in("c3", by="ben"), "2026-03-08T18:45:00Z"),  # Mon 00:15 IST -> week of 03-09
    ]
    series = weekly(entries, utc("2026-03-10T00:00"))
    assert rows(series) == [("2026-03-02", 1), ("2026-03-09", 2)]


def test_kolkata_the_week_containing_T_is_local() -> None:
    # T = Sun 2026-03-15T18:45Z = Mon 03-16 00:15 IST: the series reaches the week of 03-16
    entries = [registered(timezone="Asia/Kolkata"), dated(check_in("c1"), "2026-03-10T06:00:00Z")]
    series = weekly(entries, utc("2026-03-15T18:45"))
    assert rows(series) == [("2026-03-09", 1), ("2026-03-16", 0)]


def test_kolkata_weekly_trust_consistency_counts_a_promise_due_sunday_2330() -> None:
    # due Sun 03-08 23:30 IST = 18:00Z, no outcome; the week ends at 18:29:59.999999Z
    entries = [
        registered(timezone="Asia/Kolkata"),
        dated(promise("p1", due_at="2026-03-08T23:30:00+05:30"), "2026-03-04T12:00:00Z"),
    ]
    series = weekly(entries, utc("2026-03-10T18:00"))
    w = 0.5 ** (HALF_HOUR_IN_DAYS / 14)
    # week of 03-02: 100 / (0.998969 + 2) = 33.3448; week of T (2 days after due): w = 0.5 ** (2/14) = 0.90572,
    # 100 / 2.90572 = 34.4148
    assert series[0]["week_start"] == "2026-03-02"
    assert series[0]["trust_consistency"] == approx(100 / (w + 2))
    assert series[1]["trust_consistency"] == approx(100 / (0.5 ** (2 / 14) + 2))


# ------------------------------------------------------------------ Australia/Adelaide, +10:30 / +09:30


def test_adelaide_in_summer_time_plus_10_30() -> None:
    entries = [
        registered(timezone="Australia/Adelaide"),
        dated(check_in("c1"), "2026-03-08T13:29:00Z"),  # Sun 23:59 ACDT -> week of 03-02
        dated(check_in("c2"), "2026-03-08T13:30:00Z"),  # Mon 00:00 ACDT -> week of 03-09
        dated(check_in("c3"), "2026-03-08T18:45:00Z"),  # Mon 05:15 ACDT -> week of 03-09
    ]
    series = weekly(entries, utc("2026-03-10T00:00"))
    assert rows(series) == [("2026-03-02", 1), ("2026-03-09", 2)]


def test_adelaide_across_the_end_of_summer_time_plus_9_30() -> None:
    # 2026-04-05 03:00 ACDT -> 02:00 ACST. The week of 03-30 ends at Mon 04-06 00:00 ACST = 04-05T14:30Z.
    entries = [
        registered(timezone="Australia/Adelaide"),
        dated(
            check_in("c1"), "2026-04-05T14:00:00Z"
        ),  # Sun 23:30 ACST (a fixed +10:30 would say Monday) -> 03-30
        dated(check_in("c2"), "2026-04-05T14:30:00Z"),  # Mon 00:00 ACST -> week of 04-06
        dated(check_in("c3"), "2026-04-12T18:45:00Z"),  # Mon 04-13 04:15 ACST -> week of 04-13
    ]
    series = weekly(entries, utc("2026-04-13T00:00"))
    assert rows(series) == [("2026-03-30", 1), ("2026-04-06", 1), ("2026-04-13", 1)]
