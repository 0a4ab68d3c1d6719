"""Encryption at rest: the key's shape, and a check that the configured key is the store's key.

The event store remembers whether it is encrypted, and with which key, as a fingerprint (a keyed hash
that reveals nothing of the key) in a small table of its own. Opening an encrypted store without its
key, with another key, or a plain store with a key, stops with a clear sentence instead of garbage.
The key itself is never printed (except once, by `repairtrack keygen`) and never logged.

An encrypted store also derives its aggregate ids with a keyed hash (`id_scheme`), so an id tells
nothing of the handle it was made from; the same table records that layout. Stores encrypted before
carry ids made with `uuid5` of the handle: `move_to_keyed_ids` moves them once, when first opened.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import sqlite3
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from eventsourcing.application import Application
from eventsourcing.cryptography import AESCipher
from filelock import FileLock

from domain.ids import PLAIN_IDS, IdScheme
from domain.interface import REGISTERED_TOPIC
from repairtrack.config import ENCRYPTION_KEY_VAR, ConfigError, Settings

KEY_BYTES = 32
IDS_RECORD = "ids"  # repairtrack_meta: how aggregate ids are made (absent: uuid5, as before)
PAGE = 1000


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
            f"{ENCRYPTION_KEY_VAR} is not a key made by `repairtrack keygen` (expected 32 bytes in base64)",
        )
    return raw


def fingerprint(key: str) -> str:
    return hmac.new(key_bytes(key), b"repairtrack key check", hashlib.sha256).hexdigest()[:32]


def id_scheme(settings: Settings) -> IdScheme:
    """`uuid5` ids without a key; with one, HMAC-SHA256 under a subkey of the key (HKDF, its own
    purpose), so the ids say nothing of the names they are made from to whoever lacks the key."""
    if not settings.encryption_key:
        return PLAIN_IDS
    subkey = HKDF(algorithm=SHA256(), length=32, salt=None, info=b"repairtrack/aggregate-ids").derive(
        key_bytes(settings.encryption_key)
    )
    return IdScheme(lambda message: hmac.digest(subkey, message, "sha256"))


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
            if found != "plain":  # a new encrypted store: keyed ids from its first event on
                cursor.execute(
                    f"INSERT INTO repairtrack_meta (key, value) VALUES ({marker}, {marker})",
                    [IDS_RECORD, id_scheme(settings).layout],
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
            "into a new, encrypted store)",
        )
    if wanted == "plain":
        raise ConfigError(
            ENCRYPTION_KEY_VAR,
            "key.missing",
            f"this store ({settings.describe_store()}) is encrypted: set {ENCRYPTION_KEY_VAR} to its key",
        )
    raise ConfigError(
        ENCRYPTION_KEY_VAR,
        "key.wrong",
        f"{ENCRYPTION_KEY_VAR} is not the key this store ({settings.describe_store()}) was encrypted with",
    )


# ----------------------------------------------------------------------------------------------
# Stores encrypted before ids were keyed.
# ----------------------------------------------------------------------------------------------
def move_to_keyed_ids(settings: Settings, app: Application[UUID]) -> int:
    """An encrypted store whose couples are stored under `uuid5` of their handle (the layout before
    keyed ids) moves every couple's events and snapshots to its keyed id, in one transaction that also
    records the new layout, keeping the order of the notification log; then the read model, which
    holds the old ids, is deleted to rebuild itself. Returns how many couples moved (0 when the store
    is plain or already keyed)."""
    scheme = id_scheme(settings)
    if not scheme.is_keyed or _layout(settings, app) is not None:
        return 0
    moves = [(old, scheme.couple_id(handle)) for old, handle in _legacy_couples(app)]
    with FileLock(str(settings.projection_path) + ".lock", timeout=settings.lock_timeout, mode=0o600):
        if settings.uses_postgres:
            moved = _move_postgres(app, moves, scheme.layout)
        else:
            moved = _move_sqlite(settings, app, moves, scheme.layout)
        if moved is not None:  # (None: another process moved them meanwhile)
            for path in settings.data_dir.glob(settings.projection_path.name + "*"):
                if not path.name.endswith(".lock"):
                    path.unlink()
    return moved or 0


def _layout(settings: Settings, app: Application[UUID]) -> str | None:
    marker = "%s" if settings.uses_postgres else "?"
    with app.recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
        cursor.execute(f"SELECT value FROM repairtrack_meta WHERE key = {marker}", [IDS_RECORD])
        row = cursor.fetchone()
    return None if row is None else str(row["value"])


def _legacy_couples(app: Application[UUID]) -> list[tuple[UUID, str]]:
    """(stored id, handle) of every couple stored under `uuid5` of its handle."""
    found = []
    start: int | None = None
    while page := app.recorder.select_notifications(
        start, PAGE, topics=[REGISTERED_TOPIC], inclusive_of_start=False
    ):
        for notification in page:
            handle = str(app.mapper.to_domain_event(notification).handle)  # type: ignore[attr-defined]
            stored = UUID(str(notification.originator_id))
            if stored == PLAIN_IDS.couple_id(handle):
                found.append((stored, handle))
        start = page[-1].id
    return found


def _tables(app: Application[UUID]) -> tuple[str, str]:
    assert app.snapshots is not None
    events: str = app.recorder.events_table_name  # type: ignore[attr-defined]
    snapshots: str = app.snapshots.recorder.events_table_name  # type: ignore[attr-defined]
    return events, snapshots


def _move_sqlite(
    settings: Settings, app: Application[UUID], moves: list[tuple[UUID, UUID]], layout: str
) -> int | None:
    """With secure delete (freed pages zeroed), a vacuum and a truncated write-ahead log, so the old
    ids stay nowhere in the file."""
    events, snapshots = _tables(app)
    connection = sqlite3.connect(
        settings.event_store_path, timeout=settings.lock_timeout, isolation_level=None
    )
    try:
        connection.execute("PRAGMA secure_delete = ON")
        connection.execute("BEGIN IMMEDIATE")
        try:
            if connection.execute("SELECT 1 FROM repairtrack_meta WHERE key = ?", [IDS_RECORD]).fetchone():
                connection.execute("ROLLBACK")
                return None
            for old, new in moves:
                # rowid (the notification id) stays: UPDATE keeps each row's place in the log.
                for table in (events, snapshots):  # the library stores these ids as 32 hex digits
                    connection.execute(
                        f"UPDATE {table} SET originator_id = ? WHERE originator_id = ?", [new.hex, old.hex]
                    )
            connection.execute(
                "INSERT INTO repairtrack_meta (key, value) VALUES (?, ?)", [IDS_RECORD, layout]
            )
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return len(moves)


def _move_postgres(app: Application[UUID], moves: list[tuple[UUID, UUID]], layout: str) -> int | None:
    """The rows are updated in place (notification_id stays); PostgreSQL's own WAL is the operator's."""
    events, snapshots = _tables(app)
    with app.recorder.datastore.transaction(commit=True) as cursor:  # type: ignore[attr-defined]
        cursor.execute("LOCK TABLE repairtrack_meta IN EXCLUSIVE MODE")
        cursor.execute("SELECT 1 FROM repairtrack_meta WHERE key = %s", [IDS_RECORD])
        if cursor.fetchone() is not None:
            return None
        for old, new in moves:
            for table in (events, snapshots):
                cursor.execute(
                    f"UPDATE {table} SET originator_id = %s WHERE originator_id = %s", [str(new), str(old)]
                )
        cursor.execute("INSERT INTO repairtrack_meta (key, value) VALUES (%s, %s)", [IDS_RECORD, layout])
    return len(moves)
