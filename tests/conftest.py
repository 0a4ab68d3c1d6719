"""Shared fixtures: a temporary data folder, a clock we control, the write application on a real
SQLite file, and a real PostgreSQL server started once per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from domain.application import RepairTrack
from repairtrack.bootstrap import build_app, settings_for
from repairtrack.config import Settings
from tests.support.postgres import PostgresServer

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "thorough", deadline=None, max_examples=500, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

IN_CI = bool(os.environ.get("CI"))
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class Clock:
    """The edge of the world we fake: what time it is."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store_settings(data_dir: Path) -> Settings:
    return settings_for(data_dir)


@pytest.fixture
def app(store_settings: Settings, clock: Clock) -> Iterator[RepairTrack]:
    application = build_app(store_settings, clock=clock)
    yield application
    application.close()


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    server = PostgresServer.start()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on the session's server."""
    return postgres_server.fresh_database()
