"""Faults and load, larger than the test suite runs them:

- 8 processes log 500 entries each (two couples, four writers on each, so version conflicts happen)
  while a reader computes metrics in a loop: entries written, entries lost (must be 0), errors seen by
  a user (must be 0), and whether the final metrics equal a full rebuild;
- `kill -9` of `repairtrack import` at 20 random moments: every time the store must hold all of the
  file or none of it.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks import Result
from repairtrack.bootstrap import build, settings_for
from tests.support.cli import import_killed_after
from tests.support.files import renamed_demo_entries, write_jsonl
from tests.support.load import events_in, live_and_rebuilt
from tests.support.load import start as start_load

ROOT = Path(__file__).resolve().parents[1]


def load(result: Result, folder: Path, writers: int = 8, each: int = 500) -> None:
    data = folder / "load"
    store = build(settings_for(data))
    started = time.perf_counter()
    running = start_load(store, data, folder / "stop", writers=writers, each=each)
    errors = 0
    for child in running.writers:
        _, err = child.communicate()
        errors += child.returncode != 0 or "Traceback" in err
    seconds = time.perf_counter() - started
    running.stop_file.touch()
    rounds = int(running.reader.communicate()[0] or 0)
    written = writers * each
    lost = written + 2 - events_in(data)
    live, rebuilt = live_and_rebuilt(store)
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
        before = events_in(data)
        killed += import_killed_after(data, file, rng.uniform(0.1, 1.5))
        after = events_in(data)
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
