"""The server's clock: the real one, or, for tests only, a file holding the time.

When `REPAIRTRACK_TEST_CLOCK_FILE` names a file, every reading of the clock is the ISO-8601 moment
written in it (with its offset, e.g. `2026-03-01T12:00:00+00:00`), so a test moves time forward by
rewriting the file, never by sleeping (sessions that end after 12 hours idle, for example). Nothing
but the tests sets it; an unreadable file falls back to the real time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

CLOCK_FILE_VAR = "REPAIRTRACK_TEST_CLOCK_FILE"


def utc_now() -> datetime:
    return datetime.now(UTC)


def file_clock(path: Path) -> Callable[[], datetime]:
    def now() -> datetime:
        try:
            moment = datetime.fromisoformat(path.read_text().strip())
        except (OSError, ValueError):
            return utc_now()
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)

    return now


def server_clock(environ: dict[str, str] | None = None) -> Callable[[], datetime]:
    """The clock the server gives the services."""
    found = (os.environ if environ is None else environ).get(CLOCK_FILE_VAR)
    return file_clock(Path(found)) if found else utc_now
