"""The access passphrase for a dashboard reachable from other machines.

Only an argon2id hash of the passphrase is stored (in the data folder); checking is done by argon2,
which compares in constant time. Failed attempts slow down per client address, process-wide: the
waiting time doubles with each failure (1 s, 2 s, 4 s, ... up to 5 minutes) and a page reload does not
reset it, because the record lives in the server process, not in the browser session.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.errors import Refusal
from repairtrack.services.files import atomic_private_write, private_dir

FILE_NAME = "access-passphrase.argon2"
MIN_LENGTH = 10
_hasher = PasswordHasher()


class PassphraseProblem(Exception):
    pass


def passphrase_path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def is_set(data_dir: Path) -> bool:
    return passphrase_path(data_dir).is_file()


def set_passphrase(data_dir: Path, passphrase: str) -> None:
    if len(passphrase) < MIN_LENGTH:
        raise PassphraseProblem(f"a passphrase needs at least {MIN_LENGTH} characters")
    private_dir(data_dir)
    atomic_private_write(passphrase_path(data_dir), (_hasher.hash(passphrase) + "\n").encode())


def check_passphrase(data_dir: Path, attempt: str) -> bool:
    try:
        stored = passphrase_path(data_dir).read_text().strip()
    except FileNotFoundError:
        return False
    try:
        return _hasher.verify(stored, attempt)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass
class Throttle:
    """Failures per client address, shared by every session of this server process."""

    first_delay: float = 1.0
    max_delay: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_left(self, client: str) -> float:
        """Seconds this client must still wait before its next attempt (0 when it may try)."""
        with self._lock:
            count, last = self._failures.get(client, (0, 0.0))
        if count == 0:
            return 0.0
        delay: float = min(self.first_delay * 2.0 ** (count - 1), self.max_delay)
        left: float = last + delay - self.clock()
        return max(0.0, left)

    def attempt(self, client: str, check: Callable[[], bool]) -> tuple[bool, float]:
        """Run `check` unless the client must wait; record the outcome. Returns (accepted, wait)."""
        left = self.wait_left(client)
        if left > 0:
            return False, left
        accepted = check()
        with self._lock:
            if accepted:
                self._failures.pop(client, None)
            else:
                count, _ = self._failures.get(client, (0, 0.0))
                self._failures[client] = (count + 1, self.clock())
        return accepted, 0.0 if accepted else self.wait_left(client)


THROTTLE = Throttle()  # the process-wide record used by the dashboard
