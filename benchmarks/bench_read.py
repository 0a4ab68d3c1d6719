"""The read side on a store of about 1,000,000 entries (1,000 generated couples), all in one run:

- full rebuild of the DuckDB projection (a subprocess: its wall time and peak memory), against merely
  reading and decoding the same notifications with the library's mapper (the denominator);
- catch-up latency after one new entry (open the read model, catch up, ready to query);
- one couple's metrics in-process (median over couples) and as a whole `repairtrack metrics` command;
- the naive baseline: the same couple's metrics by replaying its events in plain Python (the tests'
  reference implementation), so the speed-up is a ratio measured in the same run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import Result
from benchmarks.store import RECIPE, couple_handles, million_store, store_title
from domain.interface import entry_of_event
from repairtrack.bootstrap import build, settings_for

ROOT = Path(__file__).resolve().parents[1]

REBUILD = """
import sys, time
from repairtrack.bootstrap import build, settings_for
services = build(settings_for(sys.argv[1]))
started = time.perf_counter()
count = services.read_model.rebuild()
print("REBUILT", count, time.perf_counter() - started)
"""


def rebuild_in_subprocess(folder: Path) -> tuple[int, float, float]:
    child = subprocess.Popen(
        [sys.executable, "-c", REBUILD, str(folder)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"rebuild failed: {output}")
    # the rebuild may draw a progress bar on standard output: the figures are on their own marked line
    _, count, seconds = next(line for line in output.splitlines() if line.startswith("REBUILT ")).split()
    return int(count), float(seconds), usage.ru_maxrss / 1024  # MiB


def read_and_decode(folder: Path, batch: int = 20_000) -> tuple[int, float]:
    services = build(settings_for(folder))
    recorder, mapper = services.app.recorder, services.app.mapper
    started = time.perf_counter()
    position, count = 0, 0
    while True:
        notifications = recorder.select_notifications(start=position, limit=batch, inclusive_of_start=False)
        if not notifications:
            break
        for notification in notifications:
            mapper.to_domain_event(notification)
        count += len(notifications)
        position = notifications[-1].id
    seconds = time.perf_counter() - started
    services.close()
    return count, seconds


def run() -> Result:
    result = Result("read", f"Read side on a {store_title()}")
    folder = million_store()
    services = build(settings_for(folder))
    stored = services.app.recorder.max_notification_id() or 0
    result.setting.update(entries=stored, couples=RECIPE["couples"], store=str(folder))

    count, seconds, peak = rebuild_in_subprocess(folder)
    decoded, decode_seconds = read_and_decode(folder)
    rebuild_rate, decode_rate = count / seconds, decoded / decode_seconds
    result.add("full rebuild", rebuild_rate, "entries/s", 50_000)
    result.add("read and decode only (library mapper)", decode_rate, "entries/s")
    result.add("rebuild / read-and-decode", rebuild_rate / decode_rate, "ratio", 0.5)
    result.add("rebuild peak memory", peak, "MiB", 1024, higher_is_better=False)

    handles = couple_handles(25)
    latencies = []
    for i, handle in enumerate(handles[:10]):
        services.app.record(
            {
                "type": "appreciation_expressed",
                "couple": handle,
                "id": f"bench-{time.time_ns()}-{i}",
                "occurred_at": datetime.now(UTC).isoformat(),
                "by": services.app.describe(handle).handles[0],  # type: ignore[union-attr]
            }
        )
        started = time.perf_counter()
        with services.read_model.open() as view:
            latencies.append(time.perf_counter() - started)
            assert view.facts.position == services.app.recorder.max_notification_id()
    result.add(
        "catch-up after one new entry (open, catch up)",
        statistics.median(latencies) * 1000,
        "ms",
        50,
        higher_is_better=False,
    )

    with services.read_model.open() as view:
        view.metrics(handles[0])  # warm-up
        in_process = []
        for handle in handles:
            started = time.perf_counter()
            view.metrics(handle)
            in_process.append(time.perf_counter() - started)
    projection_ms = statistics.median(in_process) * 1000
    result.add("metrics, one couple, in-process (median)", projection_ms, "ms", 50, higher_is_better=False)

    commands = []
    for handle in handles[:7]:
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "repairtrack",
                "--data-dir",
                str(folder),
                "metrics",
                "--couple",
                handle,
                "--json",
            ],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        commands.append(time.perf_counter() - started)
    result.add(
        "metrics as a whole CLI command (median)",
        statistics.median(commands),
        "s",
        1.5,
        higher_is_better=False,
    )

    from tests.support.reference import reference_metrics

    naive = []
    now = datetime.now(UTC)
    for handle in handles[:10]:
        started = time.perf_counter()
        events = list(services.app.events.get(services.app.ids.couple_id(handle)))
        entries = [entry_of_event(e, handle) for e in events]  # type: ignore[arg-type]
        reference_metrics(entries, now, 28)
        naive.append(time.perf_counter() - started)
    naive_ms = statistics.median(naive) * 1000
    result.add("naive baseline: replay events in plain Python (median)", naive_ms, "ms")
    result.add("speed-up of the projection over the naive replay", naive_ms / projection_ms, "x")
    result.notes.append(
        "Ratios compare figures measured in this same run; absolute times vary with the machine's load."
    )
    services.close()
    return result
