"""Keeping the store: a consistent backup while the dashboard runs, a restore into an empty folder, and
erasing a couple so that nothing of them is left on disk."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from domain.couple import Couple
from domain.errors import Refusal
from repairtrack.bootstrap import Services
from repairtrack.config import Settings


class Refused(Refusal):
    """The request cannot be carried out as asked (exit code 2); the message says why."""


def backup(settings: Settings, out: Path) -> int:
    """Copy the event store with SQLite's online backup API (a consistent snapshot even while other
    processes write). Returns the number of entries in the copy."""
    if settings.uses_postgres:
        raise Refused(
            "store",
            "store.on_postgres",
            "the event store lives in PostgreSQL: back it up with the database's own tools, e.g. "
            "`pg_dump --format=custom --table='repairtrack_*' DBNAME > FILE`"
        )
    source_path = settings.event_store_path
    if not source_path.exists():
        raise Refused("data-dir", "store.missing", f"there is no store to back up at {source_path}")
    if out.exists():
        raise Refused("out", "path.exists", f"{out} already exists; choose a new file name")
    out.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=settings.lock_timeout)
    target = sqlite3.connect(out)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        (count,) = target.execute("SELECT count(*) FROM stored_events").fetchone()
    finally:
        target.close()
        source.close()
    return int(count)


def restore(settings: Settings, backup_file: Path) -> int:
    """Restore a backup into a data folder that holds no store yet; the read model rebuilds itself on
    first use. Returns the number of entries restored."""
    if settings.uses_postgres:
        raise Refused("store", "store.on_postgres", "the event store lives in PostgreSQL: restore it with pg_restore")
    if not backup_file.is_file():
        raise Refused("file", "path.missing", f"{backup_file}: no such file")
    target_path = settings.event_store_path
    if target_path.exists() or settings.projection_path.exists():
        raise Refused(
            "data-dir", "store.not_empty", f"{settings.data_dir} already holds a store; restore into an empty folder"
        )
    try:
        source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        (count,) = source.execute("SELECT count(*) FROM stored_events").fetchone()
    except sqlite3.DatabaseError:
        raise Refused("file", "backup.invalid", f"{backup_file} is not a repairtrack backup") from None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        source.close()
    return int(count)


def forget(services: Services, handle: str) -> int:
    """Erase a couple: its events and snapshots are deleted with SQLite's secure delete (freed pages
    zeroed), the file is vacuumed and its write-ahead log truncated; the read model is deleted and
    rebuilt from what remains. Every other couple stays as it was. Returns the events erased."""
    settings = services.settings
    couple_id = Couple.create_id(handle)
    if services.app.couple(handle) is None:
        raise Refused("couple", "couple.unknown", f"no couple {handle!r}")
    with services.read_model.lock:
        if settings.uses_postgres:
            erased = _forget_postgres(services, str(couple_id))
        else:
            erased = _forget_sqlite(settings, couple_id.hex)
        for path in settings.data_dir.glob(settings.projection_path.name + "*"):
            if not path.name.endswith(".lock"):
                path.unlink()
    services.read_model.rebuild()
    return erased


def _forget_sqlite(settings: Settings, originator_id: str) -> int:
    connection = sqlite3.connect(
        settings.event_store_path, timeout=settings.lock_timeout, isolation_level=None
    )
    try:
        connection.execute("PRAGMA secure_delete = ON")
        connection.execute("BEGIN IMMEDIATE")
        cursor = connection.execute("DELETE FROM stored_events WHERE originator_id = ?", [originator_id])
        erased = cursor.rowcount
        with contextlib.suppress(sqlite3.OperationalError):  # no snapshots table yet
            connection.execute("DELETE FROM stored_snapshots WHERE originator_id = ?", [originator_id])
        connection.execute("COMMIT")
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return int(erased)


def _forget_postgres(services: Services, originator_id: str) -> int:
    """Rows are deleted; PostgreSQL's own WAL and backups are the database operator's to expire."""
    app = services.app
    events = app.recorder.events_table_name  # type: ignore[attr-defined]
    assert app.snapshots is not None
    snapshots = app.snapshots.recorder.events_table_name  # type: ignore[attr-defined]
    with app.recorder.datastore.transaction(commit=True) as cursor:  # type: ignore[attr-defined]
        cursor.execute(f"DELETE FROM {events} WHERE originator_id = %s", [originator_id])
        erased = cursor.rowcount
        cursor.execute(f"DELETE FROM {snapshots} WHERE originator_id = %s", [originator_id])
    return int(erased)
