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
from domain.identity_app import Identity
from projections.readmodel import ReadModel
from projections.sealing import AesSealer, PlainSealer, Sealer
from repairtrack.config import Settings
from repairtrack.services.files import create_private, private_dir, private_umask, tighten
from repairtrack.services.identity import Accounts
from repairtrack.services.keys import check_store_key, id_scheme, key_bytes, move_to_keyed_ids, sealing_id
from repairtrack.services.sessionstore import (
    PostgresSessionStore,
    SessionStore,
    SqliteSessionStore,
    postgres_conninfo,
)


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
    app = RepairTrack(env, clock=clock, retry_seconds=settings.lock_timeout, ids=id_scheme(settings))
    try:
        check_store_key(settings, app.recorder.datastore, bool(app.recorder.max_notification_id()))  # type: ignore[attr-defined]
        move_to_keyed_ids(settings, app)  # an encrypted store of the layout before keyed ids, once
    except BaseException:
        app.close()
        raise
    return app


def build_access(settings: Settings, *, clock: Clock = utc_now) -> CoupleAccessApp:
    """The couples' access records (grants, session dates, the access log), in the event store of
    `build_app` (call that first: it prepares the data folder and checks the key)."""
    return CoupleAccessApp(
        settings.event_store_env(), clock=clock, retry_seconds=settings.lock_timeout, ids=id_scheme(settings)
    )


def build_identity(settings: Settings, *, clock: Clock = utc_now) -> Identity:
    """The accounts and invitations (`domain.identity_app.Identity`), in the event store of `build_app`
    (the same env, encryption included). Alone (a command that needs only accounts) it prepares the
    data folder and checks the key as `build_app` does."""
    configure_runtime()
    if settings.encryption_key:
        key_bytes(settings.encryption_key)
    if not settings.uses_postgres:
        prepare_data_dir(settings)
    identity = Identity(settings.event_store_env(), clock=clock, ids=id_scheme(settings))
    try:
        check_store_key(settings, identity.recorder.datastore, bool(identity.recorder.max_notification_id()))  # type: ignore[attr-defined]
    except BaseException:
        identity.close()
        raise
    return identity


def build_session_store(settings: Settings) -> SessionStore:
    """Sessions, tokens, sign-ins and the throttle's record, in the database of the events."""
    store: SessionStore
    if settings.uses_postgres:
        conninfo = postgres_conninfo(settings.event_store_env())
        store = PostgresSessionStore(conninfo, timeout=settings.lock_timeout)
    else:
        prepare_data_dir(settings)
        store = SqliteSessionStore(settings.event_store_path, timeout=settings.lock_timeout)
    store.create_schema()
    return store


def build_accounts(
    settings: Settings, app: RepairTrack, identity: Identity, *, clock: Clock = utc_now
) -> Accounts:
    """The accounts service (SPEC section 8) over the identity, the couples and the session store."""
    return Accounts(identity, app, build_session_store(settings), clock=clock)


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
        ids=app.ids,
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
    identity: Identity
    accounts: Accounts

    def close(self) -> None:
        self.accounts.close()
        self.identity.close()
        self.access.close()
        self.app.close()


def build(settings: Settings, *, clock: Clock = utc_now) -> Services:
    app = build_app(settings, clock=clock)
    try:
        access = build_access(settings, clock=clock)
    except BaseException:
        app.close()
        raise
    try:
        identity = Identity(settings.event_store_env(), clock=clock, ids=id_scheme(settings))
        accounts = build_accounts(settings, app, identity, clock=clock)
    except BaseException:
        access.close()
        app.close()
        raise
    return Services(settings, app, build_read_model(settings, app), access, identity, accounts)


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
