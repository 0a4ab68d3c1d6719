"""The position store of the read model: how far into the event store's notification log the DuckDB
view has processed, written in the same DuckDB transaction as the rows it accounts for."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder

TRACKING_DDL = """
CREATE TABLE IF NOT EXISTS tracking (
    application_name VARCHAR PRIMARY KEY,
    notification_id BIGINT NOT NULL
)
"""

Connect = Callable[[], duckdb.DuckDBPyConnection]


class DuckDBTrackingRecorder(TrackingRecorder):
    """One row per upstream application; a position only ever moves forward (inserting the same or
    an earlier position is an `IntegrityError`, as the library's own recorders do)."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect
        with self._cursor() as cursor:
            cursor.execute(TRACKING_DDL)

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cursor = self._connect().cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def insert_tracking(self, tracking: Tracking) -> None:
        with self._cursor() as cursor:
            cursor.execute("BEGIN TRANSACTION")
            try:
                self.insert_tracking_in(cursor, tracking)
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    @staticmethod
    def insert_tracking_in(cursor: Any, tracking: Tracking) -> None:
        """Record a position inside the caller's transaction."""
        rows = cursor.execute(
            "SELECT notification_id FROM tracking WHERE application_name = ?",
            [tracking.application_name],
        ).fetchall()
        if rows and rows[0][0] >= tracking.notification_id:
            raise IntegrityError(
                f"{tracking.application_name} is already at {rows[0][0]}, "
                f"cannot record {tracking.notification_id}"
            )
        cursor.execute(
            "INSERT OR REPLACE INTO tracking VALUES (?, ?)",
            [tracking.application_name, tracking.notification_id],
        )

    def max_tracking_id(self, application_name: str) -> int | None:
        with self._cursor() as cursor:
            rows = cursor.execute(
                "SELECT notification_id FROM tracking WHERE application_name = ?",
                [application_name],
            ).fetchall()
        return int(rows[0][0]) if rows else None
