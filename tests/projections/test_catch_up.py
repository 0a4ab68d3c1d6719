"""The DuckDB view stays exactly the event log's image: incremental catch-up equals a full rebuild,
a crash mid-batch loses and double-counts nothing, a schema change rebuilds by itself, and the position
store passes the eventsourcing library's own test case."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from eventsourcing.persistence import TrackingRecorder
from eventsourcing.tests.persistence import TrackingRecorderTestCase
from hypothesis import given
from hypothesis import strategies as st

from projections.facts import FactsProjection
from repairtrack.bootstrap import Services, build, settings_for
from repairtrack.services.demo import generate
from tests.support.stores import LATE, temporary_store
from tests.support.streams import random_stream


def dump(view_connection: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "entries": view_connection.execute("SELECT * FROM entries ORDER BY position").fetchall(),
        "couples": view_connection.execute("SELECT * FROM couples ORDER BY position").fetchall(),
        "live": view_connection.execute("SELECT position FROM live ORDER BY position").fetchall(),
        "tracking": view_connection.execute("SELECT * FROM tracking").fetchall(),
    }


def rebuilt_dump(store: Services) -> dict[str, list[tuple[Any, ...]]]:
    with tempfile.TemporaryDirectory() as folder:
        connection = duckdb.connect(str(Path(folder) / "fresh.duckdb"))
        fresh = FactsProjection(connection, store.app.recorder, sealer=store.read_model.sealer)
        fresh.ensure_schema()
        fresh.catch_up()
        result = dump(connection)
        connection.close()
        return result


class TestDuckDBTrackingRecorder(TrackingRecorderTestCase):
    """The library's own test case, unchanged, against our DuckDB position store."""

    def setUp(self) -> None:
        self.folder = tempfile.TemporaryDirectory()
        self.connection = duckdb.connect(str(Path(self.folder.name) / "view.duckdb"))

    def tearDown(self) -> None:
        self.connection.close()
        self.folder.cleanup()

    def create_recorder(self) -> TrackingRecorder:
        from projections.tracking import DuckDBTrackingRecorder

        return DuckDBTrackingRecorder(lambda: self.connection)


@given(seed=st.integers(0, 10**9), cuts=st.integers(1, 6), batch=st.sampled_from([1, 3, 50, 20_000]))
def test_incremental_catch_up_equals_a_full_rebuild(seed: int, cuts: int, batch: int) -> None:
    entries = random_stream(seed, size=60)
    rng = random.Random(seed)
    edges = sorted(rng.sample(range(1, len(entries)), min(cuts, len(entries) - 1)))
    with temporary_store() as store:
        connection = duckdb.connect(str(store.settings.projection_path))
        facts = FactsProjection(connection, store.app.recorder, sealer=store.read_model.sealer)
        facts.ensure_schema()
        for start, stop in zip([0, *edges], [*edges, len(entries)], strict=True):
            store.app.record_batch(entries[start:stop])
            facts.catch_up(batch_size=batch)
        assert facts.catch_up() == 0  # nothing left, nothing processed twice
        incremental = dump(connection)
        connection.close()
        assert incremental == rebuilt_dump(store)
        assert incremental["tracking"] == [("RepairTrack", store.app.recorder.max_notification_id())]


def test_the_view_is_rebuilt_by_itself_when_its_schema_version_differs() -> None:
    with temporary_store(random_stream(11, size=40)) as store:
        with store.read_model.open() as view:
            before = dump(view.con)
            view.con.execute("UPDATE meta SET value = 'older' WHERE key = 'schema_version'")
            view.con.execute("DELETE FROM entries WHERE position % 2 = 0")  # the old shape is gone
        with store.read_model.open() as view:
            assert dump(view.con) == before


CATCH_UP_SCRIPT = textwrap.dedent(
    """
    import sys
    import duckdb
    from projections.facts import FactsProjection
    from repairtrack.bootstrap import build, settings_for

    store = build(settings_for(sys.argv[1]))
    connection = duckdb.connect(str(store.settings.projection_path))
    facts = FactsProjection(connection, store.app.recorder, sealer=store.read_model.sealer)
    facts.ensure_schema()
    print("ready", flush=True)
    facts.catch_up(batch_size=int(sys.argv[2]))
    print("done", flush=True)
    """
)


def test_a_catch_up_killed_mid_batch_then_restarted_equals_a_full_rebuild(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = build(settings_for(data), clock=lambda: LATE)
    entries = generate(seed=5, couples=12, days=120, until=datetime(2026, 12, 1, tzinfo=UTC).date())
    store.app.record_batch(entries)
    script = tmp_path / "catch_up.py"
    script.write_text(CATCH_UP_SCRIPT)
    rng = random.Random(3)
    kills = 0
    for _ in range(4):
        child = subprocess.Popen(
            [sys.executable, str(script), str(data), "400"],
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.4))
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            kills += 1
        child.wait()
    assert kills >= 2, "the catch-up finished too fast to be killed mid-way"
    with store.read_model.open() as view:  # restart: catches up the rest
        after = dump(view.con)
    assert after == rebuilt_dump(store)
    assert len(after["entries"]) == len(entries)
    store.close()
