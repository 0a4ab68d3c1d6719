"""Import speed: 200,000 generated entries into a fresh SQLite store, three ways in one run.

(a) `repairtrack import FILE` as a whole command (a subprocess; wall time, Python start included);
(b) the same in-process, split into its phases: reading the file (`read_jsonl`), checking every rule
    and building the events (`RepairTrack.record_batch` up to its "storing" progress report), and
    storing them in one transaction (with the snapshots);
(c) the raw batched `Application.save` of the same events into another fresh store: the aggregates
    are built once by the application's own checking step, then only `app.save(*couples)` is timed.

The ratio (a) / (c) says how much of the store's raw write speed an import keeps.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchmarks import Result
from repairtrack.bootstrap import build_app, settings_for
from repairtrack.services.demo import generate
from repairtrack.services.importing import read_jsonl
from tests.support.cli import clean_environ, repairtrack
from tests.support.files import write_jsonl
from tests.support.stores import stored_in

ENTRIES = int(os.environ.get("BENCH_IMPORT_ENTRIES", "200000"))  # fewer for a quicker run
COUPLES = 345 * ENTRIES // 200_000 + 1  # about 600 entries each over 120 days; the list is cut at ENTRIES
DAYS = 120
SEED = 1
TARGET_RATE = 20_000.0  # entries per second
TARGET_RATIO = 0.5  # import rate / raw save rate
REPEATS = 3  # attempts of each measurement; the best counts


def write_file(folder: Path, until: date) -> tuple[Path, int, int]:
    entries = generate(seed=SEED, couples=COUPLES, days=DAYS, until=until)[:ENTRIES]
    if len(entries) < ENTRIES:
        raise RuntimeError(f"the generator gave only {len(entries)} entries; raise COUPLES")
    couples = len({e["couple"] for e in entries})
    return write_jsonl(folder / "entries.jsonl", entries), len(entries), couples


def command(file: Path, data_dir: Path) -> float:
    """(a) The whole `repairtrack import` command; returns its wall time."""
    env = clean_environ()
    started = time.perf_counter()
    done = subprocess.run(
        repairtrack(data_dir, "import", str(file)),
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"repairtrack import failed ({done.returncode}): {done.stderr[:2000]}")
    return seconds


def in_process(file: Path, data_dir: Path) -> dict[str, float]:
    """(b) read_jsonl + record_batch in this process, with the time of each phase."""
    app = build_app(settings_for(data_dir))
    try:
        marks: dict[str, float] = {}

        def progress(phase: str, done: int, total: int) -> None:
            key = f"{phase}:{'end' if done == total else 'start' if done == 0 else 'mid'}"
            marks.setdefault(key, time.perf_counter())

        started = time.perf_counter()
        with file.open("rb") as stream:
            items, lines = read_jsonl(stream)
        read = time.perf_counter()
        app.record_batch(items, lines=lines, progress=progress)
        finished = time.perf_counter()
        return {
            "read": read - started,
            "check": marks["storing:start"] - read,
            "store": finished - marks["storing:start"],
            "batch": finished - read,
            "total": finished - started,
        }
    finally:
        app.close()


def raw_save(file: Path, data_dir: Path) -> tuple[float, float]:
    """(c) The aggregates built once by the application's checking step, then only `save` timed.
    Returns (seconds to check and build, seconds to save)."""
    app = build_app(settings_for(data_dir))
    try:
        with file.open("rb") as stream:
            items, lines = read_jsonl(stream)
        started = time.perf_counter()
        couples, _ = app._decide(items, lines, None, "import")  # the application's own checking step
        built = time.perf_counter()
        del items, lines
        gc.collect()
        saving = time.perf_counter()
        app.save(*couples.values())
        return built - started, time.perf_counter() - saving
    finally:
        app.close()


def fresh(root: Path, name: str, attempt: int) -> Path:
    """A data folder for one attempt; the previous attempt's folder is removed to spare the disk."""
    if attempt:
        shutil.rmtree(root / f"{name}-{attempt - 1}", ignore_errors=True)
    return root / f"{name}-{attempt}"


def run() -> Result:
    until = (datetime.now(UTC) - timedelta(days=1)).date()  # every entry lies in the past
    result = Result(
        "import",
        f"{ENTRIES:,} entries into a fresh SQLite store",
        setting={
            "entries": ENTRIES,
            "days": DAYS,
            "seed": SEED,
            "store": "SQLite file (WAL)",
            "attempts": f"best of {REPEATS}",
        },
    )
    with tempfile.TemporaryDirectory(prefix="repairtrack-bench-") as folder:
        root = Path(folder)
        file, count, couples = write_file(root, until)
        result.setting.update(couples=couples, file_mb=round(file.stat().st_size / 1e6, 1))
        gc.collect()

        commands = []
        for attempt in range(REPEATS):
            data_dir = fresh(root, "command", attempt)
            commands.append(command(file, data_dir))
            if attempt == 0 and stored_in(data_dir) != count:
                raise RuntimeError("the command did not store every entry")
            gc.collect()
        seconds = min(commands)
        command_rate = count / seconds

        runs = []
        for attempt in range(REPEATS):
            runs.append(in_process(file, fresh(root, "in-process", attempt)))
            gc.collect()
        phases = min(runs, key=lambda phase: phase["total"])

        saves = []
        for attempt in range(REPEATS):
            saves.append(raw_save(file, fresh(root, "raw", attempt)))
            gc.collect()
        build_seconds, save_seconds = min(saves, key=lambda pair: pair[1])
        raw_rate = count / save_seconds

        result.add("(a) `repairtrack import` wall time", seconds, "s")
        result.add("(a) `repairtrack import` rate", command_rate, "entries/s", TARGET_RATE)
        result.add("(b) read_jsonl", count / phases["read"], "entries/s")
        result.add("(b) record_batch: check rules, build events", count / phases["check"], "entries/s")
        result.add("(b) record_batch: store (save + snapshots)", count / phases["store"], "entries/s")
        result.add("(b) record_batch as a whole", count / phases["batch"], "entries/s", TARGET_RATE)
        result.add("(b) read_jsonl + record_batch", count / phases["total"], "entries/s", TARGET_RATE)
        result.add("(c) raw Application.save of the same events", raw_rate, "entries/s")
        result.add("ratio (a) command / (c) raw save", command_rate / raw_rate, "", TARGET_RATIO)
        in_process_rate = count / phases["total"]
        result.add("ratio (b) in-process / (c) raw save", in_process_rate / raw_rate, "", TARGET_RATIO)
        batch_times = ", ".join(f"{run_['total']:.2f}" for run_ in runs)
        result.notes += [
            f"(a) took {', '.join(f'{s:.2f}' for s in commands)} s; the best, {seconds:.2f} s, holds the "
            f"in-process phases of (b): read {phases['read']:.2f} s, check {phases['check']:.2f} s, store "
            f"{phases['store']:.2f} s; the rest is starting Python and the command, and leaving it.",
            f"(b) took {batch_times} s.",
            f"(c) saving took {', '.join(f'{save:.2f}' for _, save in saves)} s; checking and building "
            f"the aggregates before it {build_seconds:.2f} s (not part of the rate).",
            "Targets: an import of at least 20,000 entries/s, keeping at least half of the raw save rate. "
            "The machine may be shared: each figure is the best of its attempts.",
        ]
    return result
