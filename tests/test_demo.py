"""The demo generator: reproducible by seed and end date, every entry valid, every entry type shown,
and a couple whose repair acceptance and promise keeping get better over its history (computed here
from the entries by the definitions of SPEC section 4, since the read side is built elsewhere)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from domain.application import RepairTrack
from domain.vocabulary import ENTRY_TYPES
from repairtrack.bootstrap import build_app, settings_for
from repairtrack.services.demo import generate, generate_couples
from tests.support.aggregate import aggregate
from tests.support.cli import run_cli
from tests.support.entries import registered
from tests.support.reference import PARENT
from tests.support.stores import stored_in

UNTIL = date(2026, 6, 1)  # the history ends as this day starts; the test clock is noon UTC that day
WINDOW = timedelta(days=28)
# End dates for the properties that must hold whatever day `repairtrack demo` runs on.
MANY_ENDS = [UNTIL - timedelta(days=9 * k) for k in range(12)]


# ----------------------------------------------------------------------------------------------
# Reproducible
# ----------------------------------------------------------------------------------------------
def test_the_same_seed_and_end_date_give_the_same_entries() -> None:
    assert generate(seed=7, couples=2, days=60, until=UNTIL) == generate(
        seed=7, couples=2, days=60, until=UNTIL
    )


def test_different_seeds_give_different_entries() -> None:
    assert generate(seed=7, days=60, until=UNTIL) != generate(seed=8, days=60, until=UNTIL)


def test_the_couples_of_one_demo_differ_from_each_other() -> None:
    first, second = generate_couples(seed=7, couples=2, days=60, until=UNTIL)

    assert [e["couple"] for e in first[:1] + second[:1]] == ["demo-0000", "demo-0001"]
    assert [{k: v for k, v in e.items() if k != "couple"} for e in first] != [
        {k: v for k, v in e.items() if k != "couple"} for e in second
    ]


def test_generate_is_every_couple_of_generate_couples_in_turn() -> None:
    streams = list(generate_couples(seed=4, couples=3, days=30, until=UNTIL))

    assert generate(seed=4, couples=3, days=30, until=UNTIL) == [e for s in streams for e in s]


def test_the_history_ends_before_the_end_date_starts_in_the_couples_time_zone() -> None:
    for stream in generate_couples(seed=9, couples=6, days=40, until=UNTIL):
        zone = ZoneInfo(stream[0]["timezone"])
        end = datetime.combine(UNTIL, datetime.min.time(), zone)
        start = datetime.combine(UNTIL - timedelta(days=40), datetime.min.time(), zone)
        times = [datetime.fromisoformat(e["occurred_at"]) for e in stream]
        assert all(start <= t < end for t in times)
        assert stream[0]["type"] == "couple_registered"


# ----------------------------------------------------------------------------------------------
# Valid
# ----------------------------------------------------------------------------------------------
def test_every_generated_entry_passes_the_rules(app: RepairTrack) -> None:
    entries = generate(seed=11, couples=3, days=120, until=UNTIL)

    ids = app.record_batch(entries)

    assert len(ids) == len(entries) > 3 * 400
    assert app.recorder.max_notification_id() == len(entries)
    for handle in ("demo-0000", "demo-0001", "demo-0002"):
        couple = aggregate(app, handle)
        assert couple is not None
        assert couple.version == sum(1 for e in entries if e["couple"] == handle)


@pytest.mark.parametrize("until", MANY_ENDS[1:6], ids=str)
def test_the_default_demo_passes_the_rules_whatever_its_end_date(app: RepairTrack, until: date) -> None:
    entries = generate(until=until)

    assert len(app.record_batch(entries)) == len(entries)


# ----------------------------------------------------------------------------------------------
# Every entry type
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("until", MANY_ENDS, ids=str)
def test_every_entry_type_appears_in_the_default_demo(until: date) -> None:
    entries = generate(until=until)

    assert {e["type"] for e in entries} == set(ENTRY_TYPES)


def test_the_default_demo_shows_notes_private_notes_csi4_and_backdated_entries() -> None:
    entries = generate(until=UNTIL)

    assert any(e.get("note") for e in entries)
    assert any(e.get("private") for e in entries)
    assert any(e.get("csi4") for e in entries if e["type"] == "check_in")
    times = [datetime.fromisoformat(e["occurred_at"]) for e in entries]
    assert any(later < earlier for earlier, later in itertools.pairwise(times))


# ----------------------------------------------------------------------------------------------
# Getting better: repair acceptance and promise keeping, by SPEC section 4
# ----------------------------------------------------------------------------------------------
@dataclass
class History:
    """A couple's entries as the metrics see them: retracted ones (and what depends on them) gone."""

    entries: list[dict[str, Any]]

    def __post_init__(self) -> None:
        targets = {e["entry"] for e in self.entries if e["type"] == "entry_retracted"}
        self.order = {e["id"]: n for n, e in enumerate(self.entries)}
        self.live = [
            e
            for e in self.entries
            if e["type"] != "entry_retracted"
            and e["id"] not in targets
            and e.get(PARENT.get(e["type"], ""), None) not in targets
        ]

    @staticmethod
    def at(entry: dict[str, Any], key: str = "occurred_at") -> datetime:
        return datetime.fromisoformat(entry[key])

    def by_t(self, t: datetime, *types: str) -> list[dict[str, Any]]:
        return [e for e in self.live if e["type"] in types and self.at(e) <= t]

    def acceptance_rate(self, t: datetime) -> float | None:
        """Attempts offered in (T - 28 d, T]; accepted / (accepted + declined) by T."""
        offered = {e["id"] for e in self.by_t(t, "repair_offered") if self.at(e) > t - WINDOW}
        outcomes = [
            e["type"] for e in self.by_t(t, "repair_accepted", "repair_declined") if e["attempt"] in offered
        ]
        accepted, declined = outcomes.count("repair_accepted"), outcomes.count("repair_declined")
        return accepted / (accepted + declined) if accepted + declined else None

    def current_due(self, promise: dict[str, Any], t: datetime) -> datetime:
        """The due_at of the renegotiation with the latest occurred_at <= T (ties: recorded later)."""
        renegotiations = [r for r in self.by_t(t, "promise_renegotiated") if r["promise"] == promise["id"]]
        if not renegotiations:
            return self.at(promise, "due_at")
        latest = max(renegotiations, key=lambda r: (self.at(r), self.order[r["id"]]))
        return self.at(latest, "due_at")

    def keeping_rate(self, t: datetime) -> float | None:
        """Non-released promises whose current due time lies in (T - 28 d, T]: kept / (kept + broken
        + lapsed), outcomes by T."""
        released = {e["promise"] for e in self.by_t(t, "promise_released")}
        outcome = {e["promise"]: e["type"] for e in self.by_t(t, "promise_kept", "promise_broken")}
        due = [
            p
            for p in self.by_t(t, "promise_made")
            if p["id"] not in released and t - WINDOW < self.current_due(p, t) <= t
        ]
        kept = sum(1 for p in due if outcome.get(p["id"]) == "promise_kept")
        return kept / len(due) if due else None


def first_and_last_windows(entries: list[dict[str, Any]], until: date) -> tuple[datetime, datetime]:
    """T at the end of the couple's first 28 days, and T at the end of its history."""
    start = datetime.fromisoformat(entries[0]["occurred_at"])
    end = datetime.combine(until, datetime.min.time(), ZoneInfo(entries[0]["timezone"]))
    return start + WINDOW, end - timedelta(microseconds=1)


def test_the_rates_of_this_test_follow_the_spec_on_a_small_history() -> None:
    """The helper itself: retractions, renegotiations, releases and outcomes after T."""
    t = datetime.fromisoformat("2026-03-30T10:00:00+00:00")

    def e(kind: str, entry_id: str, day: int, **fields: Any) -> dict[str, Any]:
        return {"type": kind, "id": entry_id, "occurred_at": f"2026-03-{day:02d}T10:00:00+00:00", **fields}

    history = History(
        [
            registered(),
            e("repair_offered", "o1", 10),
            e("repair_accepted", "a1", 10, attempt="o1"),
            e("repair_offered", "o2", 11),
            e("repair_declined", "d2", 11, attempt="o2"),
            e("repair_offered", "o3", 12),  # retracted: drops out with its outcome
            e("repair_accepted", "a3", 12, attempt="o3"),
            e("entry_retracted", "x1", 13, entry="o3"),
            e("repair_offered", "o4", 1),  # offered before the window
            e("repair_accepted", "a4", 20, attempt="o4"),
            e("promise_made", "p1", 5, due_at="2026-03-20T10:00:00+00:00"),
            e("promise_kept", "k1", 19, promise="p1"),
            e("promise_made", "p2", 5, due_at="2026-03-21T10:00:00+00:00"),  # lapsed
            e("promise_made", "p3", 5, due_at="2026-03-22T10:00:00+00:00"),
            e("promise_released", "r3", 6, promise="p3"),  # released: drops out
            e("promise_made", "p4", 5, due_at="2026-03-23T10:00:00+00:00"),
            e("promise_renegotiated", "n4", 7, promise="p4", due_at="2026-04-10T10:00:00+00:00"),
            e("promise_made", "p5", 5, due_at="2026-03-24T10:00:00+00:00"),
            e("promise_broken", "b5", 25, promise="p5"),
            e("promise_made", "p6", 1, due_at="2026-03-02T10:00:00+00:00"),  # due before the window
        ]
    )

    assert history.acceptance_rate(t) == 1 / 2
    assert history.keeping_rate(t) == 1 / 3
    assert history.keeping_rate(datetime.fromisoformat("2026-03-01T12:00:00+00:00")) is None  # none due yet


def rates(until: date) -> tuple[tuple[float, float], tuple[float, float]]:
    """(acceptance first, last), (keeping first, last) of the default demo ending at `until`."""
    entries = generate(until=until)
    history = History(entries)
    first, last = first_and_last_windows(entries, until)
    acceptance = (history.acceptance_rate(first), history.acceptance_rate(last))
    keeping = (history.keeping_rate(first), history.keeping_rate(last))
    assert None not in acceptance and None not in keeping
    return acceptance, keeping  # type: ignore[return-value]


def test_the_default_couple_accepts_more_repairs_and_keeps_more_promises_at_the_end() -> None:
    (accepted_first, accepted_last), (kept_first, kept_last) = rates(UNTIL)

    assert accepted_last > accepted_first
    assert kept_last > kept_first


def test_on_average_over_end_dates_the_default_couple_gets_clearly_better() -> None:
    """A window holds only about 8 promises and 15 attempts, so on some end dates one of the two
    rates happens not to rise (about 1 end date in 10 for keeping); over many it clearly does."""
    found = [rates(until) for until in MANY_ENDS]
    mean = [sum(values) / len(values) for values in zip(*(a + k for a, k in found), strict=True)]

    accepted_first, accepted_last, kept_first, kept_last = mean
    assert accepted_last > accepted_first + 0.2
    assert kept_last > kept_first + 0.1


# ----------------------------------------------------------------------------------------------
# `repairtrack demo`
# ----------------------------------------------------------------------------------------------
def test_the_demo_command_loads_the_generated_couple(data_dir: Path) -> None:
    result = run_cli(data_dir, "demo", "--until", "2026-06-01")

    assert result.returncode == 0, result.stderr
    expected = generate(until=UNTIL)
    assert result.stdout.strip() == f"stored {len(expected)} demo entries for 1 couple"
    assert stored_in(data_dir) == len(expected)


def test_demo_if_empty_loads_nothing_into_a_store_that_holds_entries(data_dir: Path) -> None:
    app = build_app(settings_for(data_dir))
    app.record(registered())
    app.close()

    result = run_cli(data_dir, "demo", "--if-empty", "--until", "2026-06-01")

    assert result.returncode == 0, result.stderr
    assert "demo not loaded" in result.stdout
    assert stored_in(data_dir) == 1


def test_demo_if_empty_loads_the_demo_into_an_empty_store_once(data_dir: Path) -> None:
    first = run_cli(data_dir, "demo", "--if-empty", "--until", "2026-06-01")
    count = stored_in(data_dir)
    second = run_cli(data_dir, "demo", "--if-empty", "--until", "2026-06-01")

    assert first.returncode == second.returncode == 0
    assert count == len(generate(until=UNTIL))
    assert "demo not loaded" in second.stdout
    assert stored_in(data_dir) == count


def test_demo_twice_without_if_empty_is_refused_as_a_duplicate(data_dir: Path) -> None:
    assert run_cli(data_dir, "demo", "--days", "14", "--until", "2026-06-01").returncode == 0

    again = run_cli(data_dir, "demo", "--days", "14", "--until", "2026-06-01")

    assert again.returncode == 2
    assert again.stderr.startswith("line 1: couple: couple.taken")
    assert "Traceback" not in again.stderr
