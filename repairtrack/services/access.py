"""Passphrase hashing, and the end of the shared access passphrase.

Earlier versions guarded a dashboard reachable from other machines with one shared passphrase
(`repairtrack passphrase`). Accounts replace it (SPEC section 8): every person signs in with their own
account (`repairtrack account invite`), and `repairtrack dashboard` serves beyond this machine only in
accounts mode and over TLS or behind a trusted proxy. `repairtrack passphrase` now says so and stops.

What stays are the argon2id helpers: only a hash of a passphrase is ever stored (argon2-cffi's
`PasswordHasher()` defaults, the parameters `repairtrack.services.identity` uses), and checking is done by
argon2, which compares in constant time. Throttling the checks is `repairtrack.services.throttle`'s.
"""

from __future__ import annotations

from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.errors import Refusal

MIN_LENGTH: Final = 10
LEGACY_FILE_NAME: Final = "access-passphrase.argon2"  # what `repairtrack passphrase` wrote; no longer read
REPLACED: Final = (
    "accounts replace the shared access passphrase: invite each person with `repairtrack account invite` "
    "and serve beyond this machine with `repairtrack dashboard --host H --tls-cert FILE --tls-key FILE`"
)
_hasher = PasswordHasher()


class PassphraseProblem(Refusal):
    """A passphrase that cannot protect anything (too short)."""


def passphrase_replaced() -> Refusal:
    """The refusal `repairtrack passphrase` answers with (exit 2)."""
    return Refusal("passphrase", "passphrase.replaced", REPLACED)


def hash_passphrase(passphrase: str) -> str:
    """The argon2id hash to store (never the passphrase)."""
    if len(passphrase) < MIN_LENGTH:
        raise PassphraseProblem(
            "passphrase", "passphrase.too_short", f"a passphrase needs at least {MIN_LENGTH} characters"
        )
    return _hasher.hash(passphrase)


def verify_passphrase(stored: str, attempt: str) -> bool:
    """Whether `attempt` matches the stored hash (False for a damaged hash, never an error)."""
    try:
        return _hasher.verify(stored, attempt)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
