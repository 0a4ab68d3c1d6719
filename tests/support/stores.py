"""A real store in a temporary folder: the write application and the read model, built by the
composition root exactly as the product builds them."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from repairtrack.bootstrap import Services, build, build_app, settings_for
from repairtrack.config import Settings

LATE = datetime(2027, 1, 1, tzinfo=UTC)


@contextmanager
def temporary_store(entries: list[dict[str, Any]] | None = None, now: datetime = LATE) -> Iterator[Services]:
    with tempfile.TemporaryDirectory(prefix="repairtrack-test-") as folder:
        built = build(settings_for(Path(folder) / "data"), clock=lambda: now)
        try:
            if entries:
                built.app.record_batch(entries)
            yield built
        finally:
            built.close()


def stored_in(data_dir: Path) -> int:
    """How many events the store in `data_dir` holds, read by a fresh application."""
    app = build_app(settings_for(data_dir))
    try:
        return app.recorder.max_notification_id() or 0
    finally:
        app.close()


def fill(settings: Settings, entries: list[dict[str, Any]], *, project: bool = True) -> None:
    """Records `entries` into the store `settings` names (built if missing) and, with `project`, brings
    its read model up to date; closes it again."""
    store = build(settings, clock=lambda: LATE)
    try:
        store.app.record_batch(entries)
        if project:
            with store.read_model.open():
                pass
    finally:
        store.close()
