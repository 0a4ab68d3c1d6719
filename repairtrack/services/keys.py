"""Encryption at rest: the key's shape, and a check that the configured key is the store's key.

The event store remembers whether it is encrypted, and with which key, as a fingerprint (a keyed hash
that reveals nothing of the key) in a small table of its own. Opening an encrypted store without its
key, with another key, or a plain store with a key, stops with a clear sentence instead of garbage.
The key itself is never printed (except once, by `repairtrack keygen`) and never logged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import Any

from eventsourcing.cryptography import AESCipher

from repairtrack.config import ENCRYPTION_KEY_VAR, ConfigError, Settings

KEY_BYTES = 32


def new_key() -> str:
    return AESCipher.create_key(num_bytes=KEY_BYTES)


def key_bytes(key: str) -> bytes:
    try:
        raw = base64.b64decode(key.encode(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) not in AESCipher.KEY_SIZES:
        raise ConfigError(
            ENCRYPTION_KEY_VAR,
            "key.invalid",
            f"{ENCRYPTION_KEY_VAR} is not a key made by `repairtrack keygen` (expected 32 bytes in base64)"
        )
    return raw


def fingerprint(key: str) -> str:
    return hmac.new(key_bytes(key), b"repairtrack key check", hashlib.sha256).hexdigest()[:32]


def sealing_id(settings: Settings) -> str:
    """What the read model records about how its text is sealed: 'plain' or the key's fingerprint."""
    return fingerprint(settings.encryption_key) if settings.encryption_key else "plain"


def check_store_key(settings: Settings, datastore: Any, has_events: bool) -> None:
    """Record the store's encryption on first use; afterwards, refuse a mismatching configuration."""
    wanted = sealing_id(settings)
    marker = "?" if not settings.uses_postgres else "%s"
    with datastore.transaction(commit=True) as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS repairtrack_meta (key VARCHAR(64) PRIMARY KEY, value TEXT)"
        )
        cursor.execute(f"SELECT value FROM repairtrack_meta WHERE key = {marker}", ["encryption"])
        row = cursor.fetchone()
        if row is None:
            # A store with events but no record was written before encryption existed: plain.
            found = "plain" if has_events else wanted
            cursor.execute(
                f"INSERT INTO repairtrack_meta (key, value) VALUES ({marker}, {marker})",
                ["encryption", found],
            )
        else:
            found = row["value"]
    if found == wanted:
        return
    if found == "plain":
        raise ConfigError(
            ENCRYPTION_KEY_VAR,
            "key.unexpected",
            f"this store ({settings.describe_store()}) is not encrypted, but {ENCRYPTION_KEY_VAR} is "
            "set; unset it (an existing plain store cannot be encrypted in place: export and import "
            "into a new, encrypted store)"
        )
    if wanted == "plain":
        raise ConfigError(
            ENCRYPTION_KEY_VAR,
            "key.missing",
            f"this store ({settings.describe_store()}) is encrypted: set {ENCRYPTION_KEY_VAR} to its key"
        )
    raise ConfigError(
        ENCRYPTION_KEY_VAR,
        "key.wrong",
        f"{ENCRYPTION_KEY_VAR} is not the key this store ({settings.describe_store()}) was encrypted with"
    )
