"""One throttle for every passphrase check (SPEC section 8, "Throttling").

A check is done under keys, e.g. `address:10.0.0.2` for the dashboard's access passphrase, or an
account's key and its client address's key when signing in. For each key:

- at most one check runs at a time: `acquire` marks every key busy at once, atomically, so parallel
  guesses cannot all pass a "may I try?" question before the first failure is recorded;
- after a failure the next attempt waits 1 s, then 2 s, 4 s, ... up to 15 minutes;
- a success resets the count (of all keys, or only of those the caller names);
- a request during a check or during a wait is refused with a retry-after, without a check.

The record lives behind `ThrottleStore`, a small interface: `MemoryStore` keeps it in this process;
a store in the database (several app servers sharing one record) implements the same four methods,
`locked` being a write transaction there. A key stays busy at most `lease` seconds, so a check whose
process died does not lock its keys out forever.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from typing import Protocol

FIRST_DELAY = 1.0
MAX_DELAY = 15 * 60.0
LEASE = 60.0  # no check takes this long; a busy mark older than this is stale
BUSY_RETRY = 1.0  # what a request arriving during a check is told to wait


@dataclass(frozen=True)
class KeyRecord:
    """What the throttle knows about one key."""

    failures: int = 0
    last_failure: float = 0.0
    busy_until: float = 0.0  # a check holds the key until it is released, at most until this moment
    busy_ticket: int = 0


@dataclass(frozen=True)
class Ticket:
    """Leave to run one check under these keys; give it back with `Throttle.release`."""

    keys: tuple[str, ...]
    number: int


@dataclass(frozen=True)
class Refused:
    """No check now: try again in `retry_after` seconds."""

    retry_after: float

    @property
    def retry_after_header(self) -> str:
        """Whole seconds, rounded up, as HTTP's `Retry-After` wants them."""
        return str(max(1, math.ceil(self.retry_after)))


class ThrottleStore(Protocol):
    """Where the records live. `locked` makes what happens inside it atomic for every user of the
    store (a lock in memory, a write transaction in a database)."""

    def locked(self) -> AbstractContextManager[None]: ...

    def read(self, key: str) -> KeyRecord: ...

    def write(self, key: str, record: KeyRecord) -> None: ...

    def clear(self) -> None: ...


class MemoryStore:
    """The records in this process, shared by every session and thread of it."""

    def __init__(self) -> None:
        self._records: dict[str, KeyRecord] = {}
        self._lock = threading.Lock()

    @contextmanager
    def locked(self) -> Iterator[None]:
        with self._lock:
            yield

    def read(self, key: str) -> KeyRecord:
        return self._records.get(key, KeyRecord())

    def write(self, key: str, record: KeyRecord) -> None:
        if record == KeyRecord():
            self._records.pop(key, None)
        else:
            self._records[key] = record

    def clear(self) -> None:
        with self._lock:
            self._records.clear()


class Throttle:
    """Failed checks slow down their keys; see the module's docstring for the rules.

    `clock` gives seconds; the default (monotonic) suits a record in memory, a shared store needs a
    clock all servers agree on (`time.time`).
    """

    def __init__(
        self,
        store: ThrottleStore | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        first_delay: float = FIRST_DELAY,
        max_delay: float = MAX_DELAY,
        lease: float = LEASE,
    ) -> None:
        self.store: ThrottleStore = store if store is not None else MemoryStore()
        self.clock = clock
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.lease = lease

    def delay(self, failures: int) -> float:
        """How long the next attempt waits after this many failures in a row."""
        if failures <= 0:
            return 0.0
        return min(self.first_delay * 2.0 ** min(failures - 1, 64), self.max_delay)

    def _wait(self, record: KeyRecord, now: float) -> float:
        if record.busy_until > now:
            return BUSY_RETRY
        return max(0.0, record.last_failure + self.delay(record.failures) - now)

    def acquire(self, keys: Iterable[str]) -> Ticket | Refused:
        """Leave to check now under every key, or a refusal saying how long to wait (nothing is
        marked then). Either all keys are taken or none."""
        wanted = tuple(dict.fromkeys(keys))
        if not wanted:
            raise ValueError("a check needs at least one key")
        with self.store.locked():
            now = self.clock()
            records = {key: self.store.read(key) for key in wanted}
            wait = max(self._wait(record, now) for record in records.values())
            if wait > 0:
                return Refused(wait)
            number = secrets.randbits(62) or 1  # unique across processes sharing one record
            for key, record in records.items():
                self.store.write(key, replace(record, busy_until=now + self.lease, busy_ticket=number))
            return Ticket(wanted, number)

    def release(self, ticket: Ticket, success: bool, *, reset: Collection[str] | None = None) -> None:
        """The check of `ticket` is done. A failure counts against every key; a success resets the
        keys in `reset` (all of the ticket's keys when not given) and leaves the others as they are."""
        with self.store.locked():
            now = self.clock()
            for key in ticket.keys:
                record = self.store.read(key)
                if record.busy_ticket == ticket.number:
                    record = replace(record, busy_until=0.0, busy_ticket=0)
                if not success:
                    record = replace(record, failures=record.failures + 1, last_failure=now)
                elif reset is None or key in reset:
                    record = replace(record, failures=0, last_failure=0.0)
                self.store.write(key, record)

    def check(self, keys: Sequence[str], check: Callable[[], bool]) -> bool | Refused:
        """Run `check` under `keys` when allowed: its answer, or the refusal (then it did not run)."""
        ticket = self.acquire(keys)
        if isinstance(ticket, Refused):
            return ticket
        accepted = False
        try:
            accepted = check()
        finally:
            self.release(ticket, accepted)
        return accepted

    def attempt(self, key: str, check: Callable[[], bool]) -> tuple[bool, float]:
        """`check` under one key: (accepted, seconds to wait before the next attempt)."""
        outcome = self.check([key], check)
        if isinstance(outcome, Refused):
            return False, outcome.retry_after
        return outcome, 0.0 if outcome else self.wait_left(key)

    def wait_left(self, key: str) -> float:
        """Seconds before `key` may be checked again (0 when it may be now)."""
        with self.store.locked():
            return self._wait(self.store.read(key), self.clock())

    def clear(self) -> None:
        """Forget every record (for tests and for an operator's reset)."""
        self.store.clear()
