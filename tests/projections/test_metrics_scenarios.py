"""Hand-built scenarios for SPEC section 4: each expected value is worked out by hand from the
sentences of the contract (arithmetic in the comments), not from any implementation.

Times: T0 = 2026-03-02T10:00Z (a Monday); `at(h)` / `when(h)` are h hours after T0. The couple `ana-ben`
lives in Europe/Berlin (UTC+01:00 until 2026-03-29, then +02:00)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.support import entries as e
from tests.support.metrics import no_check_ins
from tests.support.stores import temporary_store

DAY = 24  # hours
HANDLES = {"ana", "ben"}


def when(hours: float) -> datetime:
    return e.T0 + timedelta(hours=hours)


def approx(value: float) -> Any:
    return pytest.approx(value, rel=1e-6)


def dated(item: dict[str, Any], moment: datetime) -> dict[str, Any]:
    """The same entry, happening at an exact instant."""
    return item | {"occurred_at": moment.isoformat()}


def metrics_at(
    entries: list[dict[str, Any]], *as_of: datetime, window_days: int = 28
) -> list[dict[str, Any]]:
    with temporary_store(entries) as store, store.read_model.open() as view:
        return [view.metrics(e.COUPLE, as_of=moment, window_days=window_days) for moment in as_of]


def metrics(entries: list[dict[str, Any]], as_of: datetime, window_days: int = 28) -> dict[str, Any]:
    return metrics_at(entries, as_of, window_days=window_days)[0]


# --------------------------------------------------------------------------------------------- repair


def test_repair_counts_accepted_declined_and_pending() -> None:
    entries = [
        e.registered(),
        e.offer("o1", 0, by="ana"),
        e.accepted("a1", "o1", 1),
        e.offer("o2", 2, by="ana"),
        e.declined("d2", "o2", 3),
        e.offer("o3", 4, by="ben"),  # no outcome at all
    ]
    m = metrics(entries, when(10))
    # offered 3; accepted 1, declined 1, pending 1; rate = 1 / (1 + 1) = 0.5
    assert {k: m["repair"][k] for k in ("offered", "accepted", "declined", "pending")} == {
        "offered": 3,
        "accepted": 1,
        "declined": 1,
        "pending": 1,
    }
    assert m["repair"]["acceptance_rate"] == approx(0.5)


def test_a_declined_repair_counts_against_acceptance() -> None:
    entries = [e.registered(), e.offer("o1", 0), e.accepted("a1", "o1", 1)]
    for n in range(3):
        entries += [e.offer(f"x{n}", 2 + n), e.declined(f"d{n}", f"x{n}", 2.5 + n)]
    m = metrics(entries, when(10))
    # 1 accepted, 3 declined: rate = 1 / 4 = 0.25
    assert (m["repair"]["accepted"], m["repair"]["declined"], m["repair"]["pending"]) == (1, 3, 0)
    assert m["repair"]["acceptance_rate"] == approx(0.25)


def test_an_outcome_recorded_after_T_leaves_the_attempt_pending_as_of_T() -> None:
    entries = [e.registered(), e.offer("o1", 0), e.accepted("a1", "o1", 5)]
    before, exactly = metrics_at(entries, when(3), when(5))
    # as of 3h: the acceptance (5h) does not exist yet -> pending 1, accepted 0, rate over nothing = null
    assert (before["repair"]["offered"], before["repair"]["accepted"], before["repair"]["pending"]) == (
        1,
        0,
        1,
    )
    assert before["repair"]["acceptance_rate"] is None
    # as of exactly 5h the acceptance exists ("by T" is <= T): accepted 1, rate 1
    assert (exactly["repair"]["accepted"], exactly["repair"]["pending"]) == (1, 0)
    assert exactly["repair"]["acceptance_rate"] == approx(1.0)


def test_an_offer_before_the_window_with_its_outcome_inside_does_not_count() -> None:
    # W = 7, T = 7 days + 1 h: window (1h, 169h]; the offer at 0h is outside, its acceptance at 72h inside
    entries = [e.registered(), e.offer("o1", 0), e.accepted("a1", "o1", 3 * DAY)]
    m = metrics(entries, when(7 * DAY + 1), window_days=7)
    assert (m["repair"]["offered"], m["repair"]["accepted"], m["repair"]["declined"]) == (0, 0, 0)
    assert m["repair"]["acceptance_rate"] is None


def test_the_repair_window_is_open_at_its_start() -> None:
    # W = 7, T = 168h: the window is (0h, 168h]. o_edge at exactly 0h is out; o_in one second later is in.
    entries = [
        e.registered(),
        e.offer("o_edge", 0),
        e.accepted("a_edge", "o_edge", 0.5),
        dated(e.offer("o_in", 0), when(0) + timedelta(seconds=1)),
        e.declined("d_in", "o_in", 0.5),
    ]
    m = metrics(entries, when(7 * DAY), window_days=7)
    assert (m["repair"]["offered"], m["repair"]["accepted"], m["repair"]["declined"]) == (1, 0, 1)
    assert m["repair"]["acceptance_rate"] == approx(0.0)


def test_the_repair_window_is_closed_at_T() -> None:
    # an offer exactly at T is in; an offer one second after T does not exist yet
    t = when(10)
    entries = [
        e.registered(),
        dated(e.offer("o_T", 0), t),
        dated(e.offer("o_after", 0), t + timedelta(seconds=1)),
    ]
    m = metrics(entries, t)
    assert (m["repair"]["offered"], m["repair"]["pending"]) == (1, 1)


def test_the_window_is_exact_24_hour_days_across_a_dst_change() -> None:
    # T = 2026-04-01T12:00Z, W = 7: window (2026-03-25T12:00Z, T] in exact hours, although Berlin moved
    # its clocks on 2026-03-29. An offer at 2026-03-25T12:30Z is in, one at 11:30Z is out.
    t = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
    entries = [
        e.registered(),
        dated(e.offer("o_out", 0), datetime(2026, 3, 25, 11, 30, tzinfo=UTC)),
        dated(e.offer("o_in", 0, by="ben"), datetime(2026, 3, 25, 12, 30, tzinfo=UTC)),
    ]
    m = metrics(entries, t, window_days=7)
    assert m["repair"]["offered"] == 1
    assert m["repair"]["by_partner"]["ben"]["offered"] == 1
    assert m["repair"]["by_partner"]["ana"]["offered"] == 0


def test_repair_per_partner_goes_by_the_offerer() -> None:
    entries = [
        e.registered(),
        e.offer("o1", 0, by="ben"),
        e.accepted("a1", "o1", 1),
        e.offer("o2", 2, by="ben"),
        e.declined("d2", "o2", 3),
        e.offer("o3", 4, by="ana"),
        e.accepted("a3", "o3", 5),
    ]
    by = metrics(entries, when(10))["repair"]["by_partner"]
    # ana offered o3 (accepted by ben): rate 1/1; ben offered o1 (accepted) and o2 (declined): rate 1/2
    assert set(by) == HANDLES
    assert (by["ana"]["offered"], by["ana"]["accepted"], by["ana"]["declined"], by["ana"]["pending"]) == (
        1,
        1,
        0,
        0,
    )
    assert (by["ben"]["offered"], by["ben"]["accepted"], by["ben"]["declined"], by["ben"]["pending"]) == (
        2,
        1,
        1,
        0,
    )
    assert by["ana"]["acceptance_rate"] == approx(1.0)
    assert by["ben"]["acceptance_rate"] == approx(0.5)


def test_with_no_repairs_both_handles_are_present_with_zero_counts_and_null_rates() -> None:
    m = metrics([e.registered()], when(10))
    assert m["repair"]["acceptance_rate"] is None
    assert m["repair"]["offered"] == 0
    assert set(m["repair"]["by_partner"]) == HANDLES
    for handle in HANDLES:
        assert m["repair"]["by_partner"][handle] == {
            "offered": 0,
            "accepted": 0,
            "declined": 0,
            "pending": 0,
            "acceptance_rate": None,
        }
    assert set(m["promises"]["by_partner"]) == HANDLES
    assert set(m["check_ins"]["by_partner"]) == HANDLES
    assert set(m["trust_consistency"]["by_partner"]) == HANDLES
    assert set(m["trust_consistency"]["weight_by_partner"]) == HANDLES


# ------------------------------------------------------------------------------------------- promises


def _promise_counts(block: dict[str, Any]) -> tuple[int, ...]:
    return tuple(block[k] for k in ("due", "kept", "kept_late", "broken", "lapsed", "open"))


def test_kept_broken_and_lapsed_promises_in_the_window() -> None:
    entries = [
        e.registered(),
        e.promise("p1", 0, due=24, by="ben"),
        e.kept("k1", "p1", 20),
        e.promise("p2", 0, due=48, by="ben"),
        e.broken("b2", "p2", 30),
        e.promise("p3", 0, due=72, by="ben"),  # no outcome -> lapsed
    ]
    m = metrics(entries, when(100))
    # due 3 = kept 1 + broken 1 + lapsed 1; keeping_rate = 1/3
    assert _promise_counts(m["promises"]) == (3, 1, 0, 1, 1, 0)
    assert m["promises"]["keeping_rate"] == approx(1 / 3)
    assert _promise_counts(m["promises"]["by_partner"]["ben"]) == (3, 1, 0, 1, 1, 0)
    assert _promise_counts(m["promises"]["by_partner"]["ana"]) == (0, 0, 0, 0, 0, 0)
    assert m["promises"]["by_partner"]["ana"]["keeping_rate"] is None


def test_a_promise_kept_after_its_due_time_is_kept_late() -> None:
    entries = [e.registered(), e.promise("p1", 0, due=24), e.kept("k1", "p1", 30)]
    before_keep, after_keep = metrics_at(entries, when(28), when(40))
    # as of 28h: due at 24h, the keep (30h) does not exist yet -> lapsed, rate 0/1 = 0
    assert _promise_counts(before_keep["promises"]) == (1, 0, 0, 0, 1, 0)
    assert before_keep["promises"]["keeping_rate"] == approx(0.0)
    # as of 40h: kept (whenever it came), and late since 30h > 24h; rate 1/1
    assert _promise_counts(after_keep["promises"]) == (1, 1, 1, 0, 0, 0)
    assert after_keep["promises"]["keeping_rate"] == approx(1.0)


def test_a_keep_exactly_at_the_due_time_is_not_late() -> None:
    entries = [e.registered(), e.promise("p1", 0, due=24), e.kept("k1", "p1", 24)]
    m = metrics(entries, when(40))
    assert _promise_counts(m["promises"]) == (1, 1, 0, 0, 0, 0)


def test_an_open_promise_is_made_by_T_due_after_T_and_without_outcome() -> None:
    entries = [
        e.registered(),
        e.promise("p_open", 0, due=100, by="ana"),
        e.promise("p_done_early", 0, due=100, by="ana"),
        e.kept("k", "p_done_early", 10),  # has an outcome by T -> not open, and not due yet
        e.promise("p_failed_early", 0, due=100, by="ben"),
        e.broken("b", "p_failed_early", 10),
        e.promise("p_future", 60, due=200, by="ben"),  # made after T -> does not exist
    ]
    m = metrics(entries, when(50))
    assert _promise_counts(m["promises"]) == (0, 0, 0, 0, 0, 1)
    assert m["promises"]["keeping_rate"] is None
    assert m["promises"]["by_partner"]["ana"]["open"] == 1
    assert m["promises"]["by_partner"]["ben"]["open"] == 0


def test_promise_due_times_follow_the_window_edges() -> None:
    # W = 7, T = 240h: window (72h, 240h]. Due exactly at 72h: out; due exactly at T: in (lapsed).
    entries = [
        e.registered(),
        e.promise("p_edge", 0, due=72),
        e.promise("p_T", 0, due=240),
        e.promise("p_in", 0, due=100, by="ana"),
        e.kept("k_in", "p_in", 90),
    ]
    m = metrics(entries, when(240), window_days=7)
    # due 2 (p_T lapsed, p_in kept): rate 1/2
    assert _promise_counts(m["promises"]) == (2, 1, 0, 0, 1, 0)
    assert m["promises"]["keeping_rate"] == approx(0.5)


def test_a_promise_made_before_the_window_but_due_inside_it_counts() -> None:
    # W = 7, T = 288h: window (120h, 288h]; made at 0h, due at 240h, broken at 250h
    entries = [e.registered(), e.promise("p1", 0, due=240), e.broken("b1", "p1", 250)]
    m = metrics(entries, when(288), window_days=7)
    assert _promise_counts(m["promises"]) == (1, 0, 0, 1, 0, 0)
    assert m["promises"]["keeping_rate"] == approx(0.0)


def test_a_renegotiated_promise_counts_by_its_current_due_time() -> None:
    # p1 due 24h, renegotiated at 10h to 240h.
    entries = [e.registered(), e.promise("p1", 0, due=24), e.renegotiated("r1", "p1", 10, due=240)]
    early, later = metrics_at(entries, when(48), when(250))
    # as of 48h the current due is 240h > T: not due, but open
    assert _promise_counts(early["promises"]) == (0, 0, 0, 0, 0, 1)
    # as of 250h, due (240h in the window), no outcome: lapsed
    assert _promise_counts(later["promises"]) == (1, 0, 0, 0, 1, 0)


def test_a_renegotiation_can_move_a_promise_into_the_window() -> None:
    # W = 7, T = 240h: window (72h, 240h]. Original due 24h (out), renegotiated at 20h to 216h (in).
    entries = [
        e.registered(),
        e.promise("p1", 0, due=24),
        e.renegotiated("r1", "p1", 20, due=216),
        e.kept("k", "p1", 230),
    ]
    m = metrics(entries, when(240), window_days=7)
    # kept at 230h, after the current due 216h -> kept late
    assert _promise_counts(m["promises"]) == (1, 1, 1, 0, 0, 0)


def test_a_renegotiation_with_occurred_at_after_T_does_not_count_yet() -> None:
    # p1 due 48h; r1 at 40h moves the due earlier, to 44h.
    # As of 39h the renegotiation does not exist: current due 48h > T -> open.
    # As of 46h the renegotiation exists: current due 44h <= T -> due and lapsed, no longer open.
    entries = [e.registered(), e.promise("p1", 0, due=48), e.renegotiated("r1", "p1", 40, due=44)]
    before, after = metrics_at(entries, when(39), when(46))
    assert _promise_counts(before["promises"]) == (0, 0, 0, 0, 0, 1)
    assert _promise_counts(after["promises"]) == (1, 0, 0, 0, 1, 0)
    # trust as of 46h: one lapsed promise due 2h before T: w = 0.5 ** (2/336); score = 100 * 1 / (w + 2)
    w = 0.5 ** (2 / 336)
    assert after["trust_consistency"]["score"] == approx(100 / (w + 2))
    assert before["trust_consistency"]["weight"] == approx(0.0)


def test_renegotiations_with_the_same_occurred_at_the_later_recorded_wins() -> None:
    # r1 and r2 both at 10h; r1 -> due 30h, r2 (recorded later) -> due 20h. As of 25h current due = 20h: lapsed.
    entries = [
        e.registered(),
        e.promise("p1", 0, due=48),
        e.renegotiated("r1", "p1", 10, due=30),
        e.renegotiated("r2", "p1", 10, due=20),
    ]
    m = metrics(entries, when(25))
    assert _promise_counts(m["promises"]) == (1, 0, 0, 0, 1, 0)


def test_a_retracted_renegotiation_restores_the_original_due_time() -> None:
    # p1 due 24h, renegotiated at 10h to 200h, and that renegotiation retracted (retraction at 300h, after T)
    entries = [
        e.registered(),
        e.promise("p1", 0, due=24),
        e.renegotiated("r1", "p1", 10, due=200),
        e.retracted("x1", "r1", 300),
    ]
    m = metrics(entries, when(100))
    # current due is the original 24h: due in the window, no outcome -> lapsed; not open
    assert _promise_counts(m["promises"]) == (1, 0, 0, 0, 1, 0)
    assert m["promises"]["keeping_rate"] == approx(0.0)


def test_a_released_promise_drops_out_of_every_promise_metric() -> None:
    entries = [
        e.registered(),
        e.promise("p1", 0, due=48, by="ben"),
        e.released("rel1", "p1", 10),
        e.promise("p_far", 0, due=500, by="ben"),
        e.released("rel2", "p_far", 20),
        e.promise("p2", 0, due=72, by="ben"),
        e.broken("b2", "p2", 80),
    ]
    m = metrics(entries, when(100))
    # only p2 counts: due 1, broken 1, rate 0; p_far is released so not open
    assert _promise_counts(m["promises"]) == (1, 0, 0, 1, 0, 0)
    assert m["promises"]["keeping_rate"] == approx(0.0)
    # trust: only p2, broken, due 28h before T: w = 0.5 ** (28/336); score = 100 * 1 / (w + 2)
    w = 0.5 ** (28 / 336)
    assert m["trust_consistency"]["weight"] == approx(w)
    assert m["trust_consistency"]["score"] == approx(100 / (w + 2))


def test_before_its_release_time_a_released_promise_still_counts() -> None:
    # p1 due 200h, released at 50h: open as of 40h, gone as of 60h
    entries = [e.registered(), e.promise("p1", 0, due=200, by="ana"), e.released("rel", "p1", 50)]
    before, after = metrics_at(entries, when(40), when(60))
    assert before["promises"]["open"] == 1
    assert before["promises"]["by_partner"]["ana"]["open"] == 1
    assert after["promises"]["open"] == 0


def test_keeping_rate_is_null_with_nothing_due() -> None:
    entries = [e.registered(), e.promise("p1", 0, due=500)]
    m = metrics(entries, when(100))
    assert m["promises"]["due"] == 0
    assert m["promises"]["keeping_rate"] is None
    assert m["promises"]["by_partner"]["ben"]["keeping_rate"] is None


# ---------------------------------------------------------------------------------- trust consistency


def test_trust_consistency_is_50_with_no_history_and_weight_0() -> None:
    tc = metrics([e.registered()], when(10))["trust_consistency"]
    # (0 + 1) / (0 + 2) = 0.5
    assert tc["score"] == approx(50.0)
    assert tc["weight"] == approx(0.0)
    assert tc["by_partner"] == {"ana": approx(50.0), "ben": approx(50.0)}
    assert tc["weight_by_partner"] == {"ana": approx(0.0), "ben": approx(0.0)}


def test_one_kept_promise_due_exactly_at_T_scores_two_thirds() -> None:
    entries = [e.registered(), e.promise("p1", 0, due=100, by="ben"), e.kept("k1", "p1", 90)]
    tc = metrics(entries, when(100))["trust_consistency"]
    # w = 0.5 ** 0 = 1; score = 100 * (1*1 + 1) / (1 + 2) = 66.6667
    assert tc["score"] == approx(200 / 3)
    assert tc["weight"] == approx(1.0)
    assert tc["by_partner"]["ben"] == approx(200 / 3)
    assert tc["by_partner"]["ana"] == approx(50.0)
    assert tc["weight_by_partner"]["ben"] == approx(1.0)
    assert tc["weight_by_partner"]["ana"] == approx(0.0)


def test_one_broken_promise_due_14_days_before_T_scores_40() -> None:
    entries = [e.registered(), e.promise("p1", 0, due=24, by="ana"), e.broken("b1", "p1", 30)]
    tc = metrics(entries, when(24 + 14 * DAY))["trust_consistency"]
    # w = 0.5 ** (14/14) = 0.5; score = 100 * (0 + 1) / (0.5 + 2) = 40
    assert tc["score"] == approx(40.0)
    assert tc["weight"] == approx(0.5)
    assert tc["by_partner"]["ana"] == approx(40.0)
    assert tc["weight_by_partner"]["ana"] == approx(0.5)


def test_a_lapsed_promise_counts_as_not_kept() -> None:
    entries = [e.registered(), e.promise("p1", 0, due=24)]
    tc = metrics(entries, when(24 + 7 * DAY))["trust_consistency"]
    # w = 0.5 ** (7/14) = 0.70711; score = 100 * 1 / (0.70711 + 2) = 36.9398
    assert tc["score"] == approx(100 / (0.5**0.5 + 2))
    assert tc["weight"] == approx(0.5**0.5)


def test_a_keep_after_its_due_time_counts_once_it_exists() -> None:
    # due 24h, kept at 24h + 7 days; T = 24h + 14 days: w = 0.5, x = 1 -> 100 * 1.5 / 2.5 = 60
    # as of 24h + 3 days (before the keep): w = 0.5 ** (3/14), x = 0 -> 100 / (w + 2)
    entries = [e.registered(), e.promise("p1", 0, due=24), e.kept("k1", "p1", 24 + 7 * DAY)]
    before, after = metrics_at(entries, when(24 + 3 * DAY), when(24 + 14 * DAY))
    assert before["trust_consistency"]["score"] == approx(100 / (0.5 ** (3 / 14) + 2))
    assert after["trust_consistency"]["score"] == approx(60.0)


def test_trust_consistency_mixed_history_per_partner() -> None:
    t = 720  # hours; W = 28 -> window (48h, 720h]
    entries = [
        e.registered(),
        e.promise("p1", 0, due=t, by="ben"),  # kept, w = 1
        e.kept("k1", "p1", 700),
        e.promise("p2", 0, due=t - 14 * DAY, by="ben"),  # broken, w = 0.5
        e.broken("b2", "p2", t - 14 * DAY + 6),
        e.promise("p3", 0, due=t - 7 * DAY, by="ana"),  # kept, w = 0.5 ** 0.5 = 0.70711
        e.kept("k3", "p3", 500),
        e.promise(
            "p4", 0, due=t - 28 * DAY, by="ana"
        ),  # lapsed, w = 0.25 (due at the window start: out of the window)
    ]
    m = metrics(entries, when(t))
    tc = m["trust_consistency"]
    r = 0.5**0.5
    # couple: sum w = 1 + 0.5 + 0.70711 + 0.25 = 2.45711; sum wx = 1 + 0.70711 = 1.70711
    #         score = 100 * 2.70711 / 4.45711 = 60.7369
    assert tc["weight"] == approx(1.75 + r)
    assert tc["score"] == approx(100 * (1 + r + 1) / (1.75 + r + 2))
    # ben: sum w = 1.5, sum wx = 1 -> 100 * 2 / 3.5 = 57.1429
    assert tc["by_partner"]["ben"] == approx(100 * 2 / 3.5)
    assert tc["weight_by_partner"]["ben"] == approx(1.5)
    # ana: sum w = 0.95711, sum wx = 0.70711 -> 100 * 1.70711 / 2.95711 = 57.7290
    assert tc["by_partner"]["ana"] == approx(100 * (r + 1) / (r + 0.25 + 2))
    assert tc["weight_by_partner"]["ana"] == approx(r + 0.25)
    # and the window: p1, p2, p3 due in (48h, 720h]; p4 due exactly at 48h is out -> due 3, kept 2, broken 1
    assert _promise_counts(m["promises"]) == (3, 2, 0, 1, 0, 0)
    assert m["promises"]["keeping_rate"] == approx(2 / 3)


def test_trust_consistency_ignores_promises_due_after_T_and_released_ones() -> None:
    entries = [
        e.registered(),
        e.promise("p_future", 0, due=200),
        e.kept("k", "p_future", 5),  # kept early but due after T: ignored
        e.promise("p_released", 0, due=50),
        e.released("rel", "p_released", 40),  # due before T but released: ignored
    ]
    tc = metrics(entries, when(100))["trust_consistency"]
    assert tc["score"] == approx(50.0)
    assert tc["weight"] == approx(0.0)


# ------------------------------------------------------------------------------------------ check-ins


def test_check_ins_per_partner_counts_and_means() -> None:
    entries = [
        e.registered(),
        e.check_in("c1", 0, by="ana", closeness=6, trust=5),
        e.check_in("c2", 1, by="ana", closeness=8, trust=9),
        e.check_in("c3", 2, by="ben", closeness=3, trust=4),
        e.check_in("c_old", -30 * DAY, by="ben", closeness=10, trust=10),  # before the window
    ]
    ci = metrics(entries, when(10))["check_ins"]
    # ana: mean closeness (6+8)/2 = 7, mean trust (5+9)/2 = 7; ben: 3 and 4
    assert ci["count"] == 3
    assert ci["by_partner"]["ana"]["count"] == 2
    assert ci["by_partner"]["ana"]["mean_closeness"] == approx(7.0)
    assert ci["by_partner"]["ana"]["mean_trust"] == approx(7.0)
    assert ci["by_partner"]["ben"]["count"] == 1
    assert ci["by_partner"]["ben"]["mean_closeness"] == approx(3.0)
    assert ci["by_partner"]["ben"]["mean_trust"] == approx(4.0)


def test_csi4_totals_mean_and_the_13_point_5_cutoff() -> None:
    entries = [
        e.registered(),
        e.check_in("c1", 0, by="ana", csi4=[3, 3, 3, 4]),  # total 13: below 13.5
        e.check_in("c2", 1, by="ana", csi4=[4, 4, 3, 3]),  # total 14: not below
        e.check_in("c3", 2, by="ana", csi4=[6, 5, 5, 5]),  # total 21: not below
        e.check_in("c4", 3, by="ana"),  # no CSI-4
        e.check_in("c5", 4, by="ben"),  # no CSI-4
    ]
    by = metrics(entries, when(10))["check_ins"]["by_partner"]
    # ana: csi4_count 3, mean (13 + 14 + 21) / 3 = 16, below cut-off 1; count 4
    assert by["ana"]["count"] == 4
    assert by["ana"]["csi4_count"] == 3
    assert by["ana"]["mean_csi4"] == approx(16.0)
    assert by["ana"]["csi4_below_cutoff"] == 1
    # ben: one check-in without CSI-4 -> count 1, csi4_count 0, mean null, below 0
    assert by["ben"]["count"] == 1
    assert by["ben"]["csi4_count"] == 0
    assert by["ben"]["mean_csi4"] is None
    assert by["ben"]["csi4_below_cutoff"] == 0


def test_with_no_check_ins_the_means_are_null() -> None:
    ci = metrics([e.registered()], when(10))["check_ins"]
    assert ci["count"] == 0
    for handle in HANDLES:
        assert ci["by_partner"][handle] == no_check_ins()


# ------------------------------------------------------------------------------ bids, positive/negative


def test_bids_and_turn_toward_rate() -> None:
    entries = [
        e.registered(),
        e.bid("b1", 0, response="toward"),
        e.bid("b2", 1, by="ben", response="toward"),
        e.bid("b3", 2, response="toward"),
        e.bid("b4", 3, response="away"),
        e.bid("b5", 4, by="ben", response="against"),
        e.bid("b_old", -10 * DAY, response="against"),  # W = 7: out
    ]
    bids = metrics(entries, when(10), window_days=7)["bids"]
    # total 5, toward 3 -> 3/5 = 0.6
    assert (bids["total"], bids["toward"], bids["away"], bids["against"]) == (5, 3, 1, 1)
    assert bids["turn_toward_rate"] == approx(0.6)


def test_turn_toward_rate_is_null_without_bids() -> None:
    bids = metrics([e.registered()], when(10))["bids"]
    assert bids["total"] == 0
    assert bids["turn_toward_rate"] is None


def test_positive_to_negative_counts_appreciations_bids_and_horsemen() -> None:
    entries = [
        e.registered(),
        e.appreciation("ap1", 0),
        e.appreciation("ap2", 1, by="ben"),
        e.bid("b1", 2, response="toward"),
        e.bid("b2", 3, response="toward"),
        e.bid("b3", 4, response="toward"),
        e.bid("b4", 5, response="away"),  # neither
        e.bid("b5", 6, response="against"),
        e.conflict("c1", 7, horsemen=["criticism", "contempt"]),
        e.conflict("c2", 8, horsemen=["stonewalling"]),
        e.conflict(
            "c_old", -10 * DAY, horsemen=["contempt", "defensiveness"]
        ),  # started before the window (W=7)
        e.appreciation("ap_old", -10 * DAY),
    ]
    pn = metrics(entries, when(10), window_days=7)["positive_negative"]
    # positive = 2 appreciations + 3 toward = 5; negative = 1 against + (2 + 1) horsemen = 4; ratio 1.25
    assert (pn["positive"], pn["negative"]) == (5, 4)
    assert pn["ratio"] == approx(1.25)


def test_positive_to_negative_ratio_is_null_without_negatives() -> None:
    entries = [e.registered(), e.appreciation("ap1", 0), e.bid("b1", 1), e.conflict("c1", 2, horsemen=[])]
    pn = metrics(entries, when(10))["positive_negative"]
    assert (pn["positive"], pn["negative"]) == (2, 0)
    assert pn["ratio"] is None


# ------------------------------------------------------------------------------------------ conflicts


def test_conflicts_started_and_resolved_in_the_window() -> None:
    # W = 7, T = 240h: window (72h, 240h]
    entries = [
        e.registered(),
        e.conflict("c_early", 10),
        e.resolved("r_early", "c_early", 20),  # resolved before the window
        e.conflict("c_old", 0),
        e.resolved("r_old", "c_old", 100),  # started before, resolved inside: resolved counts
        e.conflict("c_new", 100),  # unresolved
        e.conflict("c_late", 150),
        e.resolved("r_late", "c_late", 300),  # resolved after T
        e.conflict("c_edge", 73),
        e.resolved("r_edge", "c_edge", 240),  # resolved exactly at T
    ]
    c = metrics(entries, when(240), window_days=7)["conflicts"]
    # started: c_new, c_late, c_edge = 3; resolved: r_old, r_edge = 2
    assert (c["started"], c["resolved"]) == (3, 2)


def test_horsemen_are_counted_per_horseman_over_conflicts_started_in_the_window() -> None:
    entries = [
        e.registered(),
        e.conflict("c1", 0, horsemen=["criticism", "contempt"]),
        e.conflict("c2", 1, horsemen=["criticism", "defensiveness", "stonewalling"]),
        e.conflict("c_old", -10 * DAY, horsemen=["contempt"]),
    ]
    c = metrics(entries, when(10), window_days=7)["conflicts"]
    assert c["horsemen"] == {"criticism": 2, "contempt": 1, "defensiveness": 1, "stonewalling": 1}


def test_recurring_topics_look_at_30_days_whatever_the_window() -> None:
    t = 40 * DAY
    entries = [
        e.registered(),
        e.conflict("m1", t - 29 * DAY, topic="money"),
        e.conflict("m2", t - 20 * DAY, topic="money"),
        e.conflict("m3", t - 1 * DAY, topic="money"),
        e.conflict("h1", t - 2 * DAY, topic="chores"),
        e.conflict("h2", t - 3 * DAY, topic="chores"),  # only 2
        e.conflict("l1", t - 31 * DAY, topic="in-laws"),  # older than 30 days
        e.conflict("l2", t - 25 * DAY, topic="in-laws"),
        e.conflict("l3", t - 5 * DAY, topic="in-laws"),
    ]
    c = metrics(entries, when(t), window_days=7)["conflicts"]
    # W = 7 holds only m3, h1, h2, l3, but topics count over 30 days: money 3, chores 2, in-laws 2
    assert c["started"] == 4
    assert c["recurring_topics"] == ["money"]


def test_recurring_topics_are_normalised_and_sorted() -> None:
    entries = [
        e.registered(),
        e.conflict("m1", 0, topic="Money "),
        e.conflict("m2", 1, topic="money"),
        e.conflict("m3", 2, topic="  MONEY"),
        e.conflict("l1", 3, topic="In  Laws"),
        e.conflict("l2", 4, topic="in laws"),
        e.conflict("l3", 5, topic="IN LAWS "),
        e.conflict("x1", 6, topic="chores"),
    ]
    c = metrics(entries, when(10))["conflicts"]
    assert c["recurring_topics"] == ["in laws", "money"]


def test_recurring_topics_30_days_are_open_at_their_start() -> None:
    # (T - 30 days, T]: a conflict exactly 30 x 24 h before T is out, one a second later is in
    t = when(40 * DAY)
    edge = t - timedelta(days=30)
    entries = [
        e.registered(),
        dated(e.conflict("m_edge", 0, topic="money"), edge),
        e.conflict("m2", 39 * DAY, topic="money"),
        dated(e.conflict("m3", 0, topic="money"), t),
        dated(e.conflict("d1", 0, topic="dishes"), edge + timedelta(seconds=1)),
        e.conflict("d2", 39 * DAY, topic="dishes"),
        e.conflict("d3", 39.5 * DAY, topic="dishes"),
    ]
    c = metrics(entries, t)["conflicts"]
    assert c["recurring_topics"] == ["dishes"]


def test_repaired_conflicts_and_median_minutes_to_repair_of_an_even_count() -> None:
    entries = [
        e.registered(),
        e.conflict("c1", 0),
        e.offer("o1", 0.5, conflict="c1"),
        e.declined("d1", "o1", 0.6),
        e.offer("o2", 1, by="ben", conflict="c1"),
        e.offer("o3", 1.5, conflict="c1"),
        e.accepted("a2", "o2", 2),  # 120 min after the start
        e.accepted("a3", "o3", 1.75),  # 105 min, recorded later but earlier in time: the earliest acceptance
        e.conflict("c2", 10),
        e.offer("o4", 10, conflict="c2"),
        e.accepted("a4", "o4", 10.5),  # 30 min
        e.conflict("c3", 20),
        e.offer("o5", 20, conflict="c3"),
        e.declined("d5", "o5", 21),  # no accepted attempt
    ]
    c = metrics(entries, when(48))["conflicts"]
    # repaired 2 of 3; median of (105, 30) = 67.5
    assert (c["started"], c["repaired"]) == (3, 2)
    assert c["median_minutes_to_repair"] == approx(67.5)


def test_median_minutes_to_repair_of_an_odd_count() -> None:
    entries = [e.registered()]
    for n, minutes in enumerate([10, 200, 30]):
        start = n * 10
        entries += [
            e.conflict(f"c{n}", start),
            e.offer(f"o{n}", start, conflict=f"c{n}"),
            e.accepted(f"a{n}", f"o{n}", start + minutes / 60),
        ]
    c = metrics(entries, when(48))["conflicts"]
    assert c["repaired"] == 3
    assert c["median_minutes_to_repair"] == approx(30.0)


def test_an_acceptance_after_T_does_not_repair_yet() -> None:
    entries = [
        e.registered(),
        e.conflict("c1", 0),
        e.offer("o1", 1, conflict="c1"),
        e.accepted("a1", "o1", 20),
    ]
    c = metrics(entries, when(10))["conflicts"]
    assert (c["started"], c["repaired"]) == (1, 0)
    assert c["median_minutes_to_repair"] is None


def test_a_retracted_conflict_is_gone_but_its_attempts_stay_unlinked() -> None:
    entries = [
        e.registered(),
        e.conflict("c1", 0, horsemen=["contempt"]),
        e.offer("o1", 0.5, conflict="c1"),
        e.accepted("a1", "o1", 1),
        e.resolved("r1", "c1", 2),
        e.retracted("x1", "c1", 5),
    ]
    m = metrics(entries, when(10))
    c = m["conflicts"]
    # the conflict (and its resolution and horsemen) never existed
    assert (c["started"], c["resolved"], c["repaired"]) == (0, 0, 0)
    assert c["median_minutes_to_repair"] is None
    assert c["horsemen"]["contempt"] == 0
    assert m["positive_negative"]["negative"] == 0
    # the attempt stays, with its acceptance
    assert (m["repair"]["offered"], m["repair"]["accepted"]) == (1, 1)
    assert m["repair"]["acceptance_rate"] == approx(1.0)


# ---------------------------------------------------------------------------------------- retractions


def test_a_retracted_entry_never_exists_even_when_retracted_after_T() -> None:
    entries = [
        e.registered(),
        e.offer("o1", 0),
        e.accepted("a1", "o1", 1),
        e.bid("b1", 2),
        e.check_in("c1", 3),
        e.retracted("x1", "o1", 500),
        e.retracted("x2", "b1", 500),
        e.retracted("x3", "c1", 500),
    ]
    m = metrics(entries, when(10))
    assert (m["repair"]["offered"], m["repair"]["accepted"]) == (0, 0)
    assert m["bids"]["total"] == 0
    assert m["check_ins"]["count"] == 0
    assert m["weekly"] == []


def test_a_retracted_outcome_then_a_new_outcome() -> None:
    entries = [
        e.registered(),
        e.offer("o1", 0),
        e.declined("d1", "o1", 1),
        e.retracted("x1", "d1", 2),
        e.accepted("a1", "o1", 3),
    ]
    between, after = metrics_at(entries, when(2.5), when(10))
    # as of 2.5h: the decline never existed, the acceptance is not yet -> pending
    assert (between["repair"]["accepted"], between["repair"]["declined"], between["repair"]["pending"]) == (
        0,
        0,
        1,
    )
    assert (after["repair"]["accepted"], after["repair"]["declined"], after["repair"]["pending"]) == (1, 0, 0)
    assert after["repair"]["acceptance_rate"] == approx(1.0)


def test_retracting_an_offer_removes_its_outcome() -> None:
    entries = [
        e.registered(),
        e.offer("o1", 0),
        e.accepted("a1", "o1", 1),
        e.offer("o2", 2),
        e.declined("d2", "o2", 3),
        e.retracted("x1", "o1", 4),
    ]
    r = metrics(entries, when(10))["repair"]
    assert (r["offered"], r["accepted"], r["declined"]) == (1, 0, 1)
    assert r["acceptance_rate"] == approx(0.0)


def test_retracting_a_promise_removes_its_keep_and_retracting_a_keep_leaves_it_lapsed() -> None:
    entries = [
        e.registered(),
        e.promise("p1", 0, due=24, by="ana"),
        e.kept("k1", "p1", 10),
        e.retracted("x1", "p1", 30),
        e.promise("p2", 0, due=48, by="ben"),
        e.kept("k2", "p2", 10),
        e.retracted("x2", "k2", 30),
    ]
    m = metrics(entries, when(48))
    # p1 gone entirely; p2 due 48h = T with no outcome -> lapsed
    assert _promise_counts(m["promises"]) == (1, 0, 0, 0, 1, 0)
    tc = m["trust_consistency"]
    # p2 only: w = 1, x = 0 -> 100 * 1 / 3
    assert tc["score"] == approx(100 / 3)
    assert tc["weight_by_partner"]["ana"] == approx(0.0)
    assert tc["by_partner"]["ben"] == approx(100 / 3)


def test_a_retracted_release_brings_the_promise_back() -> None:
    entries = [
        e.registered(),
        e.promise("p1", 0, due=24),
        e.released("rel", "p1", 10),
        e.retracted("x", "rel", 11),
    ]
    m = metrics(entries, when(30))
    assert _promise_counts(m["promises"]) == (1, 0, 0, 0, 1, 0)


# ------------------------------------------------------------------------------------- weekly series


def test_weekly_series_is_empty_when_the_couple_only_registered() -> None:
    assert metrics([e.registered()], when(10))["weekly"] == []


def test_weekly_series_ignores_entries_after_T() -> None:
    entries = [e.registered(), e.check_in("c1", 100)]
    assert metrics(entries, when(10))["weekly"] == []


def test_weekly_series_runs_from_the_first_entry_week_to_T_week_with_gaps() -> None:
    reg = dated(
        e.registered(), datetime(2026, 2, 1, 12, tzinfo=UTC)
    )  # registration weeks earlier: not a start
    entries = [reg, e.check_in("c1", 0), e.bid("b1", 14 * DAY)]
    t = datetime(2026, 3, 31, 12, tzinfo=UTC)  # Tuesday of the week of Monday 2026-03-30
    weekly = metrics(entries, t)["weekly"]
    assert [row["week_start"] for row in weekly] == [
        "2026-03-02",
        "2026-03-09",
        "2026-03-16",
        "2026-03-23",
        "2026-03-30",
    ]
    assert [row["check_ins"] for row in weekly] == [1, 0, 0, 0, 0]
    assert [row["bids"] for row in weekly] == [0, 0, 1, 0, 0]
    gap = weekly[1]
    assert gap["repairs_offered"] == 0
    assert gap["acceptance_rate"] is None
    assert gap["keeping_rate"] is None
    assert gap["mean_closeness"] is None
    assert gap["mean_csi4"] is None
    assert gap["by_partner"] == {
        "ana": {"check_ins": 0, "mean_closeness": None, "mean_trust": None, "mean_csi4": None},
        "ben": {"check_ins": 0, "mean_closeness": None, "mean_trust": None, "mean_csi4": None},
    }
    assert gap["trust_consistency"] == approx(50.0)


def test_weekly_series_does_not_start_at_a_retracted_entry_nor_at_a_retraction() -> None:
    entries = [
        e.registered(),
        e.check_in("c_gone", 0),  # week of 2026-03-02, retracted
        e.retracted("x", "c_gone", 8 * DAY),  # week of 2026-03-09: a retraction does not start the series
        e.check_in("c1", 15 * DAY),  # week of 2026-03-16
    ]
    weekly = metrics(entries, when(22 * DAY))["weekly"]  # T on 2026-03-24
    assert [row["week_start"] for row in weekly] == ["2026-03-16", "2026-03-23"]
    assert [row["check_ins"] for row in weekly] == [1, 0]


def test_weekly_series_does_not_start_at_the_outcome_of_a_retracted_offer() -> None:
    entries = [
        e.registered(),
        e.offer("o1", 0),  # week of 03-02
        e.accepted("a1", "o1", 8 * DAY),  # week of 03-09; goes with its retracted offer
        e.check_in("c1", 15 * DAY),  # week of 03-16
        e.retracted("x", "o1", 16 * DAY),
    ]
    weekly = metrics(entries, when(16 * DAY))["weekly"]
    assert [row["week_start"] for row in weekly] == ["2026-03-16"]
    assert weekly[0]["repairs_offered"] == 0


def test_weekly_counts_repairs_check_ins_conflicts_bids_and_appreciations() -> None:
    entries = [
        e.registered(),
        # week of 2026-03-02
        e.offer("o1", 0, by="ana"),
        e.accepted("a1", "o1", 200),  # accepted in the next week: counts by the offer week
        e.offer("o2", 1, by="ben"),
        e.declined("d2", "o2", 2),
        e.check_in("c1", 3, by="ana", closeness=6, trust=5, csi4=[3, 3, 3, 4]),  # 13
        e.check_in("c2", 4, by="ben", closeness=8, trust=9, csi4=[5, 5, 5, 5]),  # 20
        e.check_in("c3", 5, by="ben", closeness=4, trust=3),
        e.conflict("k1", 6, horsemen=["criticism", "contempt"]),
        e.conflict("k2", 7, horsemen=["stonewalling"]),
        e.bid("b1", 8, response="toward"),
        e.bid("b2", 9, response="against"),
        e.bid("b3", 10, response="away"),
        e.appreciation("ap1", 11),
        # week of 2026-03-09
        e.offer("o3", 8 * DAY, by="ana"),
        e.accepted("a3", "o3", 30 * DAY),  # after T: pending
    ]
    weekly = metrics(entries, when(15 * DAY))["weekly"]  # T = 2026-03-17, week of 03-16
    assert [row["week_start"] for row in weekly] == ["2026-03-02", "2026-03-09", "2026-03-16"]
    w1, w2, w3 = weekly
    assert (w1["repairs_offered"], w1["repairs_accepted"], w1["repairs_declined"]) == (2, 1, 1)
    assert w1["acceptance_rate"] == approx(0.5)
    # check-ins: closeness (6+8+4)/3 = 6, trust (5+9+3)/3 = 5.6667, csi4 over both partners (13+20)/2 = 16.5
    assert w1["check_ins"] == 3
    assert w1["mean_closeness"] == approx(6.0)
    assert w1["mean_trust"] == approx(17 / 3)
    assert w1["mean_csi4"] == approx(16.5)
    assert w1["by_partner"]["ana"] == {
        "check_ins": 1,
        "mean_closeness": approx(6.0),
        "mean_trust": approx(5.0),
        "mean_csi4": approx(13.0),
    }
    # ben: closeness (8+4)/2 = 6, trust (9+3)/2 = 6, csi4 over the one that has it = 20
    assert w1["by_partner"]["ben"] == {
        "check_ins": 2,
        "mean_closeness": approx(6.0),
        "mean_trust": approx(6.0),
        "mean_csi4": approx(20.0),
    }
    assert (w1["conflicts"], w1["horsemen"]) == (2, 3)
    assert (w1["bids"], w1["bids_toward"], w1["appreciations"]) == (3, 1, 1)
    assert (w2["repairs_offered"], w2["repairs_accepted"], w2["repairs_declined"]) == (1, 0, 0)
    assert w2["acceptance_rate"] is None
    assert (w2["check_ins"], w2["conflicts"], w2["bids"], w2["appreciations"]) == (0, 0, 0, 0)
    assert w3["repairs_offered"] == 0


def test_weekly_promises_go_by_current_due_week_and_only_up_to_T() -> None:
    entries = [
        e.registered(),
        e.promise("p1", 0, due=48, by="ben"),  # due in week 03-02
        e.kept("k1", "p1", 8 * DAY),  # kept (late) in week 03-09: still counts for the due week
        e.promise("p2", 0, due=9 * DAY, by="ana"),  # due in week 03-09 ...
        e.renegotiated("r2", "p2", 24, due=16 * DAY),  # ... renegotiated to 03-18 (week 03-16), lapsed by T
        e.promise("p3", 0, due=8 * DAY, by="ana"),  # due in week 03-09, broken
        e.broken("b3", "p3", 8 * DAY + 1),
        e.promise("p4", 0, due=18 * DAY, by="ben"),  # due after T: counts nowhere
        e.promise("p5", 0, due=3 * DAY, by="ben"),
        e.released("rel5", "p5", 10),  # released: counts nowhere
    ]
    weekly = metrics(entries, when(17 * DAY))["weekly"]  # T = 2026-03-19T10:00Z
    assert [row["week_start"] for row in weekly] == ["2026-03-02", "2026-03-09", "2026-03-16"]
    assert [(row["promises_due"], row["promises_kept"]) for row in weekly] == [(1, 1), (1, 0), (1, 0)]
    assert [row["keeping_rate"] for row in weekly] == [approx(1.0), approx(0.0), approx(0.0)]


def test_weekly_trust_consistency_is_as_of_each_week_end_and_as_of_T_for_the_last_week() -> None:
    # p1 due Wed 2026-03-04T10:00Z, kept late on 2026-03-10T10:00Z (week 2). T = 2026-03-18T10:00Z.
    entries = [e.registered(), e.promise("p1", 0, due=48), e.kept("k1", "p1", 8 * DAY)]
    m = metrics(entries, when(16 * DAY))
    weekly = m["weekly"]
    assert [row["week_start"] for row in weekly] == ["2026-03-02", "2026-03-09", "2026-03-16"]
    # week 1 ends Sun 2026-03-08 23:59:59.999999 CET = 22:59:59.999999Z: 4.5416667 days after the due time,
    # the keep does not exist yet: w = 0.5 ** (4.5416667/14) = 0.79863; score = 100 * 1 / 2.79863 = 35.7318
    d1 = 4 + (13 * 3600 - 1e-6) / 86400
    w1 = 0.5 ** (d1 / 14)
    assert weekly[0]["trust_consistency"] == approx(100 / (w1 + 2))
    # week 2 ends 7 days later and the keep exists: w = 0.5 ** (11.5416667/14) = 0.56472;
    # score = 100 * 1.56472 / 2.56472 = 61.0093
    w2 = 0.5 ** ((d1 + 7) / 14)
    assert weekly[1]["trust_consistency"] == approx(100 * (w2 + 1) / (w2 + 2))
    # week of T, as of T: exactly 14 days after the due time: w = 0.5, x = 1 -> 100 * 1.5 / 2.5 = 60
    assert weekly[2]["trust_consistency"] == approx(60.0)
    assert m["trust_consistency"]["score"] == approx(60.0)


def test_the_week_containing_T_starts_when_T_is_exactly_monday_midnight() -> None:
    # T = Monday 2026-03-09 00:00 CET = 2026-03-08T23:00Z: the week containing T is the week of 03-09
    t = datetime(2026, 3, 8, 23, 0, tzinfo=UTC)
    entries = [e.registered(), e.check_in("c1", 0), dated(e.check_in("c2", 0, by="ben"), t)]
    weekly = metrics(entries, t)["weekly"]
    assert [row["week_start"] for row in weekly] == ["2026-03-02", "2026-03-09"]
    assert [row["check_ins"] for row in weekly] == [1, 1]


# --------------------------------------------------------------------------------- further edge cases


def test_kept_late_is_measured_against_the_current_due_time() -> None:
    # due 24h, renegotiated at 10h to 100h, kept at 50h: before the current due time -> not late
    entries = [
        e.registered(),
        e.promise("p1", 0, due=24),
        e.renegotiated("r1", "p1", 10, due=100),
        e.kept("k1", "p1", 50),
    ]
    m = metrics(entries, when(120))
    assert _promise_counts(m["promises"]) == (1, 1, 0, 0, 0, 0)


def test_trust_consistency_uses_the_current_due_time() -> None:
    # due 24h, renegotiated at 10h to 100h, no outcome.
    entries = [e.registered(), e.promise("p1", 0, due=24), e.renegotiated("r1", "p1", 10, due=100)]
    early, late = metrics_at(entries, when(50), when(100 + 14 * DAY))
    # as of 50h the current due (100h) is after T: no history -> 50, weight 0
    assert early["trust_consistency"]["score"] == approx(50.0)
    assert early["trust_consistency"]["weight"] == approx(0.0)
    # as of 100h + 14 days: w = 0.5 (not 0.5 ** (14 days + 76h)/14 days), x = 0 -> 100 / 2.5 = 40
    assert late["trust_consistency"]["weight"] == approx(0.5)
    assert late["trust_consistency"]["score"] == approx(40.0)


def test_every_window_count_is_open_at_its_start_and_closed_at_T() -> None:
    # W = 7, T = 240h: window (72h, 240h]. The same kinds of entries exactly at 72h (out) and at 240h (in).
    entries = [e.registered(), e.conflict("k_a", 0), e.conflict("k_b", 10)]
    for tag, hours in (("start", 72), ("end", 240)):
        entries += [
            e.check_in(f"ci_{tag}", hours),
            e.bid(f"bid_{tag}", hours, response="toward"),
            e.appreciation(f"ap_{tag}", hours),
            e.conflict(f"k_{tag}", hours, horsemen=["criticism"]),
        ]
    entries += [e.resolved("r_a", "k_a", 72), e.resolved("r_b", "k_b", 240)]
    m = metrics(entries, when(240), window_days=7)
    assert m["check_ins"]["count"] == 1
    assert m["bids"]["total"] == 1
    # positive = 1 appreciation + 1 toward; negative = 1 horseman on the conflict started at T
    assert (m["positive_negative"]["positive"], m["positive_negative"]["negative"]) == (2, 1)
    assert m["positive_negative"]["ratio"] == approx(2.0)
    assert (m["conflicts"]["started"], m["conflicts"]["resolved"]) == (1, 1)
    assert m["conflicts"]["horsemen"]["criticism"] == 1


def test_zero_values_are_numbers_not_nulls() -> None:
    entries = [
        e.registered(),
        e.check_in("c1", 0, csi4=[0, 0, 0, 0]),  # total 0: a mean of 0, below the cut-off
        e.bid("b1", 1, response="away"),
        e.conflict("k1", 2, horsemen=["contempt"]),
    ]
    m = metrics(entries, when(10))
    ana = m["check_ins"]["by_partner"]["ana"]
    assert ana["mean_csi4"] == approx(0.0)
    assert ana["mean_csi4"] is not None
    assert ana["csi4_below_cutoff"] == 1
    # toward 0 of 1 -> rate 0.0; positive 0 / negative 1 -> ratio 0.0
    assert m["bids"]["turn_toward_rate"] == approx(0.0)
    assert m["bids"]["turn_toward_rate"] is not None
    assert m["positive_negative"]["ratio"] == approx(0.0)
    assert m["positive_negative"]["ratio"] is not None


def test_minutes_to_repair_are_not_rounded() -> None:
    # conflict at 0h; acceptance 90 seconds later -> 1.5 minutes
    entries = [
        e.registered(),
        e.conflict("k1", 0),
        e.offer("o1", 0, conflict="k1"),
        e.accepted("a1", "o1", 90 / 3600),
    ]
    c = metrics(entries, when(10))["conflicts"]
    assert c["repaired"] == 1
    assert c["median_minutes_to_repair"] == approx(1.5)


def test_a_conflict_started_before_the_window_is_not_counted_as_repaired_in_it() -> None:
    # W = 7, T = 240h: conflict at 0h (out), its attempt offered at 100h and accepted at 101h (both in)
    entries = [
        e.registered(),
        e.conflict("k1", 0),
        e.offer("o1", 100, conflict="k1"),
        e.accepted("a1", "o1", 101),
    ]
    m = metrics(entries, when(240), window_days=7)
    assert (m["conflicts"]["started"], m["conflicts"]["repaired"]) == (0, 0)
    assert m["conflicts"]["median_minutes_to_repair"] is None
    assert m["repair"]["accepted"] == 1


def test_the_row_of_the_week_containing_T_counts_only_entries_up_to_T() -> None:
    # T = Wed 2026-03-04T10:00Z; a check-in later that same week does not exist yet
    entries = [e.registered(), e.check_in("c1", 0), e.check_in("c2", 2 * DAY), e.check_in("c3", 3 * DAY)]
    weekly = metrics(entries, when(2 * DAY))["weekly"]
    assert [(row["week_start"], row["check_ins"]) for row in weekly] == [("2026-03-02", 2)]


def test_the_metrics_of_one_couple_ignore_another_couple() -> None:
    other = "cara-dan"
    entries = [
        e.registered(),
        e.registered(couple=other, entry_id="reg2"),
        e.offer("o1", 0, couple=other),
        e.check_in("c1", 1, couple=other),
        e.promise("p1", 0, due=5, couple=other),
        e.check_in("c2", 2),
    ]
    m = metrics(entries, when(10))
    assert m["repair"]["offered"] == 0
    assert m["check_ins"]["count"] == 1
    assert m["promises"]["due"] == 0
    assert m["trust_consistency"]["weight"] == approx(0.0)


def test_as_of_is_reported_in_utc() -> None:
    # as of 2026-03-02T22:00+02:00 = 20:00Z
    from zoneinfo import ZoneInfo

    t = datetime(2026, 3, 2, 22, 0, tzinfo=ZoneInfo("Etc/GMT-2"))
    m = metrics([e.registered(), e.check_in("c1", 5)], t, window_days=3)
    assert datetime.fromisoformat(m["as_of"].replace("Z", "+00:00")) == datetime(
        2026, 3, 2, 20, 0, tzinfo=UTC
    )
    assert m["as_of"].endswith(("Z", "+00:00"))
    assert m["window_days"] == 3
    assert m["couple"] == e.COUPLE
    assert m["check_ins"]["count"] == 1
