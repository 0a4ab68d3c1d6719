"""`repairtrack export`: a zip and a one-line summary, or a one-line refusal with exit code 2."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from repairtrack.bootstrap import build_app, settings_for
from repairtrack.services.export import FILES
from tests.export.support import example_entries
from tests.support.cli import run_cli as run_command


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`repairtrack --data-dir D ARGS...` as a real process, without any REPAIRTRACK_* of ours."""
    return run_command(data_dir, *args, timeout=180)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("cli") / "data"
    app = build_app(settings_for(data_dir))
    try:
        app.record_batch(example_entries())
    finally:
        app.close()
    return data_dir


def test_export_writes_the_zip_and_says_where_and_what(store: Path, tmp_path: Path) -> None:
    result = run_cli(
        store,
        "export",
        "--couple",
        "ana-ben",
        "--out",
        str(tmp_path),
        "--to",
        "2026-04-30",
        "--window-days",
        "21",
        "--pseudonymize",
    )

    assert result.returncode == 0, result.stderr
    path, summary = result.stdout.strip().splitlines()
    assert Path(path) == tmp_path / "repairtrack-couple-2026-03-02-to-2026-04-30.zip"
    assert summary.startswith("couple: 2026-03-02 to 2026-04-30, ")
    assert "pseudonymized" in summary
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == sorted(FILES)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--couple", "nobody"], "couple: couple.unknown: no couple 'nobody'"),
        (["--couple", "ana-ben", "--from", "2026-03-40"], "from: date.invalid: '2026-03-40' is not a date"),
        (
            ["--couple", "ana-ben", "--from", "2026-04-02", "--to", "2026-04-01"],
            "from: period.reversed: 2026-04-02 is after --to (2026-04-01)",
        ),
        (["--couple", "ana-ben", "--window-days", "0"], "window-days: window.out_of_range: 0 days"),
    ],
)
def test_refused_input_exits_2_with_one_line_and_no_traceback(
    store: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    result = run_cli(store, "export", "--out", str(tmp_path / "x.zip"), *args)

    assert result.returncode == 2
    assert result.stderr.strip().startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "x.zip").exists()


def test_an_existing_file_is_refused_with_exit_2_and_left_as_it_was(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "bundle.zip"
    out.write_bytes(b"an older export")

    result = run_cli(store, "export", "--couple", "ana-ben", "--out", str(out))

    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"out: export.exists: {out} already exists; choose a new name, or add --force to replace it"
    )
    assert out.read_bytes() == b"an older export"


def test_force_replaces_a_symlink_at_out_and_never_writes_through_it(store: Path, tmp_path: Path) -> None:
    victim = tmp_path / "elsewhere" / "victim.txt"
    victim.parent.mkdir()
    victim.write_bytes(b"precious")
    out = tmp_path / "bundle.zip"
    out.symlink_to(victim)

    refused = run_cli(store, "export", "--couple", "ana-ben", "--to", "2026-04-30", "--out", str(out))
    forced = run_cli(
        store, "export", "--couple", "ana-ben", "--to", "2026-04-30", "--out", str(out), "--force"
    )

    assert refused.returncode == 2 and "export.exists" in refused.stderr
    assert forced.returncode == 0, forced.stderr
    assert victim.read_bytes() == b"precious"
    assert not out.is_symlink() and (out.stat().st_mode & 0o777) == 0o600
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == sorted(FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle.zip", "elsewhere"]  # no temporary left
