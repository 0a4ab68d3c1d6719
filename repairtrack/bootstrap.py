"""The composition root: the only module that knows the concrete classes. It builds the write
application (and, through `open_projection`, the read side) from `Settings`; tests call it with a
temporary data folder."""

from __future__ import annotations

import zoneinfo
from pathlib import Path

from domain.application import Clock, RepairTrack, utc_now
from repairtrack.config import Settings


def configure_runtime() -> None:
    """Use the pinned `tzdata` package for every time zone, never the system's copy, so week edges
    are the same on every machine (SPEC section 7)."""
    zoneinfo.reset_tzpath(to=())


def build_app(settings: Settings, *, clock: Clock = utc_now) -> RepairTrack:
    configure_runtime()
    env = settings.event_store_env()
    if not settings.uses_postgres:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return RepairTrack(env, clock=clock)


def settings_for(data_dir: Path | str) -> Settings:
    """Settings for a data folder, ignoring the process environment (for tests and tools)."""
    return Settings.from_env(data_dir=data_dir, environ={})
