"""The counselor's caseload (SPEC section 10): equal to the plain-Python reference over random valid streams
of several couples and at the flags' edges; each flag's both sides by hand; the order of the rows; and,
through the service layer over a real store, exactly the couples that grant the counselor access."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projections.caseload import caseload
from repairtrack.services.permissions import NotAllowed
from tests.access.support import ANA, BEN, COUPLE, CY, KIM, LEE, OTHER, access_store
from tests.caseload.reference import FLAGS, ROW_KEYS, reference_caseload
from tests.conftest import Clock
from tests.support.reference import assert_same
from tests.support.stores import temporary_store
from tests.support.streams import interesting_times, random_stream

T = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
W = 28
MICRO = timedelta(microseconds=1)


def when(moment: datetime | None = None, **delta: float) -> str:
    return ((moment or T) + timedelta(**delta)).isoformat()


def entry(
    type_: str, entry_id: str, occurred_at: str, couple: str = "ana-ben", **fields: Any
) -> dict[str, Any]:
    return {"type": type_, "couple": couple, "id": entry_id, "occurred_at": occurred_at, **fields}


def registered(couple: str = "ana-ben") -> dict[str, Any]:
    partners = [{"handle": "ana", "name": "Ana"}, {"handle": "ben", "name": "Ben"}]
    return entry("couple_registered", "reg", when(days=-90), couple, partners=partners, timezone="UTC")


def check_in(
    entry_id: str, occurred_at: str, answers: list[int], by: str = "ana", **more: Any
) -> dict[str, Any]:
    return entry("check_in", entry_id, occurred_at, by=by, closeness=5, trust=5, csi4=answers, **more)


def csi4_of(total: int) -> list[int]:
    """Four answers (in their ranges) summing to the total."""
    answers = []
    for top in (6, 5, 5, 5):
        answers.append(min(top, total))
        total -= answers[-1]
    return answers


def computed(
    streams: dict[str, list[dict[str, Any]]], moments: Sequence[datetime], window_days: int = W
) -> list[list[dict[str, Any]]]:
    """The caseload at each moment, checked against the reference on the way."""
    entries = [e for stream in streams.values() for e in stream]
    found = []
    with temporary_store(entries) as store, store.read_model.open() as view:
        for moment in moments:
            rows = caseload(view, [*streams, "not-a-couple"], moment, window_days)
            expected = reference_caseload(streams, moment, window_days)
            for row in rows:
                assert set(row["reasons"]) == set(row["flags"])
                assert all(text and "{" not in text for text in row["reasons"].values())
            shown = [{k: v for k, v in row.items() if k != "reasons"} for row in rows]
            assert_same(shown, expected, f"T={moment.isoformat()} W={window_days}")
            found.append(rows)
    return found


def one(stream: list[dict[str, Any]], moment: datetime = T, window_days: int = W) -> dict[str, Any]:
    (rows,) = computed({"ana-ben": [registered(), *stream]}, [moment], window_days)
    (row,) = rows
    return row


def flags(stream: list[dict[str, Any]], moment: datetime = T) -> list[str]:
    return list(one(stream, moment)["flags"])


# ----------------------------------------------------------------------------------------------
# Against the reference over random streams.
# ----------------------------------------------------------------------------------------------
def edges(streams: dict[str, list[dict[str, Any]]], rng: random.Random, window_days: int) -> list[datetime]:
    """Moments on the flags' edges: an entry exactly 14 days (and the window, twice the window) before T,
    and one microsecond either side; plus the section 4 test's interesting times."""
    stream = rng.choice(list(streams.values()))
    times = [datetime.fromisoformat(e["occurred_at"]).astimezone(UTC) for e in stream[1:]]
    some = rng.choice(times)
    moments = interesting_times(stream, rng, window_days, count=3)
    for span in (timedelta(days=14), timedelta(days=window_days), timedelta(days=2 * window_days)):
        moments += [some + span + d for d in (-MICRO, timedelta(0), MICRO)]
    return moments


@settings(max_examples=12)
@given(seed=st.integers(0, 10**9), window_days=st.sampled_from([7, 14, 28]))
def test_the_caseload_equals_the_reference(seed: int, window_days: int) -> None:
    rng = random.Random(seed)
    streams = {}
    for number in range(rng.randint(2, 4)):
        handle = f"c{number}"
        streams[handle] = [{**e, "couple": handle} for e in random_stream(seed + number, rng.randint(20, 90))]
    computed(streams, edges(streams, rng, window_days), window_days)


# ----------------------------------------------------------------------------------------------
# Each flag, both sides.
# ----------------------------------------------------------------------------------------------
def test_a_latest_csi4_total_below_the_cutoff() -> None:
    early = check_in("k1", when(days=-9), csi4_of(20))
    row = one([early, check_in("k2", when(days=-2), csi4_of(13))])
    assert "csi4_below_cutoff" in row["flags"] and row["csi4_latest"] == {"ana": 13, "ben": None}
    assert "Ana" in row["reasons"]["csi4_below_cutoff"] and "13.5" in row["reasons"]["csi4_below_cutoff"]
    assert "csi4_below_cutoff" not in flags(
        [check_in("k1", when(days=-9), csi4_of(10)), check_in("k2", when(days=-2), csi4_of(14))]
    )
    # Only the latest in the window counts: one at the window's open start is outside it.
    outside = one([check_in("k1", when(days=-W), csi4_of(13))])
    assert "csi4_below_cutoff" not in outside["flags"] and outside["csi4_latest"]["ana"] is None
    inside = one(
        [
            check_in("k1", when(days=-W), csi4_of(13)),
            check_in("k2", when(days=-W, microseconds=1), csi4_of(13), by="ben"),
        ]
    )
    assert (
        inside["csi4_latest"] == {"ana": None, "ben": 13} and "Ben" in inside["reasons"]["csi4_below_cutoff"]
    )


def test_a_csi4_mean_three_points_lower_than_the_window_before() -> None:
    before = [check_in(f"b{i}", when(days=-W - 2 - i), csi4_of(t)) for i, t in enumerate((14, 14, 15))]
    exactly = [check_in(f"n{i}", when(days=-1 - i), csi4_of(t)) for i, t in enumerate((11, 11, 12))]
    row = one(before + exactly)
    assert "csi4_falling" in row["flags"]
    assert "our own" in row["reasons"]["csi4_falling"] and "3 points" in row["reasons"]["csi4_falling"]
    less = [check_in(f"n{i}", when(days=-1 - i), csi4_of(t)) for i, t in enumerate((11, 12, 12))]
    assert "csi4_falling" not in flags(before + less)
    # The window before is (T - 2W, T - W]: its closed end counts, its open start does not.
    assert "csi4_falling" in flags(
        [check_in("b", when(days=-W), csi4_of(15)), check_in("n", when(days=-W, microseconds=1), csi4_of(12))]
    )
    assert "csi4_falling" not in flags(
        [check_in("b", when(days=-2 * W), csi4_of(15)), check_in("n", when(days=-1), csi4_of(12))]
    )
    # Each partner against their own earlier mean.
    assert "csi4_falling" not in flags(
        [check_in("b", when(days=-W - 1), csi4_of(15)), check_in("n", when(days=-1), csi4_of(12), by="ben")]
    )


def conflict(entry_id: str, occurred_at: str, horsemen: list[str]) -> dict[str, Any]:
    return entry(
        "conflict_started", entry_id, occurred_at, by="ana", topic="money", horsemen=horsemen, intensity=3
    )


def test_contempt_named_on_a_conflict_started_in_the_window() -> None:
    assert "contempt" in flags([conflict("k1", when(days=-W, microseconds=1), ["contempt", "criticism"])])
    assert "contempt" not in flags([conflict("k1", when(days=-W), ["contempt"])])
    assert "contempt" not in flags([conflict("k1", when(days=-1), ["criticism", "stonewalling"])])


def promise(entry_id: str, due: str, made: str | None = None, by: str = "ben") -> dict[str, Any]:
    return entry("promise_made", entry_id, made or when(days=-6), by=by, description="call", due_at=due)


def test_two_promises_lapsing_in_the_window() -> None:
    lapsing = [promise("p1", when(days=-2)), promise("p2", when(days=-1))]
    row = one(lapsing)
    assert "promises_lapsing" in row["flags"] and row["reasons"]["promises_lapsing"].startswith("2 promises")
    kept = entry("promise_kept", "k", when(days=-1, hours=2), promise="p2")
    assert "promises_lapsing" not in flags([*lapsing, kept])
    released = entry("promise_released", "r", when(days=-3), promise="p2")
    assert "promises_lapsing" not in flags([*lapsing, released])
    assert "promises_lapsing" not in flags([promise("p1", when(days=-2)), promise("p2", when(hours=1))])


def test_trust_consistency_ten_points_lower_than_two_weeks_before() -> None:
    # Three promises due at T, one kept: 100 x (1 + 1) / (3 + 2) = 40, against 50 with no history.
    due_now = [promise(f"p{i}", when(), made=when(days=-1)) for i in range(3)]
    kept = entry("promise_kept", "k", when(hours=-1), promise="p0")
    row = one([*due_now, kept])
    assert row["trust_consistency"] == 40.0 and "trust_falling" in row["flags"]
    assert "10 points" in row["reasons"]["trust_falling"]
    # A microsecond later the weights fade a little: slightly less than 10 points.
    assert "trust_falling" not in flags([*due_now, kept], T + MICRO)
    # A fall resting on less than a weight of 1 says too little.
    broken = entry("promise_broken", "b", when(days=-1, hours=1), promise="p")
    low = one([promise("p", when(days=-1), made=when(days=-3)), broken])
    assert 50 - low["trust_consistency"] > 10 and "trust_falling" not in low["flags"]
    assert "trust_falling" in flags([promise("p", when(), made=when(days=-3)), broken])


def offers(outcomes: list[str]) -> list[dict[str, Any]]:
    made = []
    for i, outcome in enumerate(outcomes):
        made.append(entry("repair_offered", f"o{i}", when(days=-3, hours=i), by="ana", kind="humor"))
        made.append(entry(outcome, f"a{i}", when(days=-2, hours=i), attempt=f"o{i}"))
    return made


def test_repairs_mostly_declined() -> None:
    accepted, declined = "repair_accepted", "repair_declined"
    row = one(offers([accepted, declined, declined, declined]))
    assert "repairs_declined" in row["flags"] and row["acceptance_rate"] == 0.25
    assert "1 of the 4" in row["reasons"]["repairs_declined"]
    half = one(offers([accepted, accepted, declined, declined]))
    assert half["acceptance_rate"] == 0.5 and "repairs_declined" not in half["flags"]
    assert "repairs_declined" not in flags(offers([declined, declined, declined]))


def appreciation(entry_id: str, occurred_at: str) -> dict[str, Any]:
    return entry("appreciation_expressed", entry_id, occurred_at, by="ana")


def test_quiet_for_fourteen_days() -> None:
    edge = one([appreciation("a", when(days=-14))])
    assert "quiet" in edge["flags"] and edge["last_entry_at"] == "2026-04-20T12:00:00Z"
    assert "14 days" in edge["reasons"]["quiet"]
    assert "quiet" not in flags([appreciation("a", when(days=-14, microseconds=1))])
    assert "quiet" in flags([appreciation("a", when(days=-14, microseconds=-1))])
    # A retracted entry never existed, a retraction is no entry, and what happens after T is not yet.
    gone = [appreciation("a", when(days=-3)), entry("entry_retracted", "x", when(days=-2), entry="a")]
    assert one(gone)["flags"] == ["quiet"] and one(gone)["last_entry_at"] is None
    assert "quiet" in flags([appreciation("a", when(hours=1))], T)
    assert one([])["flags"] == ["quiet"]


def test_rows_with_more_flags_come_first_then_by_handle() -> None:
    def couple(handle: str, stream: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [registered(handle), *({**e, "couple": handle} for e in stream)]

    streams = {
        "zed": couple("zed", [appreciation("a", when(days=-1))]),  # no flag
        "amy": couple("amy", []),  # quiet
        "bob": couple("bob", [conflict("k", when(days=-20), ["contempt"])]),  # contempt, quiet
        "cat": couple("cat", [conflict("k", when(days=-1), ["contempt"])]),  # contempt
    }
    (rows,) = computed(streams, [T])
    assert [(r["couple"], r["flags"]) for r in rows] == [
        ("bob", ["contempt", "quiet"]),
        ("amy", ["quiet"]),
        ("cat", ["contempt"]),
        ("zed", []),
    ]
    assert rows[0]["names"] == ["Ana", "Ben"] and set(rows[0]) == ROW_KEYS
    assert list(rows[0]["flags"]) == [f for f in FLAGS if f in rows[0]["flags"]]


# ----------------------------------------------------------------------------------------------
# Through the service: exactly the couples granting the counselor access.
# ----------------------------------------------------------------------------------------------
def test_the_counselor_sees_exactly_the_couples_granting_access(tmp_path: Path) -> None:
    clock = Clock()
    with access_store(tmp_path, clock) as (couples, _):
        assert couples.caseload(LEE) == []
        couples.grant(ANA, COUPLE, "drlee", notes=False)
        assert [r["couple"] for r in couples.caseload(LEE)] == [COUPLE]
        assert couples.caseload(KIM) == []
        couples.grant(BEN, COUPLE, "drkim", notes=True)
        couples.grant(CY, OTHER, "drlee", notes=False)
        assert [r["couple"] for r in couples.caseload(LEE, clock.now, 14)] == sorted([COUPLE, OTHER])
        couples.revoke(BEN, COUPLE, "drlee")
        assert [r["couple"] for r in couples.caseload(LEE)] == [OTHER]
        assert [r["couple"] for r in couples.caseload(KIM)] == [COUPLE]
        # The caseload opens no couple: nothing in the access log.
        assert couples.access_log(ANA, COUPLE) == []
        for actor in (ANA, BEN):
            with pytest.raises(NotAllowed) as refused:
                couples.caseload(actor)
            assert refused.value.code == "access.counselors_only"
