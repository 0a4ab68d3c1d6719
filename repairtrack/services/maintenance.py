"""Keeping the store: a consistent backup while the dashboard runs, a restore into an empty folder, and
erasing a couple so that nothing of them is left on disk."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path
from uuid import UUID

from domain.application import RepairTrack
from domain.errors import Refusal
from repairtrack.bootstrap import Services, build_app, build_session_store, settings_for
from repairtrack.config import ENCRYPTION_KEY_VAR, Settings
from repairtrack.services.files import create_private, place, private_dir, private_temporary


class Refused(Refusal):
    """The request cannot be carried out as asked (exit code 2); the message says why."""


def backup(settings: Settings, out: Path) -> int:
    """Copy the event store with SQLite's online backup API (a consistent snapshot even while other
    processes write) into a private temporary file beside `out`, then move it to `out`, which must
    not exist (not even as a symlink). Returns the number of entries in the copy."""
    if settings.uses_postgres:
        raise Refused(
            "store",
            "store.on_postgres",
            "the event store lives in PostgreSQL: back it up with the database's own tools, e.g. "
            "`pg_dump --format=custom --table='repairtrack_*' DBNAME > FILE`",
        )
    source_path = settings.event_store_path
    if not source_path.exists():
        raise Refused("data-dir", "store.missing", f"there is no store to back up at {source_path}")
    taken = Refused("out", "path.exists", f"{out} already exists; choose a new file name")
    if out.is_symlink() or out.exists():
        raise taken
    folder = private_dir(out.parent, existing_too=False)
    with private_temporary(folder, out.name) as temporary:
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=settings.lock_timeout)
        target = sqlite3.connect(temporary)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            (count,) = target.execute("SELECT count(*) FROM stored_events").fetchone()
        finally:
            target.close()
            source.close()
        try:
            place(temporary, out, replace=False)
        except FileExistsError:
            raise taken from None
    return int(count)


def restore(settings: Settings, backup_file: Path) -> int:
    """Restore a backup into a data folder that holds no store yet; the read model rebuilds itself on
    first use. Returns the number of entries restored.

    Nothing of the backup is trusted until checked: it is copied to a private staging folder inside the
    data folder, its schema must be exactly (a part of) the schema of a new store (no triggers, views or
    extra tables that could rewrite later entries), it must open with the configured key, and every
    event and snapshot in it must decode. Only then is it moved into place in one step; otherwise the
    data folder is left as it was (empty) and the restore is refused."""
    if settings.uses_postgres:
        raise Refused(
            "store", "store.on_postgres", "the event store lives in PostgreSQL: restore it with pg_restore"
        )
    if not backup_file.is_file():
        raise Refused("file", "path.missing", f"{backup_file}: no such file")
    target_path = settings.event_store_path
    if any(p.is_symlink() or p.exists() for p in (target_path, settings.projection_path)):
        raise Refused(
            "data-dir",
            "store.not_empty",
            f"{settings.data_dir} already holds a store; restore into an empty folder",
        )
    existed = settings.data_dir.exists()
    private_dir(settings.data_dir)
    staging = settings.data_dir / f".restore-{secrets.token_hex(8)}"
    staging.mkdir(mode=0o700)
    placed = False
    try:
        staged = replace(settings, data_dir=staging / "store")
        count = _check_backup(backup_file, staged, reference=staging / "new")
        try:
            place(staged.event_store_path, target_path, replace=False)
        except FileExistsError:
            raise Refused(
                "data-dir",
                "store.not_empty",
                f"{settings.data_dir} got a store meanwhile; nothing was restored",
            ) from None
        placed = True
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if not placed and not existed:
            with contextlib.suppress(OSError):
                settings.data_dir.rmdir()
    return count


def _check_backup(backup_file: Path, staged: Settings, *, reference: Path) -> int:
    """Copy the backup to `staged`'s store file and check it (see `restore`); returns its entries."""
    not_ours = Refused(
        "file", "backup.invalid", f"{backup_file} is not a repairtrack backup; nothing was restored"
    )
    with backup_file.open("rb") as source:
        if source.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise not_ours
        source.seek(0)
        private_dir(staged.data_dir)
        with os.fdopen(create_private(staged.event_store_path), "wb") as copy:
            shutil.copyfileobj(source, copy)
    try:
        found = _schema(staged.event_store_path)
    except sqlite3.DatabaseError:
        raise not_ours from None
    expected = _schema_of_new_store(reference)
    extra = sorted(found - expected)
    if extra:
        kind, name = extra[0][:2]
        raise Refused(
            "file",
            "backup.untrusted",
            f"{backup_file} holds the {kind} {name!r}, which no repairtrack store has; nothing was restored",
        )
    if not any(item[:2] == ("table", "stored_events") for item in found):
        raise not_ours
    try:
        app = build_app(staged)  # refuses a missing or wrong key before anything is decoded
    except Refusal as refusal:
        detail = KEY_REFUSALS.get(refusal.code, "{detail}").format(
            file=backup_file, var=ENCRYPTION_KEY_VAR, detail=refusal.detail
        )
        raise Refused(refusal.field, refusal.code, f"{detail}; nothing was restored") from None
    try:
        count = _decode_everything(app, staged.event_store_path, backup_file)
    finally:
        app.close()
    with contextlib.closing(sqlite3.connect(staged.event_store_path)) as connection:
        for table in ("rt_sessions", "rt_throttle"):  # sessions of the backup's time do not come back
            with contextlib.suppress(sqlite3.OperationalError):  # a backup made before accounts
                connection.execute(f"DELETE FROM {table}")
        connection.commit()
        connection.execute("PRAGMA journal_mode=DELETE")  # one file to move: no -wal left beside it
    return count


SQLITE_HEADER = b"SQLite format 3\x00"
KEY_REFUSALS = {  # the key check's refusals, about the backup rather than the staging copy
    "key.missing": "{file} is encrypted: set {var} to its key",
    "key.wrong": "{var} is not the key {file} was encrypted with",
    "key.unexpected": "{file} is not encrypted, but {var} is set: unset it",
}
SchemaItem = tuple[str, str, str, str | None]


def _schema(path: Path) -> set[SchemaItem]:
    """What a SQLite file holds (type, name, table, SQL), read without running anything stored in it;
    a damaged file raises `sqlite3.DatabaseError`."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        connection.execute("PRAGMA trusted_schema = OFF")
        (verdict,) = connection.execute("PRAGMA integrity_check(1)").fetchone()
        if verdict != "ok":
            raise sqlite3.DatabaseError(verdict)
        rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return {(str(t), str(n), str(tb), None if s is None else str(s)) for t, n, tb, s in rows}


def _schema_of_new_store(folder: Path) -> set[SchemaItem]:
    """The schema the event store's recorder, the key check and the session store (sessions, tokens,
    sign-ins, the throttle's record) create in a new store."""
    build_app(settings_for(folder)).close()
    build_session_store(settings_for(folder)).close()
    return _schema(folder / settings_for(folder).event_store_path.name)


def _decode_everything(app: RepairTrack, path: Path, backup_file: Path) -> int:
    """Decode every stored event and snapshot with the application's mapper (and so with its key)."""
    damaged = Refused(
        "file",
        "backup.damaged",
        f"{backup_file} holds an entry that cannot be read (damaged, or changed by hand); "
        "nothing was restored",
    )
    count = 0
    start: int | None = None
    try:
        while page := app.recorder.select_notifications(start, 1000, inclusive_of_start=False):
            for notification in page:
                app.mapper.to_domain_event(notification)
            count += len(page)
            start = page[-1].id
        assert app.snapshots is not None
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
            snapshots = []
            if "stored_snapshots" in tables:
                snapshots = connection.execute(
                    "SELECT originator_id, count(*) FROM stored_snapshots GROUP BY originator_id"
                ).fetchall()
        for originator_id, stored in snapshots:
            found = app.snapshots.recorder.select_events(UUID(hex=str(originator_id)))
            if len(found) != stored:
                raise damaged
            for snapshot in found:
                app.mapper.to_domain_event(snapshot)
    except Exception:  # whatever the reason an entry does not decode, it is not ours
        raise damaged from None
    return count


def forget(services: Services, handle: str) -> int:
    """Erase a couple: its events and snapshots are deleted with SQLite's secure delete (freed pages
    zeroed), the file is vacuumed and its write-ahead log truncated; the read model is deleted and
    rebuilt from what remains. Every other couple stays as it was. Returns the events erased."""
    settings = services.settings
    originator = services.app.ids.couple_id(handle)
    if not services.app.exists(handle):
        raise Refused("couple", "couple.unknown", f"no couple {handle!r}")
    with services.read_model.lock:
        if settings.uses_postgres:
            erased = _forget_postgres(services, str(originator))
        else:
            erased = _forget_sqlite(settings, originator.hex)
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
