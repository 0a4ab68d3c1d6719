"""Sign-in throttling over the database record (SPEC section 8): parallel wrong guesses make one check,
a refusal says how long to wait, a success resets the account's count."""

from __future__ import annotations

import threading

import pytest

from domain.errors import Refusal
from repairtrack.services.identity import Accounts, Throttled
from tests.accounts.conftest import PASSPHRASE
from tests.conftest import Clock


def guesses(accounts: Accounts, count: int, address: str = "10.9.9.9") -> list[Refusal]:
    """`count` wrong guesses at once, from threads; what each was told."""
    start = threading.Barrier(count)
    outcomes: list[Refusal] = []
    lock = threading.Lock()

    def guess() -> None:
        start.wait()
        try:
            accounts.signin("ana-acc", "a wrong guess here", address)
        except Refusal as refusal:
            with lock:
                outcomes.append(refusal)

    threads = [threading.Thread(target=guess) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_six_parallel_wrong_guesses_make_one_check(accounts: Accounts, ana: str) -> None:
    outcomes = guesses(accounts, 6)
    assert sorted(o.code for o in outcomes) == ["signin.failed"] + ["signin.throttled"] * 5
    assert all(o.retry_after > 0 for o in outcomes if isinstance(o, Throttled))
    checked = [s for s in accounts.recent_signins("ana-acc") if s.address == "10.9.9.9"]
    assert len(checked) == 1  # only the one check was made (and recorded)


def test_the_wait_doubles_per_failure_and_a_success_resets_the_account(
    accounts: Accounts, ana: str, clock: Clock
) -> None:
    for wait in (1, 2, 4):
        with pytest.raises(Refusal, match=r"signin\.failed"):
            accounts.signin("ana-acc", "a wrong guess here", "10.1.1.1")
        with pytest.raises(Throttled) as early:
            accounts.signin("ana-acc", PASSPHRASE, "10.1.1.2")  # another address: the account waits
        assert early.value.retry_after == pytest.approx(wait)
        assert early.value.retry_after_header == str(wait)
        clock.advance(seconds=wait)
    accounts.signin("ana-acc", PASSPHRASE, "10.1.1.2")
    with pytest.raises(Refusal, match=r"signin\.failed"):  # the count started again: no wait before
        accounts.signin("ana-acc", "a wrong guess here", "10.1.1.3")
    with pytest.raises(Throttled) as after:
        accounts.signin("ana-acc", PASSPHRASE, "10.1.1.3")
    assert after.value.retry_after == pytest.approx(1)


def test_an_address_waits_for_every_account_it_tries(accounts: Accounts, ana: str, clock: Clock) -> None:
    with pytest.raises(Refusal, match=r"signin\.failed"):
        accounts.signin("nobody", "a wrong guess here", "10.2.2.2")
    with pytest.raises(Throttled):
        accounts.signin("ana-acc", PASSPHRASE, "10.2.2.2")
    clock.advance(seconds=1)
    assert accounts.signin("ana-acc", PASSPHRASE, "10.2.2.2")


def test_the_wait_never_exceeds_15_minutes(accounts: Accounts, ana: str, clock: Clock) -> None:
    for _ in range(12):
        with pytest.raises(Refusal, match=r"signin\.failed"):
            accounts.signin("ana-acc", "a wrong guess here", "10.3.3.3")
        clock.advance(minutes=15)
    with pytest.raises(Refusal, match=r"signin\.failed"):
        accounts.signin("ana-acc", "a wrong guess here", "10.3.3.3")
    with pytest.raises(Throttled) as refused:
        accounts.signin("ana-acc", PASSPHRASE, "10.3.3.4")
    assert refused.value.retry_after == pytest.approx(15 * 60)
