"""Every file repairtrack writes is its user's alone, whatever the umask: folders 0700, files 0600 (the
event store and its -wal/-shm, DuckDB's file and .wal, the lock, backups, exports, the provider
cookie secret); older stores are tightened; a symlink planted where a file is written is never written through."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from repairtrack.bootstrap import build, build_app, settings_for
from repairtrack.server.oidc import COOKIE_SECRET_FILE, cookie_secret
from repairtrack.services.export import FILES, Bundle, ExportOptions, ExportRefused, write_bundle
from repairtrack.services.export.period import resolve_period
from repairtrack.services.files import (
    atomic_private_write,
    create_private,
    private_dir,
    private_temporary,
    tighten,
    write_private,
)
from repairtrack.services.maintenance import Refused, backup
from tests.export.support import EXAMPLE, example_entries
from tests.support.cli import run_cli


def run(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`repairtrack --data-dir D ARGS...` as a real process under umask 000 (the loosest there is)."""
    result = run_cli(data_dir, *args, stdin=stdin, timeout=300, umask=0)
    assert result.returncode == 0, result.stderr
    return result


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def loose(folder: Path) -> list[str]:
    """Everything under `folder` (itself included) that is not a 0700 folder or a 0600 file."""
    found = []
    for path in [folder, *folder.rglob("*")]:
        wanted = 0o700 if path.is_dir() else 0o600
        if mode(path) != wanted:
            found.append(f"{path.relative_to(folder.parent)}: {oct(mode(path))}")
    return found


@pytest.fixture
def loose_umask() -> Iterator[None]:
    before = os.umask(0)
    try:
        yield
    finally:
        os.umask(before)


@pytest.fixture(scope="module")
def used(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder after every command that writes a file, each run under umask 000."""
    root = tmp_path_factory.mktemp("modes")
    data = root / "data"
    run(data, "import", str(EXAMPLE))
    run(data, "metrics", "--couple", "ana-ben", "--as-of", "2026-04-30T12:00:00+02:00", "--json")
    run(data, "backup", "--out", str(root / "out" / "backups" / "store.sqlite"))
    run(
        data, "export", "--couple", "ana-ben", "--to", "2026-04-30", "--out", str(root / "out" / "bundle.zip")
    )
    run(data, "account", "invite", "--couple", "ana-ben", "--partner", "ana", "--json")
    before = os.umask(0)
    try:
        cookie_secret(data)  # what a server signing in through a practice's provider writes
    finally:
        os.umask(before)
    run(root / "restored", "restore", str(root / "out" / "backups" / "store.sqlite"))
    return root


def test_every_file_of_the_data_folder_is_private_after_every_command(used: Path) -> None:
    names = {p.name for p in (used / "data").iterdir()}
    assert {
        "events.sqlite",
        "projection.duckdb",
        "projection.duckdb.lock",
        COOKIE_SECRET_FILE,
    } <= names

    assert loose(used / "data") == []
    assert loose(used / "restored") == []


def test_backups_and_exports_are_private_and_the_folders_made_for_them_too(used: Path) -> None:
    assert mode(used / "out" / "backups") == 0o700  # made by the backup
    assert mode(used / "out" / "backups" / "store.sqlite") == 0o600
    assert mode(used / "out" / "bundle.zip") == 0o600
    assert sorted(p.name for p in (used / "out").iterdir()) == ["backups", "bundle.zip"]  # no temporaries


def test_an_older_store_is_tightened_when_it_is_next_used(tmp_path: Path) -> None:
    data = tmp_path / "data"
    build_app(settings_for(data)).close()
    (data / "projection.duckdb.lock").write_bytes(b"")
    for path in data.iterdir():
        path.chmod(0o644)
    data.chmod(0o755)

    run(data, "couples")

    assert loose(data) == []


def test_the_helpers_make_private_files_and_folders_under_any_umask(
    tmp_path: Path, loose_umask: None
) -> None:
    folder = private_dir(tmp_path / "a" / "b")
    write_private(folder / "one", b"1")
    atomic_private_write(folder / "two", b"2")
    os.close(create_private(folder / "three"))

    assert [mode(tmp_path / "a"), mode(folder)] == [0o700, 0o700]
    assert [mode(folder / n) for n in ("one", "two", "three")] == [0o600, 0o600, 0o600]
    assert (folder / "two").read_bytes() == b"2"


def test_a_folder_of_the_users_is_not_tightened_unless_asked(tmp_path: Path, loose_umask: None) -> None:
    tmp_path.chmod(0o755)

    private_dir(tmp_path, existing_too=False)
    assert mode(tmp_path) == 0o755
    private_dir(tmp_path)
    assert mode(tmp_path) == 0o700


def planted(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A symlink at `name` pointing to a file elsewhere that must stay as it is."""
    victim = tmp_path / "elsewhere" / "victim"
    victim.parent.mkdir()
    victim.write_bytes(b"precious")
    link = tmp_path / name
    link.symlink_to(victim)
    return link, victim


def test_creating_a_file_refuses_a_symlink_planted_there(tmp_path: Path) -> None:
    link, victim = planted(tmp_path, "target")

    with pytest.raises(FileExistsError):
        write_private(link, b"mine")
    with pytest.raises(FileExistsError):
        atomic_private_write(link, b"mine", replace=False)

    assert link.is_symlink() and victim.read_bytes() == b"precious"


def test_replacing_a_file_replaces_a_symlink_and_never_writes_through_it(tmp_path: Path) -> None:
    link, victim = planted(tmp_path, "target")

    atomic_private_write(link, b"mine")

    assert not link.is_symlink() and link.read_bytes() == b"mine" and mode(link) == 0o600
    assert victim.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "target"]  # no temporary left


def test_a_temporary_file_is_fresh_and_gone_afterwards(tmp_path: Path) -> None:
    with private_temporary(tmp_path, "x") as first, private_temporary(tmp_path, "x") as second:
        assert first != second and first.parent == tmp_path
        assert mode(first) == 0o600 and first.stat().st_size == 0

    assert list(tmp_path.iterdir()) == []


def test_tighten_leaves_symlinks_and_what_they_point_to_alone(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    link, victim = planted(tmp_path / "data", "link")
    victim.chmod(0o644)

    tighten(tmp_path / "data")

    assert mode(victim) == 0o644 and link.is_symlink()


def test_a_backup_refuses_a_symlink_planted_at_its_path(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "data")
    build_app(settings).close()
    link, victim = planted(tmp_path, "backup.sqlite")

    with pytest.raises(Refused) as refused:
        backup(settings, link)

    assert refused.value.code == "path.exists"
    assert victim.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.sqlite", "data", "elsewhere"]


def small_bundle() -> Bundle:
    made_at = datetime(2026, 5, 1, tzinfo=UTC)
    period = resolve_period(timezone="Europe/Berlin", first_week=None, now=made_at)
    return Bundle(
        files={name: name.encode() for name in FILES},
        period=period,
        couple="ana-ben",
        metrics={},
        entries=0,
        weeks=0,
        fhir_responses=0,
        made_at=made_at,
        options=ExportOptions(couple="ana-ben"),
    )


def test_an_export_refuses_an_existing_file_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "bundle.zip"
    out.write_bytes(b"an older export")

    with pytest.raises(ExportRefused) as refused:
        write_bundle(small_bundle(), out)
    assert refused.value.code == "export.exists"
    assert out.read_bytes() == b"an older export"

    assert write_bundle(small_bundle(), out, force=True) == out
    assert out.read_bytes() == small_bundle().zip_bytes() and mode(out) == 0o600


def test_an_export_into_a_folder_refuses_an_existing_zip_of_the_same_name(tmp_path: Path) -> None:
    first = write_bundle(small_bundle(), tmp_path)

    with pytest.raises(ExportRefused) as refused:
        write_bundle(small_bundle(), tmp_path)

    assert refused.value.code == "export.exists" and first.parent == tmp_path
    assert write_bundle(small_bundle(), tmp_path, force=True) == first


def test_an_export_never_writes_through_a_symlink(tmp_path: Path) -> None:
    link, victim = planted(tmp_path, "bundle.zip")

    with pytest.raises(ExportRefused):
        write_bundle(small_bundle(), link)
    write_bundle(small_bundle(), link, force=True)

    assert victim.read_bytes() == b"precious"
    assert not link.is_symlink() and mode(link) == 0o600


def test_the_files_the_databases_make_themselves_are_private_while_they_are_open(
    tmp_path: Path, loose_umask: None
) -> None:
    data = tmp_path / "data"
    store = build(settings_for(data))
    try:
        store.app.record_batch(example_entries())
        with store.read_model.open() as view:
            view.con.execute("CREATE TABLE scratch AS SELECT 1 AS x")  # something in DuckDB's .wal
            names = {p.name for p in data.iterdir()}
            assert {"events.sqlite-wal", "events.sqlite-shm", "projection.duckdb.wal"} <= names
            assert loose(data) == []
    finally:
        store.close()
