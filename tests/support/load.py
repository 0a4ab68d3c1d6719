"""Many writers beside a reader over one store: what the fault test (`tests/test_faults.py`) and the
fault benchmark (`benchmarks/bench_faults.py`) both run. Each writer is a process of its own logging
bids, check-ins and appreciations one by one; the reader computes both couples' metrics round after
round until a stop file appears, and prints how many rounds it made."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from repairtrack.bootstrap import Services
from tests.support.cli import ROOT
from tests.support.entries import registered

COUPLES = ("load-a", "load-b")
AS_OF = datetime(2026, 4, 1, tzinfo=UTC)
WINDOW_DAYS = 60

WRITER = textwrap.dedent(
    """
    import sys
    from repairtrack.bootstrap import build, settings_for

    store = build(settings_for(sys.argv[1]))
    couple, me, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
    for i in range(count):
        kind = i % 3
        entry = {"couple": couple, "id": f"{me}-{i}", "occurred_at": f"2026-03-{1 + i % 28:02d}T12:00:00Z"}
        if kind == 0:
            entry.update(type="bid_made", by="ana", response="toward")
        elif kind == 1:
            entry.update(type="check_in", by="ben", closeness=6, trust=7)
        else:
            entry.update(type="appreciation_expressed", by="ana")
        store.app.record(entry)
    print("ok", flush=True)
    """
)

READER = textwrap.dedent(
    f"""
    import os, sys
    from datetime import datetime
    from repairtrack.bootstrap import build, settings_for

    store = build(settings_for(sys.argv[1]))
    rounds = 0
    while not os.path.exists(sys.argv[2]):
        with store.read_model.open() as view:
            for couple in {COUPLES!r}:
                view.metrics(couple, as_of=datetime.fromisoformat({AS_OF.isoformat()!r}), window_days={WINDOW_DAYS})
        rounds += 1
    print(rounds, flush=True)
    """
)


def bids_written(each: int) -> int:
    """How many of a writer's `each` entries are bids."""
    return sum(1 for i in range(each) if i % 3 == 0)


@dataclass
class Load:
    reader: subprocess.Popen[str]
    writers: list[subprocess.Popen[str]]
    stop_file: Path


def start(store: Services, data: Path, stop_file: Path, *, writers: int = 8, each: int = 500) -> Load:
    """Register the two couples, then start the reader and `writers` writers of `each` entries each
    (alternating between the couples)."""
    store.app.record_batch([registered(c) for c in COUPLES])
    pipes: dict[str, Any] = {"cwd": ROOT, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    reader = subprocess.Popen([sys.executable, "-c", READER, str(data), str(stop_file)], **pipes)
    started = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data), COUPLES[i % 2], f"w{i}", str(each)], **pipes
        )
        for i in range(writers)
    ]
    return Load(reader, started, stop_file)


def live_and_rebuilt(store: Services) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both couples' metrics as the read model has them, then again after rebuilding it from the store."""
    with store.read_model.open() as view:
        live = {c: view.metrics(c, as_of=AS_OF, window_days=WINDOW_DAYS) for c in COUPLES}
    store.read_model.rebuild()
    with store.read_model.open() as view:
        rebuilt = {c: view.metrics(c, as_of=AS_OF, window_days=WINDOW_DAYS) for c in COUPLES}
    return live, rebuilt


def events_in(data: Path) -> int:
    """How many events the SQLite store at `data` holds (its integrity checked on the way)."""
    connection = sqlite3.connect(data / "events.sqlite")
    try:
        (count,) = connection.execute("SELECT count(*) FROM stored_events").fetchone()
        (check,) = connection.execute("PRAGMA integrity_check").fetchone()
        assert check == "ok"
        return int(count)
    finally:
        connection.close()
