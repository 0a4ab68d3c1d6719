"""The one throttle of passphrase checks (SPEC section 8): one check at a time per key, a doubling
wait after each failure up to 15 minutes, a success resets, and a request during a check or a wait is
refused with a retry-after and no check."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from repairtrack.services.access import hash_passphrase, verify_passphrase
from repairtrack.services.throttle import MAX_DELAY, Refused, Throttle, Ticket


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_parallel_wrong_guesses_get_exactly_one_check() -> None:
    stored = hash_passphrase("long enough passphrase")
    throttle = Throttle()
    start = threading.Barrier(6)
    checks: list[int] = []

    def check(number: int) -> bool:
        checks.append(number)
        return verify_passphrase(stored, f"wrong guess {number}")

    def guess(number: int) -> tuple[bool, float]:
        start.wait()
        return throttle.attempt("address:10.0.0.9", lambda: check(number))

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(guess, range(6)))
    assert len(checks) == 1
    assert not any(accepted for accepted, _ in outcomes)
    assert all(wait > 0 for _, wait in outcomes)
    assert throttle.store.read("address:10.0.0.9").failures == 1  # one check ran, so one failure counted


def test_a_request_during_a_check_is_refused_without_a_check() -> None:
    clock = FakeClock()
    throttle = Throttle(clock=clock)
    ticket = throttle.acquire(["account:ana", "address:10.0.0.2"])
    assert isinstance(ticket, Ticket)
    # The same account from elsewhere, or the same address for another account: both busy.
    assert isinstance(throttle.acquire(["account:ana", "address:10.0.0.3"]), Refused)
    assert isinstance(throttle.acquire(["account:ben", "address:10.0.0.2"]), Refused)
    # A refusal marks nothing: account ben from another address may go ahead.
    other = throttle.acquire(["account:ben", "address:10.0.0.4"])
    assert isinstance(other, Ticket)
    throttle.release(other, True)
    throttle.release(ticket, False)
    refused = throttle.acquire(["account:ana"])
    assert refused == Refused(1.0) and refused.retry_after_header == "1"


def test_the_wait_doubles_up_to_fifteen_minutes() -> None:
    clock = FakeClock()
    throttle = Throttle(clock=clock)
    waits = []
    for _ in range(14):
        ticket = throttle.acquire(["address:x"])
        assert isinstance(ticket, Ticket)
        throttle.release(ticket, False)
        waits.append(throttle.wait_left("address:x"))
        clock.now += waits[-1] - 0.5
        assert isinstance(throttle.acquire(["address:x"]), Refused)  # not yet
        clock.now += 0.5
    assert waits[:6] == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0]
    assert waits[-1] == MAX_DELAY == 900.0
    assert max(waits) == 900.0


def test_a_success_resets_the_keys_it_names() -> None:
    clock = FakeClock()
    throttle = Throttle(clock=clock)
    for _ in range(3):
        ticket = throttle.acquire(["account:ana", "address:a"])
        assert isinstance(ticket, Ticket)
        throttle.release(ticket, False)
        clock.now += 100
    ticket = throttle.acquire(["account:ana", "address:a"])
    assert isinstance(ticket, Ticket)
    throttle.release(ticket, True, reset={"account:ana"})
    assert throttle.wait_left("account:ana") == 0.0
    # The address keeps its count: a fourth failure from it waits 8 s.
    ticket = throttle.acquire(["address:a"])
    assert isinstance(ticket, Ticket)
    throttle.release(ticket, False)
    assert throttle.wait_left("address:a") == 8.0
    clock.now += 8
    ticket = throttle.acquire(["address:a"])
    assert isinstance(ticket, Ticket)
    throttle.release(ticket, True)  # without `reset`, a success resets every key of the ticket
    assert throttle.wait_left("address:a") == 0.0
    assert throttle.attempt("address:a", lambda: False) == (False, 1.0)


def test_a_check_that_never_returns_frees_its_keys_after_the_lease() -> None:
    clock = FakeClock()
    throttle = Throttle(clock=clock, lease=60.0)
    lost = throttle.acquire(["address:a"])
    assert isinstance(lost, Ticket)
    clock.now += 61
    again = throttle.acquire(["address:a"])
    assert isinstance(again, Ticket)
    throttle.release(lost, True)  # a late release does not free the newer check's key
    assert isinstance(throttle.acquire(["address:a"]), Refused)
    throttle.release(again, True)
    assert isinstance(throttle.acquire(["address:a"]), Ticket)


def test_a_check_that_raises_counts_as_a_failure() -> None:
    clock = FakeClock()
    throttle = Throttle(clock=clock)

    def broken() -> bool:
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        throttle.check(["address:a"], broken)
    assert throttle.wait_left("address:a") == 1.0
