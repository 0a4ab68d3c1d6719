"""What the command line prints: `log` says what it stored (with the id last), `couples` and `entries`
line up in columns (wide characters take two cells), times read in the couple's zone with its offset,
counts are in the right number, `demo` names its couple and how to open it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from repairtrack.bootstrap import build, settings_for
from repairtrack.cli import cli
from repairtrack.cli.text import width
from tests.support.cli import printed_id
from tests.support.entries import appreciation, check_in, promise, registered
from tests.support.stores import LATE


@pytest.fixture(autouse=True)
def _no_settings_of_ours(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("REPAIRTRACK_DATA_DIR", "REPAIRTRACK_DATABASE_URL", "REPAIRTRACK_ENCRYPTION_KEY"):
        monkeypatch.delenv(name, raising=False)
    yield


def run(data_dir: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), *args])
    assert result.exit_code == 0, result.output
    return result


def fill(data_dir: Path, entries: list[dict[str, object]]) -> None:
    built = build(settings_for(data_dir), clock=lambda: LATE)
    try:
        built.app.record_batch(entries)
    finally:
        built.close()


def column_of(line: str, text: str) -> int:
    """The terminal cell at which `text` starts in `line`."""
    return width(line[: line.index(text)])


def test_log_says_what_it_stored_in_the_couples_time_and_ends_with_the_id(data_dir: Path) -> None:
    fill(data_dir, [registered()])

    result = run(
        data_dir,
        *("log", "check-in", "-c", "ana-ben", "--by", "ana", "--closeness", "7", "--trust", "6"),
        *("--at", "2026-11-02T18:30:00Z", "--id", "ci-1"),
    )

    assert result.stdout == "stored a check-in by ana at 2026-11-02 19:30 (+01:00), id ci-1\n"
    assert printed_id(result.stdout) == "ci-1"


def test_log_without_a_partner_names_who_logged_it_and_a_summer_offset(data_dir: Path) -> None:
    fill(data_dir, [registered(), promise("p1", by="ben")])

    result = run(
        data_dir,
        *("log", "promise-kept", "-c", "ana-ben", "--promise", "p1", "--logged-by", "ana"),
        *("--at", "2026-07-01T08:00:00+00:00"),
    )

    line = result.stdout.strip()
    assert line.startswith("stored a kept promise (logged by ana) at 2026-07-01 10:00 (+02:00), id ")
    assert len(printed_id(result.stdout)) == 36  # a new UUID


def test_register_says_which_couple_it_stored(data_dir: Path) -> None:
    result = run(
        data_dir,
        *("register", "-c", "ana-ben", "--partner", "ana:Ana", "--partner", "ben:Ben"),
        *("--timezone", "Asia/Kolkata", "--at", "2026-03-01T00:00:00Z", "--id", "reg-1"),
    )

    assert result.stdout == "stored the registration of ana-ben at 2026-03-01 05:30 (+05:30), id reg-1\n"


def test_couples_line_up_in_columns_with_wide_names_and_count_in_the_right_number(data_dir: Path) -> None:
    wide = [{"handle": "mei", "name": "王美玲"}, {"handle": "jun", "name": "李俊"}]
    fill(
        data_dir,
        [
            registered(),
            appreciation("a1"),
            registered("a-much-longer-couple-handle", timezone="Asia/Tokyo", partners=wide),
        ],
    )

    lines = run(data_dir, "couples").stdout.splitlines()

    header, first, second = lines[:3]
    for label, value_a, value_b in [
        ("partners", "Ana & Ben", "王美玲 & 李俊"),
        ("time zone", "Europe/Berlin", "Asia/Tokyo"),
        ("entries", "2 entries", "1 entry"),
    ]:
        assert column_of(header, label) == column_of(first, value_a) == column_of(second, value_b)
    assert lines[-1] == "2 couples"
    assert all(line == line.rstrip() for line in lines)


def test_a_store_of_one_couple_says_1_couple(data_dir: Path) -> None:
    fill(data_dir, [registered()])

    lines = run(data_dir, "couples").stdout.splitlines()

    assert lines[-1] == "1 couple"
    assert lines[1].endswith("1 entry")


def test_entries_read_in_the_couples_zone_with_its_offset_in_aligned_columns(data_dir: Path) -> None:
    fill(
        data_dir,
        [
            registered(),
            check_in("a-rather-long-check-in-id", by="ben", closeness=6, trust=7),
            promise("p1", hours=2, description="wash up", due_at="2026-04-01T10:00:00Z"),
        ],
    )

    lines = run(data_dir, "entries", "-c", "ana-ben").stdout.splitlines()

    header, newest, middle, oldest = lines[:4]
    assert newest.startswith("2026-03-02 13:00 (+01:00)")  # 12:00 UTC, Berlin in winter
    assert "due=2026-04-01 12:00 (+02:00)" in newest  # Berlin in summer time
    assert middle.startswith("2026-03-02 11:00 (+01:00)")
    assert oldest.startswith("2026-03-02 10:00 (+01:00)")
    for label, cells in [("id", ("p1", "a-rather-long", "reg")), ("by", ("ben", "ben", ""))]:
        starts = {
            column_of(line, cell) for line, cell in zip((newest, middle, oldest), cells, strict=True) if cell
        }
        assert starts == {column_of(header, label)}
    assert lines[-1] == "3 entries"


def test_entries_of_a_couple_with_nothing_logged_say_so_in_the_singular(data_dir: Path) -> None:
    fill(data_dir, [registered()])

    assert run(data_dir, "entries", "-c", "ana-ben").stdout.splitlines()[-1] == "1 entry"


def test_demo_names_its_couple_and_how_to_open_it(data_dir: Path) -> None:
    result = run(data_dir, "demo", "--days", "14", "--until", "2026-06-01")

    assert result.stdout.startswith("stored ") and result.stdout.strip().endswith("demo entries for 1 couple")
    assert "The demo couple is demo:" in result.stderr
    assert "repairtrack dashboard" in result.stderr and "repairtrack metrics -c demo" in result.stderr
