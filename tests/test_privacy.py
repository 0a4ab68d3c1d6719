"""Privacy at rest: with a key, nothing written under the data folder holds a note, name, handle,
description or topic in plaintext; wrong or missing keys stop with a clear sentence and never show the
key; backups are consistent and restore; a forgotten couple leaves no trace and the others stay."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from domain.ids import PLAIN_IDS
from repairtrack.bootstrap import build, settings_for
from repairtrack.config import ConfigError, Settings
from repairtrack.services.keys import new_key
from repairtrack.services.maintenance import Refused, backup, forget, restore
from tests.support.cli import ROOT
from tests.support.cli import run_cli as run_command
from tests.support.stores import LATE, fill

MARKERS = {
    "couple": "qzcouple-secret",
    "handle_a": "qzhandle-anya",
    "handle_b": "qzhandle-bo",
    "name_a": "Anyaqz Zoë",
    "name_b": "Boqz Ølund",
    "note": "qznote the evening by the lake",
    "private": "qzprivate only mine",
    "description": "qzdescription walk the dog",
    "topic": "qztopic holidays",
    "reason": "qzreason typed it twice",
}


ENTRY_ID = "qzentry-"  # every entry id of `secret_entries` starts so
REF_FIELDS = {"conflict", "attempt", "promise", "entry"}


def secret_entries(
    couple: str = MARKERS["couple"], a: str = MARKERS["handle_a"], b: str = MARKERS["handle_b"]
) -> list[dict[str, Any]]:
    def e(entry_type: str, entry_id: str, when: str, **fields: Any) -> dict[str, Any]:
        for name in REF_FIELDS & fields.keys():
            fields[name] = ENTRY_ID + fields[name]
        return {
            "type": entry_type,
            "couple": couple,
            "id": ENTRY_ID + entry_id,
            "occurred_at": when,
            **fields,
        }

    return [
        e(
            "couple_registered",
            "r",
            "2026-03-01T09:00:00+01:00",
            partners=[{"handle": a, "name": MARKERS["name_a"]}, {"handle": b, "name": MARKERS["name_b"]}],
            timezone="Europe/Berlin",
        ),
        e(
            "conflict_started",
            "k1",
            "2026-03-02T20:00:00+01:00",
            by=a,
            topic=MARKERS["topic"],
            horsemen=["criticism"],
            intensity=3,
            note=MARKERS["note"],
        ),
        *(
            e("conflict_started", entry_id, when, by=b, topic=MARKERS["topic"], horsemen=[], intensity=2)
            for entry_id, when in [("k2", "2026-03-03T20:00:00+01:00"), ("k3", "2026-03-04T20:00:00+01:00")]
        ),
        e(
            "repair_offered",
            "o1",
            "2026-03-02T20:10:00+01:00",
            by=b,
            kind="apology",
            conflict="k1",
            note=MARKERS["private"],
            private=True,
        ),
        e("repair_accepted", "a1", "2026-03-02T20:15:00+01:00", attempt="o1", logged_by=a),
        e(
            "promise_made",
            "p1",
            "2026-03-02T21:00:00+01:00",
            by=a,
            description=MARKERS["description"],
            due_at="2026-03-05T21:00:00+01:00",
        ),
        e(
            "check_in",
            "c1",
            "2026-03-06T21:00:00+01:00",
            by=a,
            closeness=6,
            trust=5,
            csi4=[3, 3, 3, 3],
            note=MARKERS["note"],
        ),
        e("entry_retracted", "x1", "2026-03-06T22:00:00+01:00", entry="c1", reason=MARKERS["reason"]),
    ]


def forms(text: str) -> list[bytes]:
    """The plaintext as raw UTF-8, JSON-escaped (ASCII) and JSON-escaped (UTF-8)."""
    return sorted(
        {text.encode(), json.dumps(text)[1:-1].encode(), json.dumps(text, ensure_ascii=False)[1:-1].encode()}
    )


def leaks(folder: Path, markers: dict[str, str]) -> list[str]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for label, text in markers.items():
            if any(form in data for form in forms(text)):
                found.append(f"{path.name}: {label}")
    return found


def id_markers(entries: list[dict[str, Any]], couple: str = MARKERS["couple"]) -> dict[str, str]:
    """Every entry id, and the couple's `uuid5` id as 32 hex digits and dashed, as texts to look for."""
    legacy = PLAIN_IDS.couple_id(couple)
    return {
        **{f"id {entry['id']}": entry["id"] for entry in entries},
        "uuid5 (hex)": legacy.hex,
        "uuid5 (dashed)": str(legacy),
    }


def encrypted_settings(folder: Path, key: str) -> Settings:
    return Settings.from_env(data_dir=folder, environ={"REPAIRTRACK_ENCRYPTION_KEY": key})


def test_with_a_key_no_file_holds_any_secret_in_plaintext(tmp_path: Path) -> None:
    key = new_key()
    data = tmp_path / "data"
    store = build(encrypted_settings(data, key), clock=lambda: LATE)
    store.app.record_batch(secret_entries())
    secrets = MARKERS | id_markers(secret_entries())  # entry ids and the couple's uuid5 id too
    assert leaks(data, secrets) == []  # after the import (the SQLite file and its -wal)
    with store.read_model.open() as view:  # a catch-up, and reads that decrypt in memory
        metrics = view.metrics(MARKERS["couple"], as_of=datetime(2026, 3, 7, tzinfo=UTC))
        assert metrics["conflicts"]["recurring_topics"] == [MARKERS["topic"]]
        assert metrics["repair"]["accepted"] == 1  # the joins by entry id hold with keyed ids
        rows = view.timeline(MARKERS["couple"], viewer=MARKERS["handle_b"])
        assert any(r["note"] == MARKERS["private"] for r in rows)
        assert {r["entry_id"] for r in rows} == {e["id"] for e in secret_entries()}  # shown opened
        assert {r["ref"] for r in rows} - {None} == {ENTRY_ID + i for i in ("k1", "o1", "c1")}
        assert [p["entry_id"] for p in view.open_promises(MARKERS["couple"])] == [ENTRY_ID + "p1"]
        assert leaks(data, secrets) == []  # with DuckDB's file and .wal open
    assert leaks(data, secrets) == []
    copy = tmp_path / "backup.sqlite"
    backup(store.settings, copy)
    assert leaks(tmp_path, secrets) == []  # the backup too
    store.close()
    # The same scan finds them in a store without a key: the scan works.
    plain = tmp_path / "plain"
    fill(settings_for(plain), secret_entries())
    assert {hit.split(": ")[1] for hit in leaks(plain, MARKERS)} >= {"note", "name_a", "description", "topic"}
    found = {hit.split(": ")[1] for hit in leaks(plain, id_markers(secret_entries()))}
    assert found >= {"uuid5 (hex)", f"id {ENTRY_ID}k1", f"id {ENTRY_ID}o1"}  # and the scan for ids works


def run_cli(data: Path, *args: str, key: str | None) -> subprocess.CompletedProcess[str]:
    return run_command(data, *args, env={} if key is None else {"REPAIRTRACK_ENCRYPTION_KEY": key})


def test_a_wrong_or_missing_key_is_a_clear_error_that_never_shows_a_key(tmp_path: Path) -> None:
    key, other = new_key(), new_key()
    data = tmp_path / "data"
    fill(encrypted_settings(data, key), secret_entries(), project=False)
    good = run_cli(data, "couples", key=key)
    assert good.returncode == 0 and MARKERS["couple"] in good.stdout
    for given, says in [
        (None, "is encrypted: set REPAIRTRACK_ENCRYPTION_KEY"),
        (other, "is not the key this store"),
        ("not-a-key", "is not a key made by `repairtrack keygen`"),
    ]:
        result = run_cli(data, "metrics", "--couple", MARKERS["couple"], key=given)
        assert result.returncode == 2, result.stderr
        assert says in result.stderr
        assert "Traceback" not in result.stderr
        for secret in (key, other):
            assert secret not in result.stderr + result.stdout
    plain = tmp_path / "plain"
    fill(settings_for(plain), secret_entries(), project=False)
    with pytest.raises(ConfigError, match="is not encrypted"):
        build(encrypted_settings(plain, key))


def test_keygen_makes_a_usable_key(tmp_path: Path) -> None:
    made = run_cli(tmp_path, "keygen", key=None)
    assert made.returncode == 0
    key = made.stdout.strip()
    fill(encrypted_settings(tmp_path / "data", key), secret_entries(), project=False)


def test_a_backup_taken_while_another_process_writes_is_consistent_and_restores(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = build(settings_for(data), clock=lambda: LATE)
    store.app.record_batch(secret_entries())
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data), "400"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    copies = []
    while writer.poll() is None and len(copies) < 5:
        copy = tmp_path / f"backup-{len(copies)}.sqlite"
        copies.append((copy, backup(store.settings, copy)))
    assert writer.wait(timeout=120) == 0
    assert copies, "the writer finished before a backup was taken"
    for copy, count in copies:
        target = tmp_path / f"restored-{copy.stem}"
        assert restore(settings_for(target), copy) == count
        restored = build(settings_for(target), clock=lambda: LATE)
        assert restored.app.recorder.max_notification_id() == count  # every event, in order
        with restored.read_model.open() as view:  # the read model rebuilds itself
            assert (
                view.metrics(MARKERS["couple"], as_of=datetime(2026, 3, 7, tzinfo=UTC))["repair"]["accepted"]
                == 1
            )
        restored.close()
    with pytest.raises(Refused, match="already holds a store"):
        restore(settings_for(data), copies[0][0])
    with pytest.raises(Refused, match="already exists"):
        backup(store.settings, copies[0][0])
    store.close()


WRITER = """
import sys
from repairtrack.bootstrap import build, settings_for
store = build(settings_for(sys.argv[1]))
for i in range(int(sys.argv[2])):
    store.app.record({"type": "bid_made", "couple": "qzcouple-secret", "id": f"w{i}",
                      "occurred_at": "2026-03-05T10:00:00Z", "by": "qzhandle-anya", "response": "toward"})
"""


def test_a_forgotten_couple_leaves_no_trace_and_the_others_stay(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = build(settings_for(data), clock=lambda: LATE)
    store.app.record_batch(secret_entries())
    others = secret_entries("kept-couple", "kept-a", "kept-b")
    for entry in others:  # the other couple shares no secret text
        for field in ("note", "description", "topic", "reason"):
            if field in entry:
                entry[field] = f"other {field}"
        if entry["type"] == "couple_registered":
            entry["partners"] = [{"handle": "kept-a", "name": "Kay"}, {"handle": "kept-b", "name": "Lou"}]
    store.app.record_batch(others)
    as_of = datetime(2026, 3, 7, tzinfo=UTC)
    with store.read_model.open() as view:
        before = view.metrics("kept-couple", as_of=as_of)
    assert leaks(data, MARKERS)  # there is something to erase
    assert forget(store, MARKERS["couple"]) == len(secret_entries())
    assert leaks(data, MARKERS) == []  # events, snapshots, projection, WAL files and free pages
    with store.read_model.open() as view:
        assert view.metrics("kept-couple", as_of=as_of) == before
        assert [c["handle"] for c in view.couples()] == ["kept-couple"]
    assert not store.app.exists(MARKERS["couple"])
    with pytest.raises(Refused, match=r"couple\.unknown"):
        forget(store, MARKERS["couple"])
    store.close()


def test_forget_asks_for_the_handle_typed_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fill(settings_for(data), secret_entries(), project=False)
    wrong = run_command(data, "forget", "--couple", MARKERS["couple"], stdin="nope\n")
    assert wrong.returncode == 2 and "nothing was erased" in wrong.stderr
    right = run_command(data, "forget", "--couple", MARKERS["couple"], stdin=MARKERS["couple"] + "\n")
    assert right.returncode == 0, right.stderr
    assert leaks(data, MARKERS) == []
