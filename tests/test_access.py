"""The access passphrase: stored only as an argon2 hash, checked in constant time by argon2, with
failures slowed down per client address for the whole server process."""

from __future__ import annotations

from pathlib import Path

import pytest

from repairtrack.services.access import (
    PassphraseProblem,
    check_passphrase,
    is_set,
    passphrase_path,
    set_passphrase,
)
from repairtrack.services.throttle import Throttle


def test_only_a_hash_of_the_passphrase_is_stored(tmp_path: Path) -> None:
    assert not is_set(tmp_path)
    set_passphrase(tmp_path, "correct horse battery")
    stored = passphrase_path(tmp_path).read_text()
    assert "correct horse" not in stored and stored.startswith("$argon2id$")
    assert passphrase_path(tmp_path).stat().st_mode & 0o777 == 0o600
    assert check_passphrase(tmp_path, "correct horse battery")
    assert not check_passphrase(tmp_path, "correct horse batterY")
    assert not check_passphrase(tmp_path / "elsewhere", "correct horse battery")


def test_a_short_passphrase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PassphraseProblem):
        set_passphrase(tmp_path, "short")
    assert not is_set(tmp_path)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failures_slow_down_each_client_and_a_success_resets_it() -> None:
    clock = FakeClock()
    throttle = Throttle(clock=clock)
    assert throttle.attempt("10.0.0.2", lambda: False) == (False, 1.0)
    # Immediately again: refused without even checking, however many reloads.
    calls = []
    accepted, wait = throttle.attempt("10.0.0.2", lambda: calls.append(1) or True)
    assert (accepted, wait, calls) == (False, 1.0, [])
    clock.now += 1.0
    assert throttle.attempt("10.0.0.2", lambda: False) == (False, 2.0)
    clock.now += 2.0
    assert throttle.attempt("10.0.0.2", lambda: False) == (False, 4.0)
    # Another address is not slowed down by the first one's failures.
    assert throttle.attempt("10.0.0.3", lambda: True) == (True, 0.0)
    clock.now += 4.0
    assert throttle.attempt("10.0.0.2", lambda: True) == (True, 0.0)
    assert throttle.wait_left("10.0.0.2") == 0.0


def test_the_delay_is_capped() -> None:
    clock = FakeClock()
    throttle = Throttle(clock=clock, max_delay=300.0)
    for _ in range(20):
        clock.now += 1000
        throttle.attempt("x", lambda: False)
    assert throttle.wait_left("x") == 300.0
