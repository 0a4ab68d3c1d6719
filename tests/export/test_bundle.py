"""The bundle holds every file, and its events.jsonl re-imports into an empty store with identical
metrics as of T (SPEC section 6), also around retractions."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest

from repairtrack.services.export import FILES, Bundle
from tests.export import scenarios
from tests.export.support import example_entries, lines, make_bundle, reimported_metrics
from tests.support.entries import at


@pytest.fixture(scope="module")
def example_bundle() -> Bundle:
    return make_bundle(example_entries(), "ana-ben")


def test_the_zip_holds_every_file_of_the_bundle(example_bundle: Bundle) -> None:
    with zipfile.ZipFile(io.BytesIO(example_bundle.zip_bytes())) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == sorted(FILES)
        assert all(archive.read(name) for name in FILES)


def test_events_reimport_with_identical_metrics_as_of_T(example_bundle: Bundle) -> None:
    metrics = orjson.loads(example_bundle.files["metrics.json"])

    assert reimported_metrics(example_bundle) == metrics
    assert metrics["as_of"] == "2027-01-01T00:00:00Z"


def test_metrics_json_is_the_metrics_object_as_of_T_over_the_window() -> None:
    bundle = make_bundle(example_entries(), "ana-ben", to_day=date(2026, 4, 1), window_days=14)
    metrics = orjson.loads(bundle.files["metrics.json"])

    assert metrics["as_of"] == "2026-04-01T21:59:59.999999Z"  # the end of 1 April in Berlin (+02:00)
    assert metrics["window_days"] == 14
    assert reimported_metrics(bundle) == metrics


def test_a_period_that_ends_before_a_retraction_keeps_the_retraction() -> None:
    # 2-0-e8 happened on 7 March; 2-0-e19 retracted it on 13 March.
    bundle = make_bundle(example_entries(), "ana-ben", to_day=date(2026, 3, 12))
    written = lines(bundle.files["events.jsonl"])
    ids = [e["id"] for e in written]

    assert "2-0-e8" in ids and "2-0-e19" in ids
    assert ids.index("2-0-e19") > ids.index("2-0-e8")
    assert reimported_metrics(bundle) == orjson.loads(bundle.files["metrics.json"])


def test_events_hold_what_happened_by_T_in_recording_order() -> None:
    entries = example_entries()
    bundle = make_bundle(entries, "ana-ben", to_day=date(2026, 3, 12))
    written = [e["id"] for e in lines(bundle.files["events.jsonl"])]
    limit = bundle.period.as_of.isoformat()
    by_id = {e["id"]: e for e in entries}

    expected_plain = [
        e["id"] for e in entries if e["type"] != "entry_retracted" and at_or_before(e["occurred_at"], limit)
    ]
    assert [i for i in written if by_id[i]["type"] != "entry_retracted"] == expected_plain
    assert all(by_id[i]["entry"] in written for i in written if by_id[i]["type"] == "entry_retracted")
    assert written == [e["id"] for e in entries if e["id"] in set(written)]


def at_or_before(moment: str, limit: str) -> bool:
    from datetime import datetime

    return datetime.fromisoformat(moment) <= datetime.fromisoformat(limit)


@pytest.mark.parametrize("last_day", [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 5), None])
def test_a_renegotiation_retracted_and_redone_reimports_identically(last_day: date | None) -> None:
    bundle = make_bundle(scenarios.renegotiation_retracted_and_redone(), "ana-ben", to_day=last_day)
    ids = [e["id"] for e in lines(bundle.files["events.jsonl"])]

    assert reimported_metrics(bundle) == orjson.loads(bundle.files["metrics.json"])
    if last_day == date(2026, 3, 2):  # T before the retraction, which comes along with its target
        assert ids == ["reg", "c1", "p1", "rn1", "x1"]


@pytest.mark.parametrize("last_day", [date(2026, 3, 2), date(2026, 3, 5)])
def test_a_retracted_conflict_reimports_identically(last_day: date) -> None:
    bundle = make_bundle(scenarios.conflict_retracted(), "ana-ben", to_day=last_day)
    metrics = orjson.loads(bundle.files["metrics.json"])

    assert reimported_metrics(bundle) == metrics
    assert metrics["conflicts"]["started"] == (0 if last_day == date(2026, 3, 2) else 1)
    assert metrics["repair"]["accepted"] == (1 if last_day == date(2026, 3, 2) else 2)


def test_weekly_files_hold_the_weeks_of_the_period_with_both_partners() -> None:
    import polars as pl

    bundle = make_bundle(example_entries(), "ana-ben", from_day=date(2026, 3, 11), to_day=date(2026, 3, 24))
    metrics = orjson.loads(bundle.files["metrics.json"])
    csv = pl.read_csv(io.BytesIO(bundle.files["weekly.csv"]))
    parquet = pl.read_parquet(io.BytesIO(bundle.files["weekly.parquet"]))

    assert csv["week_start"].to_list() == ["2026-03-09", "2026-03-16", "2026-03-23"]
    assert parquet["week_start"].cast(pl.String).to_list() == csv["week_start"].to_list()
    assert "by_partner.ana.mean_csi4" in parquet.columns and "by_partner.ben.check_ins" in csv.columns
    rows: dict[str, Any] = {r["week_start"]: r for r in metrics["weekly"]}
    for row in parquet.iter_rows(named=True):
        week = rows[row["week_start"].isoformat()]
        assert row["trust_consistency"] == week["trust_consistency"]
        assert row["by_partner.ben.check_ins"] == week["by_partner"]["ben"]["check_ins"]


def test_an_entry_logged_after_T_but_backdated_before_it_is_in_the_bundle() -> None:
    entries = scenarios.renegotiation_retracted_and_redone()
    late = {
        "type": "appreciation_expressed",
        "couple": "ana-ben",
        "id": "late",
        "by": "ben",
        "occurred_at": at(3),
    }
    bundle = make_bundle([*entries, late], "ana-ben", to_day=date(2026, 3, 2))

    assert [e["id"] for e in lines(bundle.files["events.jsonl"])][-1] == "late"
    assert reimported_metrics(bundle) == orjson.loads(bundle.files["metrics.json"])


def test_open_promises_are_those_open_at_T_with_their_current_due_time() -> None:
    from datetime import UTC, datetime, timedelta

    from repairtrack.services.export.period import end_of_day
    from repairtrack.services.export.queries import open_promises
    from tests.support.entries import T0
    from tests.support.stores import temporary_store

    berlin = ZoneInfo("Europe/Berlin")
    with (
        temporary_store(scenarios.renegotiation_retracted_and_redone()) as built,
        built.read_model.open() as view,
    ):
        first_evening = open_promises(view, "ana-ben", end_of_day(date(2026, 3, 2), berlin), 28)
        next_day = open_promises(view, "ana-ben", end_of_day(date(2026, 3, 3), berlin), 28)
        after_keeping = open_promises(view, "ana-ben", datetime(2026, 3, 6, tzinfo=UTC), 28)

    # rn1 (due +100 h) is retracted whenever that happened: p1 is due at its own +60 h on the first evening.
    assert [(p["id"], p["by"], p["due_at"]) for p in first_evening] == [
        ("p1", "ben", T0 + timedelta(hours=60))
    ]
    assert [p["due_at"] for p in next_day] == [T0 + timedelta(hours=80)]  # renegotiated again (rn2)
    assert first_evening[0]["description"] == "do the dishes"
    assert after_keeping == []


def test_a_couple_with_nothing_logged_yet_still_gets_a_whole_bundle() -> None:
    from tests.support.entries import registered

    bundle = make_bundle([registered()], "ana-ben", to_day=date(2026, 3, 20))
    metrics = orjson.loads(bundle.files["metrics.json"])

    assert sorted(bundle.files) == sorted(FILES)
    assert metrics["weekly"] == [] and bundle.weeks == 0
    assert bundle.period.first_day == date(2026, 3, 20)  # no first week: the period is the last day
    assert bundle.files["weekly.csv"].decode().startswith("week_start,")
    assert reimported_metrics(bundle) == metrics
