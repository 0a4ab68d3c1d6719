"""A store written by an earlier version keeps loading: `tests/fixtures/store-v1.sqlite` was written by
event schema v1 (before events carried `source`) and is committed; the upcaster fills the gap, and the
metrics, entries and snapshots read from it stay what v1 computed."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from eventsourcing.application import project_aggregate

from repairtrack.bootstrap import build, settings_for
from tests.support.reference import assert_same

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_v1_store_still_loads_with_its_metrics_entries_and_snapshots(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "store-v1.sqlite", data / "events.sqlite")
    expected = json.loads((FIXTURES / "store-v1.expected.json").read_text())
    store = build(settings_for(data), clock=lambda: datetime(2026, 12, 1, tzinfo=UTC))
    with store.read_model.open() as view:
        assert_same(view.metrics("ana-ben", as_of=datetime(2026, 5, 1, tzinfo=UTC)), expected["ana-ben"])
        assert_same(
            view.metrics("demo", as_of=datetime(2026, 11, 1, tzinfo=UTC), window_days=14), expected["demo"]
        )
    assert store.app.entries("ana-ben", local_times=False)[:5] == expected["entries"]["ana-ben"]
    assert len(store.app.entries("demo")) == expected["entries"]["demo_count"]

    events = list(store.app.events.get(store.app.ids.couple_id("ana-ben")))
    assert {e.source for e in events} == {"unknown"}  # type: ignore[attr-defined]

    demo_id = store.app.ids.couple_id("demo")
    assert store.app.snapshots is not None
    assert list(store.app.snapshots.get(demo_id, desc=True, limit=1))  # the fixture holds a v1 snapshot
    from_snapshot = store.app.repository.get(demo_id)
    replayed = project_aggregate(None, store.app.events.get(demo_id))
    assert from_snapshot == replayed

    # New entries carry the current version and their source, beside the old ones.
    store.app.record(
        {
            "type": "bid_made",
            "couple": "demo",
            "occurred_at": "2026-11-20T10:00:00Z",
            "by": "alex",
            "response": "toward",
        },
        source="cli",
    )
    newest = next(iter(store.app.events.get(demo_id, desc=True, limit=1)))
    assert newest.source == "cli"  # type: ignore[attr-defined]
    stored = store.app.recorder.select_notifications(start=None, limit=1, stop=None)
    assert b'"class_version"' not in stored[0].state  # v1 events are stored as they were
    last = store.app.recorder.select_notifications(start=store.app.recorder.max_notification_id(), limit=1)
    assert b'"class_version":2' in last[0].state
    store.close()
