"""The composition root: the only module that knows the concrete classes. It builds the write
application and the read model from `Settings`; tests call it with a temporary data folder."""

from __future__ import annotations

import contextlib
import os
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from domain.access_app import CoupleAccessApp
from domain.application import Clock, RepairTrack, utc_now
from projections.readmodel import ReadModel
from projections.sealing import AesSealer, PlainSealer, Sealer
from repairtrack.config import Settings
from repairtrack.services.files import create_private, private_dir, private_umask, tighten
from repairtrack.services.keys import check_store_key, key_bytes, sealing_id


def configure_runtime() -> None:
    """Use the pinned `tzdata` package for every time zone, never the system's copy, so week edges
    are the same on every machine (SPEC section 7). Every file this process creates from here on is
    private to its user (umask 077, process-wide): the files SQLite and DuckDB make themselves too."""
    zoneinfo.reset_tzpath(to=())
    private_umask()


def prepare_data_dir(settings: Settings) -> None:
    """The data folder, 0700, with every file in it 0600 (tightening stores made before), and the
    SQLite file created private before SQLite opens it, so its -wal and -shm are private as well."""
    private_dir(settings.data_dir)
    tighten(settings.data_dir)
    if not settings.uses_postgres:
        with contextlib.suppress(FileExistsError):
            os.close(create_private(settings.event_store_path))


def build_app(settings: Settings, *, clock: Clock = utc_now) -> RepairTrack:
    configure_runtime()
    if settings.encryption_key:
        key_bytes(settings.encryption_key)  # a malformed key is a configuration error, said plainly
    env = settings.event_store_env()
    if not settings.uses_postgres:
        prepare_data_dir(settings)
    app = RepairTrack(env, clock=clock, retry_seconds=settings.lock_timeout)
    try:
        check_store_key(settings, app.recorder.datastore, bool(app.recorder.max_notification_id()))  # type: ignore[attr-defined]
    except BaseException:
        app.close()
        raise
    return app


def build_access(settings: Settings, *, clock: Clock = utc_now) -> CoupleAccessApp:
    """The couples' access records (grants, session dates, the access log), in the event store of
    `build_app` (call that first: it prepares the data folder and checks the key)."""
    return CoupleAccessApp(settings.event_store_env(), clock=clock, retry_seconds=settings.lock_timeout)


def build_sealer(settings: Settings) -> Sealer:
    if settings.encryption_key:
        return AesSealer(key_bytes(settings.encryption_key))
    return PlainSealer()


def build_read_model(settings: Settings, app: RepairTrack) -> ReadModel:
    configure_runtime()
    prepare_data_dir(settings)
    return ReadModel(
        settings.projection_path,
        app.recorder,
        sealer=build_sealer(settings),
        cipher=app.mapper.cipher,
        lock_timeout=settings.lock_timeout,
        sealing=sealing_id(settings),
    )


@dataclass
class Services:
    """Everything a command or the dashboard needs, built once from settings."""

    settings: Settings
    app: RepairTrack
    read_model: ReadModel
    access: CoupleAccessApp

    def close(self) -> None:
        self.access.close()
        self.app.close()


def build(settings: Settings, *, clock: Clock = utc_now) -> Services:
    app = build_app(settings, clock=clock)
    try:
        access = build_access(settings, clock=clock)
    except BaseException:
        app.close()
        raise
    return Services(settings, app, build_read_model(settings, app), access)


@contextmanager
def services(settings: Settings, *, clock: Clock = utc_now) -> Iterator[Services]:
    built = build(settings, clock=clock)
    try:
        yield built
    finally:
        built.close()


def settings_for(data_dir: Path | str) -> Settings:
    """Settings for a data folder, ignoring the process environment (for tests and tools)."""
    return Settings.from_env(data_dir=data_dir, environ={})
