"""The access passphrase for a dashboard reachable from other machines.

Only an argon2id hash of the passphrase is stored (in the data folder); checking is done by argon2,
which compares in constant time. Checks go through the one throttle (`repairtrack.services.throttle`),
keyed by the client address (the socket's peer, never `X-Forwarded-For`): one check at a time per
address, and after a failure a wait that doubles (1 s, 2 s, 4 s, ... up to 15 minutes). A page reload
does not reset it, because the record lives in the server process, not in the browser session.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from repairtrack.services.throttle import Refused, Throttle

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


@dataclass(frozen=True)
class Attempt:
    """How one try at the passphrase went: `checked` is False when the throttle refused it."""

    accepted: bool
    checked: bool
    retry_after: float


def client_key(address: str) -> str:
    """The throttle key of a client address (the socket's peer)."""
    return f"address:{address}"


def try_passphrase(data_dir: Path, attempt: str, *, client: str, throttle: Throttle | None = None) -> Attempt:
    """Check `attempt` unless `client` (its address) must wait or has a check running (SPEC section 8):
    at most one check at a time per client address, and after a failure a doubling wait."""
    used = throttle if throttle is not None else THROTTLE
    outcome = used.check([client_key(client)], lambda: check_passphrase(data_dir, attempt))
    if isinstance(outcome, Refused):
        return Attempt(accepted=False, checked=False, retry_after=outcome.retry_after)
    retry_after = 0.0 if outcome else used.wait_left(client_key(client))
    return Attempt(accepted=outcome, checked=True, retry_after=retry_after)


def wait_left(client: str, *, throttle: Throttle | None = None) -> float:
    """Seconds before `client` may try again."""
    return (throttle if throttle is not None else THROTTLE).wait_left(client_key(client))


THROTTLE = Throttle()  # the process-wide record used by the dashboard (repairtrack.services.throttle)
