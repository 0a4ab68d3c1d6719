"""Several `repairtrack` processes on one SQLite store: two imports at the same time both get
everything stored; a writer waits for another one's lock, and one that waits longer than
REPAIRTRACK_LOCK_TIMEOUT gives up with a sentence that says the store is busy."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from repairtrack.bootstrap import build_app, settings_for
from tests.support.aggregate import aggregate
from tests.support.cli import clean_environ, repairtrack, run_cli
from tests.support.entries import check_in, registered
from tests.support.files import renamed_demo_couples, write_jsonl
from tests.support.stores import stored_in

UNTIL = date(2026, 6, 1)


def demo_file(path: Path, *, seed: int, prefix: str, size: int) -> list[dict[str, Any]]:
    """Whole demo couples (renamed `PREFIX-demo-NNNN`) until the file holds at least `size` entries."""
    entries: list[dict[str, Any]] = []
    for couple in renamed_demo_couples(prefix, seed=seed, couples=100, days=120, until=UNTIL):
        entries.extend(couple)
        if len(entries) >= size:
            break
    write_jsonl(path, entries)
    return entries


def test_two_imports_of_different_couples_at_the_same_time_both_store_everything(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = demo_file(tmp_path / "a.jsonl", seed=101, prefix="a", size=15_000)
    second = demo_file(tmp_path / "b.jsonl", seed=202, prefix="b", size=15_000)
    assert len(first) >= 15_000 and len(second) >= 15_000
    # Create the store first, so both processes start on an existing file (as with a dashboard open).
    write_jsonl(tmp_path / "seed.jsonl", [registered(couple="someone-else")])
    seeded = run_cli(data_dir, "import", str(tmp_path / "seed.jsonl"))
    assert seeded.returncode == 0

    running = [
        subprocess.Popen(
            repairtrack(data_dir, "import", str(tmp_path / name)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=clean_environ(),
        )
        for name in ("a.jsonl", "b.jsonl")
    ]
    outcomes = [process.communicate(timeout=240) for process in running]

    for process, (out, err), entries in zip(running, outcomes, (first, second), strict=True):
        assert process.returncode == 0, err
        assert out.strip() == f"stored {len(entries)} entries"
        assert "Traceback" not in out + err
    assert stored_in(data_dir) == 1 + len(first) + len(second)
    app = build_app(settings_for(data_dir))
    try:
        for entries in (first, second):
            last = entries[-1]
            couple = aggregate(app, last["couple"])
            assert couple is not None
            assert last["id"] in couple.ids
            assert couple.version == sum(1 for e in entries if e["couple"] == last["couple"])
    finally:
        app.close()


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another writer in the middle of a long transaction on the store."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("BEGIN IMMEDIATE")
    return connection


@pytest.fixture
def one_couple(data_dir: Path) -> Path:
    """A store on disk that holds one registration; its data folder."""
    app = build_app(settings_for(data_dir))
    app.record(registered())
    app.close()
    return data_dir


def twenty_check_ins(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "more.jsonl", [check_in(f"c{n}", n) for n in range(20)])


def while_locked(
    data_dir: Path, *args: str, lock_timeout: str, release_after: float | None = None
) -> subprocess.CompletedProcess[str]:
    """`repairtrack ARGS...` while another connection holds the store's write lock, released after
    `release_after` seconds (or only once the command has finished)."""
    lock = hold_write_lock(settings_for(data_dir).event_store_path)
    release = None if release_after is None else threading.Timer(release_after, lock.rollback)
    if release is not None:
        release.start()
    try:
        return run_cli(data_dir, *args, env={"REPAIRTRACK_LOCK_TIMEOUT": lock_timeout}, timeout=60)
    finally:
        if release is None:
            lock.rollback()
        else:
            release.join()
        lock.close()


def test_an_import_that_waits_longer_than_the_lock_timeout_says_the_store_is_busy(
    one_couple: Path, tmp_path: Path
) -> None:
    result = while_locked(one_couple, "import", str(twenty_check_ins(tmp_path)), lock_timeout="1")

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("repairtrack: the event store (SQLite file ")
    assert "stayed busy for more than 1 s" in result.stderr
    assert "Nothing was stored" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert stored_in(one_couple) == 1


def test_a_log_command_that_cannot_get_the_lock_says_the_store_is_busy(one_couple: Path) -> None:
    result = while_locked(one_couple, "log", "appreciation", "-c", "ana-ben", "--by", "ana", lock_timeout="1")

    assert result.returncode == 1
    assert "busy" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_import_waits_for_a_writer_that_finishes_within_the_lock_timeout(
    one_couple: Path, tmp_path: Path
) -> None:
    file = twenty_check_ins(tmp_path)
    result = while_locked(one_couple, "import", str(file), lock_timeout="30", release_after=1.5)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "stored 20 entries"
    assert stored_in(one_couple) == 21


def test_a_writer_that_always_loses_the_race_gives_up_with_a_clear_error_and_stores_nothing(
    tmp_path: Path,
) -> None:
    from domain.application import RepairTrack
    from domain.errors import StoreContention

    env = settings_for(tmp_path / "data")
    (tmp_path / "data").mkdir()
    loser = RepairTrack(env.event_store_env(), retry_seconds=0.5)
    winner = RepairTrack(env.event_store_env())
    winner.record(registered())
    count = iter(range(10_000))

    def meddle(phase: str, done: int, total: int) -> None:
        if phase == "storing" and done == 0:  # just before each save, someone else records first
            winner.record(check_in(f"w{next(count)}"))

    before = loser.recorder.max_notification_id()
    with pytest.raises(StoreContention, match="kept recording for the same couple"):
        loser.record_batch([check_in("mine")], progress=meddle)
    assert "mine" not in (aggregate(winner, "ana-ben").ids)  # type: ignore[union-attr]
    assert winner.recorder.max_notification_id() > before
    loser.close()
    winner.close()
