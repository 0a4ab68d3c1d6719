"""Faults and load: a killed import leaves all of its file or none; many writers beside a reader lose
nothing and show no error; a full disk or a read-only data folder gives a clear sentence and leaves
nothing half-written. Each test is bounded in time; larger runs are in `make bench`."""

from __future__ import annotations

import json
import os
import random
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from repairtrack.bootstrap import build, settings_for
from repairtrack.services.demo import generate_couples
from tests.support.cli import import_killed_after, run_cli
from tests.support.entries import registered
from tests.support.files import renamed_demo_entries, write_jsonl
from tests.support.load import bids_written, events_in, live_and_rebuilt
from tests.support.load import start as start_load
from tests.support.stores import LATE, fill

IN_CI = bool(os.environ.get("CI"))


@pytest.mark.slow
def test_an_import_killed_at_random_moments_stores_all_of_its_file_or_none(tmp_path: Path) -> None:
    data = tmp_path / "data"
    build(settings_for(data)).close()
    rng = random.Random(7)
    until = date(2026, 11, 1)
    tried, outcomes = 0, set()
    stored = 0
    for round_ in range(6):
        entries = renamed_demo_entries(f"r{round_}", seed=round_, couples=40, days=60, until=until)
        file = write_jsonl(tmp_path / f"round-{round_}.jsonl", entries)
        tried += import_killed_after(data, file, rng.uniform(0.2, 1.6))
        now = events_in(data)
        assert now in (stored, stored + len(entries)), f"round {round_}: {now - stored} of {len(entries)}"
        outcomes.add("all" if now > stored else "none")
        stored = now
    assert tried >= 3, "the imports finished before they could be killed"
    assert outcomes == {"all", "none"} or tried == 6
    # Still usable after the kills: an import that is left alone stores its file, and the read side sees it
    # (on a slow machine every killed import may have been a "none", so the check does not rely on them).
    last = renamed_demo_entries("after", seed=99, couples=1, days=20, until=until)
    finished = run_cli(data, "import", str(write_jsonl(tmp_path / "after.jsonl", last)))
    assert finished.returncode == 0, finished.stderr
    assert events_in(data) == stored + len(last)
    store = build(settings_for(data), clock=lambda: LATE)
    with store.read_model.open() as view:
        assert view.couples()
    store.close()


@pytest.mark.slow
def test_eight_writers_beside_a_reader_lose_nothing_and_show_no_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = build(settings_for(data), clock=lambda: LATE)
    per_writer = 500 if IN_CI else 250
    load = start_load(store, data, tmp_path / "stop", writers=8, each=per_writer)
    for writer in load.writers:
        out, err = writer.communicate(timeout=600)
        assert writer.returncode == 0 and out.strip() == "ok", err
        assert "Traceback" not in err
    load.stop_file.touch()
    out, err = load.reader.communicate(timeout=120)
    assert load.reader.returncode == 0 and int(out) > 0, err
    assert events_in(data) == 2 + 8 * per_writer
    live, rebuilt = live_and_rebuilt(store)
    assert live == rebuilt
    assert live["load-a"]["bids"]["total"] + live["load-b"]["bids"]["total"] == 8 * bids_written(per_writer)
    store.close()


@contextmanager
def mounted(target: Path, *options: str) -> Iterator[Path]:
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", *options, str(target)], check=True, capture_output=True)
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False, capture_output=True)


def can_mount() -> bool:
    return os.geteuid() == 0


def test_a_full_disk_is_a_clear_error_and_nothing_is_half_written(tmp_path: Path) -> None:
    if not can_mount() and not IN_CI:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    with mounted(tmp_path / "small", "-t", "tmpfs", "-o", "size=900k", "tmpfs") as small:
        data = small / "data"
        fill(settings_for(data), [registered()], project=False)
        before = events_in(data)
        entries = [
            e for es in generate_couples(seed=1, couples=8, days=60, until=date(2026, 11, 1)) for e in es
        ]
        file = write_jsonl(tmp_path / "big.jsonl", entries)
        result = run_cli(data, "import", str(file))
        assert result.returncode == 1, result.stdout + result.stderr
        assert "is full" in result.stderr and "nothing was stored" in result.stderr
        assert "Traceback" not in result.stderr
        assert events_in(data) == before
        shown = run_cli(data, "couples")
        assert "Traceback" not in shown.stderr


def test_a_read_only_data_folder_is_a_clear_error_and_nothing_changes(tmp_path: Path) -> None:
    """Root ignores file modes, so the folder is made read-only the way a read-only disk is: a
    read-only bind mount, which refuses writes to root too."""
    if not can_mount() and not IN_CI:
        pytest.skip("a read-only bind mount needs root (CI runs as root)")
    data = tmp_path / "data"
    fill(settings_for(data), [registered()])
    before = events_in(data)
    file = write_jsonl(
        tmp_path / "one.jsonl",
        [
            {
                "type": "bid_made",
                "couple": "ana-ben",
                "occurred_at": "2026-03-02T10:00:00Z",
                "by": "ana",
                "response": "toward",
            }
        ],
    )
    view = tmp_path / "readonly"
    with mounted(view, "--bind", str(data)):
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True, capture_output=True)
        for args in (["import", str(file)], ["log", "appreciation", "--couple", "ana-ben", "--by", "ana"]):
            result = run_cli(view, *args)
            assert result.returncode == 1, result.stdout + result.stderr
            assert "read-only" in result.stderr and "nothing was stored" in result.stderr, result.stderr
            assert "Traceback" not in result.stderr
    assert events_in(data) == before
    shown = run_cli(data, "metrics", "--couple", "ana-ben", "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["couple"] == "ana-ben"
