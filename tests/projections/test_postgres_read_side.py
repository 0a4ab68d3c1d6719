"""The read side works the same over PostgreSQL: a store whose events live in a real PostgreSQL server
catches its DuckDB read model up (pull-based, in batches) to the same metrics as a SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson

from repairtrack.bootstrap import build, settings_for
from repairtrack.config import Settings
from tests.support.stores import LATE

EXAMPLE = Path(__file__).parents[1] / "fixtures" / "two-months.jsonl"


def test_the_read_model_over_postgresql_equals_the_one_over_sqlite(postgres_url: str, tmp_path: Path) -> None:
    entries = [orjson.loads(line) for line in EXAMPLE.read_bytes().splitlines() if line.strip()]
    on_postgres = build(Settings(data_dir=tmp_path / "pg", database_url=postgres_url), clock=lambda: LATE)
    on_sqlite = build(settings_for(tmp_path / "sqlite"), clock=lambda: LATE)
    half = len(entries) // 2
    for store in (on_postgres, on_sqlite):
        store.app.record_batch(entries[:half])
        with store.read_model.open():
            pass  # a first catch-up, then the rest incrementally
        store.app.record_batch(entries[half:])
    as_of = datetime(2026, 5, 1, tzinfo=UTC)
    with on_postgres.read_model.open() as view:
        from_postgres = view.metrics("ana-ben", as_of=as_of)
        assert view.facts.position == on_postgres.app.recorder.max_notification_id()
    with on_sqlite.read_model.open() as view:
        from_sqlite = view.metrics("ana-ben", as_of=as_of)
    assert from_postgres == from_sqlite
    on_postgres.read_model.rebuild()
    with on_postgres.read_model.open() as view:
        assert view.metrics("ana-ben", as_of=as_of) == from_sqlite
    on_postgres.close()
    on_sqlite.close()


def test_forget_on_postgresql_deletes_the_couple_and_keeps_the_others(
    postgres_url: str, tmp_path: Path
) -> None:
    from repairtrack.services.maintenance import forget
    from tests.support.entries import check_in, registered

    store = build(Settings(data_dir=tmp_path / "pg", database_url=postgres_url), clock=lambda: LATE)
    store.app.record_batch(
        [registered("gone"), check_in("c1", couple="gone"), registered("kept"), check_in("c1", couple="kept")]
    )
    assert forget(store, "gone") == 2
    assert not store.app.exists("gone")
    assert store.app.exists("kept")
    with store.read_model.open() as view:
        assert [c["handle"] for c in view.couples()] == ["kept"]
    store.close()
