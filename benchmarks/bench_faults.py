"""Faults and load, larger than the test suite runs them:

- 8 processes log 500 entries each (two couples, four writers on each, so version conflicts happen)
  while a reader computes metrics in a loop: entries written, entries lost (must be 0), errors seen by
  a user (must be 0), and whether the final metrics equal a full rebuild;
- `kill -9` of `repairtrack import` at 20 random moments: every time the store must hold all of the
  file or none of it.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from benchmarks import Result
from repairtrack.bootstrap import build, settings_for
from tests.support.cli import import_killed_after
from tests.support.files import renamed_demo_entries, write_jsonl

ROOT = Path(__file__).resolve().parents[1]

WRITER = """
import sys
from repairtrack.bootstrap import build, settings_for
store = build(settings_for(sys.argv[1]))
couple, me, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
for i in range(count):
    store.app.record({"type": "bid_made", "couple": couple, "id": f"{me}-{i}", "by": "ana",
                      "occurred_at": f"2026-03-{1 + i % 28:02d}T12:00:00Z", "response": "toward"})
"""

READER = """
import os, sys
from datetime import UTC, datetime
from repairtrack.bootstrap import build, settings_for
store = build(settings_for(sys.argv[1]))
rounds = 0
while not os.path.exists(sys.argv[2]):
    with store.read_model.open() as view:
        for couple in ("load-a", "load-b"):
            view.metrics(couple, as_of=datetime(2026, 4, 1, tzinfo=UTC), window_days=60)
    rounds += 1
print(rounds)
"""


def registration(handle: str) -> dict[str, object]:
    return {
        "type": "couple_registered",
        "couple": handle,
        "occurred_at": "2026-02-01T09:00:00Z",
        "partners": [{"handle": "ana", "name": "Ana"}, {"handle": "ben", "name": "Ben"}],
    }


def stored(data: Path) -> int:
    connection = sqlite3.connect(data / "events.sqlite")
    try:
        (count,) = connection.execute("SELECT count(*) FROM stored_events").fetchone()
        return int(count)
    finally:
        connection.close()


def load(result: Result, folder: Path, writers: int = 8, each: int = 500) -> None:
    data = folder / "load"
    store = build(settings_for(data))
    store.app.record_batch([registration("load-a"), registration("load-b")])
    stop = folder / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(data), str(stop)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    started = time.perf_counter()
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data), ("load-a", "load-b")[i % 2], f"w{i}", str(each)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(writers)
    ]
    errors = 0
    for child in children:
        _, err = child.communicate()
        errors += child.returncode != 0 or "Traceback" in err
    seconds = time.perf_counter() - started
    stop.touch()
    rounds = int(reader.communicate()[0] or 0)
    written = writers * each
    lost = written + 2 - stored(data)
    as_of = datetime(2026, 4, 1, tzinfo=UTC)
    with store.read_model.open() as view:
        live = [view.metrics(c, as_of=as_of, window_days=60) for c in ("load-a", "load-b")]
    store.read_model.rebuild()
    with store.read_model.open() as view:
        rebuilt = [view.metrics(c, as_of=as_of, window_days=60) for c in ("load-a", "load-b")]
    store.close()
    result.add("entries written under load", written, "entries")
    result.add("entries lost", lost, "entries", 0, higher_is_better=False)
    result.add("errors that reached a user", errors, "processes", 0, higher_is_better=False)
    result.add("logging rate, 8 writers together", written / seconds, "entries/s")
    result.add("reader rounds meanwhile", rounds, "rounds")
    result.add("final metrics equal a rebuild", float(live == rebuilt), "yes=1", 1)


def kills(result: Result, folder: Path, tries: int = 20) -> None:
    data = folder / "kills"
    build(settings_for(data)).close()
    rng = random.Random(11)
    killed = whole = none = 0
    for round_ in range(tries):
        entries = renamed_demo_entries(
            f"k{round_}", seed=round_, couples=30, days=60, until=date(2026, 11, 1)
        )
        file = write_jsonl(folder / f"kill-{round_}.jsonl", entries)
        before = stored(data)
        killed += import_killed_after(data, file, rng.uniform(0.1, 1.5))
        after = stored(data)
        if after == before:
            none += 1
        elif after == before + len(entries):
            whole += 1
    result.add("imports killed with kill -9", killed, "imports")
    result.add("imports left with all or nothing", whole + none, "imports", tries)
    result.notes.append(f"of {tries} imports, {whole} stored whole and {none} not at all")


def run() -> Result:
    result = Result("faults", "Faults and load")
    with tempfile.TemporaryDirectory() as folder:
        load(result, Path(folder))
        kills(result, Path(folder))
    return result
