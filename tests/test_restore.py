"""`restore` trusts nothing in the file: a backup with a planted trigger, view or table, a damaged entry,
the wrong key or no SQLite at all is refused, and the data folder stays empty; a good backup restores
with the same metrics."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.couple import Couple
from repairtrack.bootstrap import build, settings_for
from repairtrack.config import ENCRYPTION_KEY_VAR, Settings
from repairtrack.services.keys import new_key
from repairtrack.services.maintenance import Refused, backup, restore
from tests.export.support import example_entries
from tests.support.cli import run_cli

AS_OF = datetime(2026, 5, 1, tzinfo=UTC)
LATE = datetime(2027, 1, 1, tzinfo=UTC)


def keyed(data_dir: Path, key: str | None) -> Settings:
    return Settings.from_env(data_dir=data_dir, environ={ENCRYPTION_KEY_VAR: key} if key else {})


def make_backup(folder: Path, key: str | None = None) -> Path:
    settings = keyed(folder / "data", key)
    store = build(settings, clock=lambda: LATE)
    try:
        store.app.record_batch(example_entries())
    finally:
        store.close()
    copy = folder / "backup.sqlite"
    backup(settings, copy)
    return copy


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_backup(tmp_path_factory.mktemp("good"))


@pytest.fixture(scope="module")
def encrypted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    key = new_key()
    return make_backup(tmp_path_factory.mktemp("encrypted"), key), key


def metrics(settings: Settings) -> dict[str, object]:
    store = build(settings, clock=lambda: LATE)
    try:
        with store.read_model.open() as view:
            return view.metrics("ana-ben", as_of=AS_OF)
    finally:
        store.close()


def tampered(good: Path, tmp_path: Path, *statements: str) -> Path:
    copy = tmp_path / "tampered.sqlite"
    copy.write_bytes(good.read_bytes())
    with sqlite3.connect(copy) as connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()
    return copy


def test_a_good_backup_restores_with_the_same_metrics(good: Path, tmp_path: Path) -> None:
    original = settings_for(good.parent / "data")
    target = settings_for(tmp_path / "restored")

    count = restore(target, good)

    assert count == len(example_entries())
    assert metrics(target) == metrics(original)
    assert [p.name for p in target.data_dir.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_an_encrypted_backup_restores_with_its_key(encrypted: tuple[Path, str], tmp_path: Path) -> None:
    copy, key = encrypted
    target = keyed(tmp_path / "restored", key)

    assert restore(target, copy) == len(example_entries())
    assert metrics(target) == metrics(keyed(copy.parent / "data", key))


TAMPERING: dict[str, tuple[str, ...]] = {
    "a planted trigger": (
        "CREATE TRIGGER quietly AFTER INSERT ON stored_events BEGIN "
        "UPDATE stored_events SET state = NEW.state; END",
    ),
    "a planted view": ("CREATE VIEW everything AS SELECT * FROM stored_events",),
    "an extra table": ("CREATE TABLE notes_for_later (x TEXT)",),
    "an extra index": ("CREATE INDEX by_topic ON stored_events (topic)",),
    "a changed table": ("ALTER TABLE stored_events ADD COLUMN extra TEXT",),
}


@pytest.mark.parametrize("what", TAMPERING)
def test_a_backup_with_anything_a_store_does_not_have_is_refused(
    good: Path, tmp_path: Path, what: str
) -> None:
    copy = tampered(good, tmp_path, *TAMPERING[what])
    target = settings_for(tmp_path / "data")

    with pytest.raises(Refused) as refused:
        restore(target, copy)

    assert refused.value.code == "backup.untrusted"
    assert "nothing was restored" in str(refused.value)
    assert not target.data_dir.exists()  # as before the restore


def test_a_damaged_entry_is_refused_and_the_existing_empty_folder_stays_empty(
    good: Path, tmp_path: Path
) -> None:
    copy = tampered(good, tmp_path, "UPDATE stored_events SET state = x'7b226e6f7427' WHERE rowid = 7")
    target = settings_for(tmp_path / "data")
    target.data_dir.mkdir()

    with pytest.raises(Refused) as refused:
        restore(target, copy)

    assert refused.value.code == "backup.damaged"
    assert list(target.data_dir.iterdir()) == []


def test_a_damaged_snapshot_is_refused(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "data")
    store = build(settings, clock=lambda: LATE)
    store.app.record_batch(example_entries())
    assert store.app.snapshots is not None
    couple = store.app.repository.get(store.app.ids.couple_id("ana-ben"))
    store.app.snapshots.put([Couple.Snapshot.take(couple)])
    store.close()
    good = tmp_path / "with-snapshot.sqlite"
    backup(settings, good)
    copy = tampered(good, tmp_path, "UPDATE stored_snapshots SET state = x'00'")
    target = settings_for(tmp_path / "restored")

    with pytest.raises(Refused) as refused:
        restore(target, copy)

    assert refused.value.code == "backup.damaged"
    assert not target.data_dir.exists()


@pytest.mark.parametrize(
    ("key", "code"),
    [(lambda: new_key(), "key.wrong"), (lambda: None, "key.missing")],
    ids=["another key", "no key"],
)
def test_an_encrypted_backup_without_its_key_is_refused(
    encrypted: tuple[Path, str], tmp_path: Path, key: Callable[[], str | None], code: str
) -> None:
    copy, right = encrypted
    given = key()
    target = keyed(tmp_path / "data", given)

    with pytest.raises(Refused) as refused:
        restore(target, copy)

    assert refused.value.code == code
    assert str(copy) in str(refused.value)
    assert right not in str(refused.value) and (given is None or given not in str(refused.value))
    assert not target.data_dir.exists()


def test_a_plain_backup_with_a_key_set_is_refused(good: Path, tmp_path: Path) -> None:
    target = keyed(tmp_path / "data", new_key())

    with pytest.raises(Refused) as refused:
        restore(target, good)

    assert refused.value.code == "key.unexpected"
    assert not target.data_dir.exists()


@pytest.mark.parametrize(
    "content", [b"", b"hello, this is not a database", b"SQLite format 3\x00" + b"\x00" * 200], ids=repr
)
def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path, content: bytes) -> None:
    copy = tmp_path / "not-a-backup"
    copy.write_bytes(content)
    target = settings_for(tmp_path / "data")

    with pytest.raises(Refused) as refused:
        restore(target, copy)

    assert refused.value.code == "backup.invalid"
    assert not target.data_dir.exists()


def test_a_sqlite_file_without_the_events_table_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "empty.sqlite"
    with sqlite3.connect(copy) as connection:
        connection.execute("CREATE TABLE repairtrack_meta (key VARCHAR(64) PRIMARY KEY, value TEXT)")
    connection.close()
    target = settings_for(tmp_path / "data")

    with pytest.raises(Refused) as refused:
        restore(target, copy)

    assert refused.value.code == "backup.invalid"
    assert not target.data_dir.exists()


def test_the_command_refuses_a_planted_trigger_with_exit_2_and_one_sentence(
    good: Path, tmp_path: Path
) -> None:
    copy = tampered(good, tmp_path, *TAMPERING["a planted trigger"])
    data = tmp_path / "data"

    result = run_cli(data, "restore", str(copy))

    assert result.returncode == 2, result.stderr
    assert "backup.untrusted" in result.stderr and "'quietly'" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not data.exists()
