"""One data folder shared by a long-running reader (like the dashboard), writers and commands: nobody
sees a lock error, and every command sees every entry stored before it started."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

from repairtrack.bootstrap import build, settings_for
from tests.support.entries import registered
from tests.support.stores import LATE, fill

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from repairtrack.cli import main; main()"]

READER = textwrap.dedent(
    """
    import os, sys, time
    from repairtrack.bootstrap import build, settings_for

    store = build(settings_for(sys.argv[1]))
    give_up = time.monotonic() + 300
    rounds = 0
    while not os.path.exists(sys.argv[2]) and time.monotonic() < give_up:  # until the writer is done
        with store.read_model.open() as view:   # holds the read model, like a dashboard rerun
            view.metrics("ana-ben")
            time.sleep(0.25)
        rounds += 1
    print(rounds, flush=True)
    """
)


def run(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=ROOT,
        timeout=120,
    )


def check_ins(count: int, start: int) -> str:
    lines = [
        json.dumps(
            {
                "type": "check_in",
                "couple": "ana-ben",
                "id": f"c{start + i}",
                "occurred_at": f"2026-03-{2 + (i % 20):02d}T10:{i % 60:02d}:00+01:00",
                "by": "ana" if i % 2 else "ben",
                "closeness": 5,
                "trust": 6,
            }
        )
        for i in range(count)
    ]
    return "\n".join(lines) + "\n"


def test_import_and_metrics_beside_a_long_running_reader(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fill(settings_for(data), [registered()], project=False)
    done = tmp_path / "writer-done"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(data), str(done)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    time.sleep(1.0)  # the reader is holding the read model now and then
    stored = 0
    for round_ in range(3):
        imported = run(data, "import", "-", stdin=check_ins(200, round_ * 200))
        assert imported.returncode == 0, imported.stderr
        stored += 200
        shown = run(
            data,
            "metrics",
            "--couple",
            "ana-ben",
            "--as-of",
            "2026-03-25T00:00:00Z",
            "--window-days",
            "60",
            "--json",
        )
        assert shown.returncode == 0, shown.stderr
        assert "Traceback" not in shown.stderr and "lock" not in shown.stderr.lower()
        metrics = json.loads(shown.stdout)
        assert metrics["check_ins"]["count"] == stored  # read-your-writes
    done.touch()
    assert reader.wait(timeout=60) == 0
    # The reader was never shut out: it kept reading all through three imports and six commands (counted
    # against the writer's own pace, not the clock, so a slow machine slows both alike).
    assert reader.stdout is not None and int(reader.stdout.read()) > 3


WRITER = textwrap.dedent(
    """
    import sys
    from repairtrack.bootstrap import build, settings_for

    store = build(settings_for(sys.argv[1]))
    for i in range(int(sys.argv[2])):
        store.app.record({"type": "bid_made", "couple": "ana-ben", "id": f"w{i}",
                          "occurred_at": "2026-03-10T10:00:00Z", "by": "ana", "response": "toward"})
    print("done", flush=True)
    """
)


def test_a_command_and_a_second_process_writing_at_the_same_time(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = build(settings_for(data), clock=lambda: LATE)
    store.app.record(registered())
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data), "300"], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    seen = []
    while writer.poll() is None:
        result = run(data, "metrics", "--couple", "ana-ben", "--as-of", "2026-03-11T00:00:00Z", "--json")
        assert result.returncode == 0, result.stderr
        seen.append(json.loads(result.stdout)["bids"]["total"])
        logged = run(
            data, "log", "appreciation", "--couple", "ana-ben", "--by", "ben", "--at", "2026-03-10T11:00:00Z"
        )
        assert logged.returncode == 0, logged.stderr
    assert writer.returncode == 0
    assert seen == sorted(seen)  # never goes backwards
    with store.read_model.open() as view:
        final = view.metrics("ana-ben", as_of=datetime(2026, 3, 11, tzinfo=UTC))
    assert final["bids"]["total"] == 300
    assert final["positive_negative"]["positive"] == 300 + len(seen)
    store.close()
    assert os.path.exists(data / "projection.duckdb")


WAITER = textwrap.dedent(
    """
    import sys
    from repairtrack.bootstrap import build, settings_for

    store = build(settings_for(sys.argv[1]))
    print("waiting", flush=True)
    with store.read_model.open():  # takes its turn, then waits for the lock the test holds
        pass
    print("done", flush=True)
    """
)


def test_an_open_within_an_open_never_waits_behind_a_process_waiting_its_turn(tmp_path: Path) -> None:
    """A process waiting for the read model holds the turn meanwhile; the holder of the lock opening it
    again in the same thread (a view within a view) must not wait for that turn: it would wait for ever."""
    data = tmp_path / "data"
    fill(settings_for(data), [registered()])
    store = build(dataclasses.replace(settings_for(data), lock_timeout=20), clock=lambda: LATE)
    with store.read_model.open():
        waiter = subprocess.Popen(
            [sys.executable, "-c", WAITER, str(data)], stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        assert waiter.stdout is not None and waiter.stdout.readline().strip() == "waiting"
        while not (data / "projection.duckdb.turn.lock").exists():
            time.sleep(0.05)  # the waiter has its turn
        time.sleep(0.5)
        with store.read_model.open() as view:  # would be ReadModelBusy after 20 s if it waited its turn
            assert view.couples()
    out, _ = waiter.communicate(timeout=60)
    assert waiter.returncode == 0 and out.strip() == "done"
    store.close()
