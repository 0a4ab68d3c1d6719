"""Importing a JSON Lines file: all of it or nothing, every problem listed by line, ids generated when
absent; and the command line around it (`repairtrack import`, `register`, `log ...`) run as a real
process against a real SQLite file."""

from __future__ import annotations

import io
import json
import re
import subprocess
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from domain.application import MAX_REPORTED_PROBLEMS, RepairTrack
from domain.errors import BatchRefused
from domain.rules import RULES
from repairtrack.bootstrap import build_app, settings_for
from repairtrack.services.importing import read_jsonl
from tests.support.aggregate import aggregate
from tests.support.cli import printed_id, run_cli
from tests.support.entries import check_in, offer, registered
from tests.support.stores import stored_in

EXAMPLE = Path(__file__).parent / "fixtures" / "two-months.jsonl"
PROBLEM_LINE = re.compile(r"^line (\d+): ([^:]+): ([a-z0-9_]+\.[a-z0-9_]+): (.+)$")


# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------
def jsonl(lines: Iterable[dict[str, Any] | bytes | str]) -> bytes:
    """A file's bytes: mappings become JSON, bytes and strings are written as they are."""
    out = []
    for line in lines:
        if isinstance(line, dict):
            out.append(json.dumps(line).encode())
        elif isinstance(line, str):
            out.append(line.encode())
        else:
            out.append(line)
    return b"\n".join(out) + b"\n"


def import_bytes(app: RepairTrack, content: bytes) -> list[str]:
    items, lines = read_jsonl(io.BytesIO(content))
    return app.record_batch(items, lines=lines)


def stored(app: RepairTrack) -> int:
    return app.recorder.max_notification_id() or 0


def no_traceback(result: subprocess.CompletedProcess[str]) -> bool:
    return "Traceback" not in result.stdout + result.stderr


def check_ins(count: int, *, with_ids: bool = True, start: float = 0) -> list[dict[str, Any]]:
    return [check_in(f"c{n}" if with_ids else None, start + n) for n in range(count)]


# ----------------------------------------------------------------------------------------------
# All or nothing
# ----------------------------------------------------------------------------------------------
def test_a_file_whose_last_line_is_bad_stores_nothing(app: RepairTrack) -> None:
    content = jsonl([registered(), *check_ins(30), check_in("bad", 40, closeness=11)])

    with pytest.raises(BatchRefused) as refused:
        import_bytes(app, content)

    assert [(p.line, p.problem.field, p.problem.code) for p in refused.value.problems] == [
        (32, "closeness", "field.out_of_range")
    ]
    assert stored(app) == 0
    assert aggregate(app, "ana-ben") is None


def test_a_file_whose_first_line_is_bad_stores_nothing(app: RepairTrack) -> None:
    content = jsonl([b'{"type": "couple_registered",', registered(), *check_ins(10)])

    with pytest.raises(BatchRefused) as refused:
        import_bytes(app, content)

    assert [(p.line, p.problem.code) for p in refused.value.problems] == [(1, "entry.not_json")]
    assert stored(app) == 0


def test_nothing_is_stored_when_a_bad_line_sits_in_the_middle_of_a_big_file(app: RepairTrack) -> None:
    lines: list[dict[str, Any]] = [registered(), *check_ins(2000)]
    lines[1000] = check_in("c10", 1500)  # line 1001 reuses the id of line 12

    with pytest.raises(BatchRefused) as refused:
        import_bytes(app, jsonl(lines))

    assert [(p.line, p.problem.code) for p in refused.value.problems] == [(1001, "id.taken")]
    assert stored(app) == 0


def test_a_refused_import_leaves_what_was_stored_before_untouched(app: RepairTrack) -> None:
    import_bytes(app, jsonl([registered(), *check_ins(5)]))

    with pytest.raises(BatchRefused):
        import_bytes(app, jsonl([check_in("more1", 10), check_in("more2", 11, trust=0)]))

    assert stored(app) == 6
    assert "more1" not in aggregate(app, "ana-ben").ids  # type: ignore[union-attr]


# ----------------------------------------------------------------------------------------------
# Every problem, by line
# ----------------------------------------------------------------------------------------------
def test_every_bad_line_is_reported_with_its_line_number_field_and_rule(app: RepairTrack) -> None:
    content = jsonl(
        [
            registered(),
            check_in("c1", 1, closeness=0),  # line 2
            b"",  # line 3: blank, skipped but counted
            b"   ",  # line 4: blank too
            b"[1, 2]",  # line 5
            check_in("c2", 2),  # line 6: fine
            check_in("c3", 3, mood="ok"),  # line 7
            b"not json",  # line 8
            offer("o1", 4, kind="shrug"),  # line 9
            check_in("c2", 5),  # line 10: the id of line 6 again
        ]
    )

    with pytest.raises(BatchRefused) as refused:
        import_bytes(app, content)

    reported = str(refused.value).splitlines()
    parsed = [PROBLEM_LINE.match(line) for line in reported]
    assert all(parsed), reported
    assert [(int(m[1]), m[2], m[3]) for m in parsed if m] == [
        (2, "closeness", "field.out_of_range"),
        (5, "entry", "entry.not_object"),
        (7, "mood", "field.unknown"),
        (8, "entry", "entry.not_json"),
        (9, "kind", "field.not_a_choice"),
        (10, "id", "id.taken"),
    ]
    assert stored(app) == 0


def test_one_line_with_several_problems_reports_each_of_them(app: RepairTrack) -> None:
    content = jsonl([registered(), check_in("c1", 1, closeness=11, trust="high", mood=1)])

    with pytest.raises(BatchRefused) as refused:
        import_bytes(app, content)

    assert sorted((p.line, p.problem.field, p.problem.code) for p in refused.value.problems) == [
        (2, "closeness", "field.out_of_range"),
        (2, "mood", "field.unknown"),
        (2, "trust", "field.not_integer"),
    ]


def test_blank_lines_are_skipped_but_still_counted_in_line_numbers() -> None:
    items, lines = read_jsonl(io.BytesIO(b'\n{"a": 1}\n\n  \t\n{"b": 2}\n'))

    assert items == [{"a": 1}, {"b": 2}]
    assert lines == [2, 5]


def test_a_file_of_only_blank_lines_stores_nothing_and_is_not_refused(app: RepairTrack) -> None:
    assert import_bytes(app, b"\n\n   \n") == []
    assert stored(app) == 0


def test_no_more_than_a_hundred_problems_are_listed_then_a_count_of_the_rest(app: RepairTrack) -> None:
    content = jsonl([registered(), *(check_in(f"c{n}", n, closeness=11) for n in range(500))])

    with pytest.raises(BatchRefused) as refused:
        import_bytes(app, content)

    assert len(refused.value.problems) == MAX_REPORTED_PROBLEMS == 100
    assert refused.value.total == 500
    reported = str(refused.value).splitlines()
    assert len(reported) == 101
    assert reported[0].startswith("line 2: closeness: field.out_of_range: ")
    assert reported[99].startswith("line 101: closeness: field.out_of_range: ")
    assert reported[-1] == "... and 400 more problems"
    assert stored(app) == 0


# ----------------------------------------------------------------------------------------------
# Ids
# ----------------------------------------------------------------------------------------------
def test_entries_without_an_id_get_a_uuid(app: RepairTrack) -> None:
    app.record(registered())

    ids = import_bytes(app, jsonl(check_ins(3, with_ids=False)))

    assert len(ids) == 3
    assert len(set(ids)) == 3
    assert all(len(i) == 36 and str(uuid.UUID(i)) == i for i in ids)
    assert set(ids) <= set(aggregate(app, "ana-ben").ids)  # type: ignore[union-attr]


def test_an_id_less_file_imported_twice_is_stored_twice(app: RepairTrack) -> None:
    app.record(registered())
    content = jsonl(check_ins(4, with_ids=False))

    first = import_bytes(app, content)
    second = import_bytes(app, content)

    assert len(first) == len(second) == 4
    assert not set(first) & set(second)
    assert stored(app) == 1 + 8


def test_a_file_with_ids_imported_twice_is_refused_as_duplicates(app: RepairTrack) -> None:
    content = EXAMPLE.read_bytes()
    assert len(import_bytes(app, content)) == 150

    with pytest.raises(BatchRefused) as refused:
        import_bytes(app, content)

    codes = {(p.problem.field, p.problem.code) for p in refused.value.problems}
    assert codes == {("couple", "couple.taken"), ("id", "id.taken")}
    assert refused.value.total == 150
    assert stored(app) == 150


def test_ids_given_in_the_file_are_the_ids_stored(app: RepairTrack) -> None:
    ids = import_bytes(app, jsonl([registered(entry_id="r-1"), check_in("Check.In:1", 1)]))

    assert ids == ["r-1", "Check.In:1"]


# ----------------------------------------------------------------------------------------------
# The command line
# ----------------------------------------------------------------------------------------------
def test_cli_import_stores_the_example_file_and_says_how_many(data_dir: Path) -> None:
    result = run_cli(data_dir, "import", str(EXAMPLE))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "stored 150 entries"
    assert stored_in(data_dir) == 150


def test_cli_import_of_one_entry_says_entry(data_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "one.jsonl"
    file.write_bytes(jsonl([registered()]))

    result = run_cli(data_dir, "import", str(file))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "stored 1 entry"


def test_cli_refused_file_exits_2_with_one_line_per_problem_and_no_traceback(
    data_dir: Path, tmp_path: Path
) -> None:
    file = tmp_path / "bad.jsonl"
    file.write_bytes(
        jsonl([registered(), check_in("c1", 1, trust=0), b"", b"{oops", check_in("c2", 2, by="zoe")])
    )

    result = run_cli(data_dir, "import", str(file))

    assert result.returncode == 2
    assert result.stdout == ""
    problems = result.stderr.splitlines()
    assert len(problems) == 3, result.stderr
    matched = [PROBLEM_LINE.match(line) for line in problems]
    assert [(int(m[1]), m[2], m[3]) for m in matched if m] == [
        (2, "trust", "field.out_of_range"),
        (4, "entry", "entry.not_json"),
        (5, "by", "partner.unknown"),
    ]
    assert no_traceback(result)
    assert stored_in(data_dir) == 0


def test_cli_import_of_the_same_file_twice_is_refused_the_second_time(data_dir: Path) -> None:
    assert run_cli(data_dir, "import", str(EXAMPLE)).returncode == 0

    again = run_cli(data_dir, "import", str(EXAMPLE))

    assert again.returncode == 2
    assert again.stderr.splitlines()[0] == "line 1: couple: couple.taken: 'ana-ben' is already registered"
    assert again.stderr.splitlines()[-1] == "... and 50 more problems"
    assert len(again.stderr.splitlines()) == 101
    assert no_traceback(again)
    assert stored_in(data_dir) == 150


def test_cli_import_dash_reads_standard_input(data_dir: Path) -> None:
    result = run_cli(data_dir, "import", "-", stdin=jsonl([registered(), *check_ins(4)]))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "stored 5 entries"
    assert stored_in(data_dir) == 5


def test_cli_import_dash_refuses_bad_standard_input(data_dir: Path) -> None:
    result = run_cli(data_dir, "import", "-", stdin=b"\n\nnot json\n")

    assert result.returncode == 2
    assert result.stderr.startswith("line 3: entry: entry.not_json: ")
    assert no_traceback(result)


def test_cli_import_refuses_a_repeated_key_and_an_out_of_range_time_by_line(data_dir: Path) -> None:
    repeated = json.dumps(check_in("c1")).encode()[:-1] + b', "trust": 9}'
    ancient = check_in("c2", occurred_at="0001-01-01T00:00:00Z")
    result = run_cli(data_dir, "import", "-", stdin=jsonl([registered(), repeated, ancient]))

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "line 2: trust: entry.duplicate_key: the key 'trust' appears twice in one object",
        "line 3: occurred_at: time.out_of_range: '0001-01-01T00:00:00Z' lies before 2000-01-01T00:00:00Z",
    ]
    assert no_traceback(result)
    assert stored_in(data_dir) == 0


def test_cli_import_refuses_a_line_over_1_mib_from_a_file(data_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "long.jsonl"
    file.write_bytes(jsonl([registered(), b"[" + b" " * (1024 * 1024) + b"]", check_in("c1")]))

    result = run_cli(data_dir, "import", str(file))

    assert result.returncode == 2
    assert result.stderr.startswith("line 2: entry: entry.line_too_long: ")
    assert len(result.stderr.splitlines()) == 1
    assert no_traceback(result)
    assert stored_in(data_dir) == 0


def test_cli_import_of_a_missing_file_exits_2_with_a_clear_message(data_dir: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.jsonl"

    result = run_cli(data_dir, "import", str(missing))

    assert result.returncode == 2
    assert result.stderr.strip() == f"{missing}: no such file"
    assert no_traceback(result)


def test_cli_import_of_a_folder_exits_2(data_dir: Path, tmp_path: Path) -> None:
    result = run_cli(data_dir, "import", str(tmp_path))

    assert result.returncode == 2
    assert "no such file" in result.stderr
    assert no_traceback(result)


def test_cli_with_a_bad_lock_timeout_exits_2_with_a_sentence(data_dir: Path) -> None:
    result = run_cli(data_dir, "import", str(EXAMPLE), env={"REPAIRTRACK_LOCK_TIMEOUT": "soon"})

    assert result.returncode == 2
    assert "REPAIRTRACK_LOCK_TIMEOUT must be a whole number" in result.stderr
    assert no_traceback(result)


def test_cli_prints_a_problem_cap_line_for_a_file_with_500_bad_lines(data_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "many.jsonl"
    file.write_bytes(jsonl([b"[]"] * 500))

    result = run_cli(data_dir, "import", str(file))

    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 101
    assert lines[-1] == "... and 400 more problems"
    assert no_traceback(result)


def test_cli_register_then_log_a_check_in_prints_the_new_ids(data_dir: Path) -> None:
    registration = run_cli(
        data_dir,
        "register",
        "-c",
        "ana-ben",
        "--partner",
        "ana:Ana",
        "--partner",
        "ben:Ben",
        "--timezone",
        "Europe/Berlin",
    )
    assert registration.returncode == 0, registration.stderr

    result = run_cli(
        data_dir,
        *("log", "check-in", "--couple", "ana-ben", "--by", "ana", "--closeness", "7", "--trust", "6"),
    )

    assert result.returncode == 0, result.stderr
    new_id = printed_id(result.stdout)
    assert str(uuid.UUID(new_id)) == new_id
    app = build_app(settings_for(data_dir))
    try:
        couple = aggregate(app, "ana-ben")
        assert couple is not None
        assert couple.partners == [{"handle": "ana", "name": "Ana"}, {"handle": "ben", "name": "Ben"}]
        assert couple.timezone == "Europe/Berlin"
        assert couple.ids == {printed_id(registration.stdout): "couple_registered", new_id: "check_in"}
        last = list(app.events.get(couple.id))[-1]
        assert (last.by, last.closeness, last.trust, last.csi4) == ("ana", 7, 6, None)  # type: ignore[attr-defined]
    finally:
        app.close()


def test_cli_log_with_a_value_out_of_range_exits_2_naming_field_and_rule(data_dir: Path) -> None:
    run_cli(data_dir, "register", "-c", "ana-ben", "--partner", "ana:Ana", "--partner", "ben:Ben")

    result = run_cli(
        data_dir,
        *("log", "check-in", "--couple", "ana-ben", "--by", "ana", "--closeness", "11", "--trust", "6"),
    )

    assert result.returncode == 2
    assert "closeness: field.out_of_range" in result.stderr
    assert result.stdout == ""
    assert no_traceback(result)
    assert stored_in(data_dir) == 1


def test_cli_log_with_given_id_and_csi4_stores_them(data_dir: Path) -> None:
    run_cli(data_dir, "register", "-c", "ana-ben", "--partner", "ana:Ana", "--partner", "ben:Ben")

    result = run_cli(
        data_dir,
        *("log", "check-in", "-c", "ana-ben", "--by", "ben", "--closeness", "5", "--trust", "4"),
        *("--csi4", "4,3,3,4", "--id", "ci-1", "--at", "2026-03-02T19:30:00+01:00"),
    )

    assert result.returncode == 0, result.stderr
    assert printed_id(result.stdout) == "ci-1"
    app = build_app(settings_for(data_dir))
    try:
        couple = aggregate(app, "ana-ben")
        assert couple is not None
        last = list(app.events.get(couple.id))[-1]
        assert last.csi4 == [4, 3, 3, 4]  # type: ignore[attr-defined]
        assert last.occurred_at.isoformat() == "2026-03-02T18:30:00+00:00"  # type: ignore[attr-defined]
    finally:
        app.close()


def test_cli_log_for_an_unregistered_couple_exits_2(data_dir: Path) -> None:
    result = run_cli(data_dir, "log", "appreciation", "-c", "nobody", "--by", "ana")

    assert result.returncode == 2
    assert "couple: couple.unknown" in result.stderr
    assert no_traceback(result)


def test_every_reported_code_of_a_refused_import_is_a_registered_rule(app: RepairTrack) -> None:
    with pytest.raises(BatchRefused) as refused:
        import_bytes(app, jsonl([b"1", b'"x"', b"{}", b'{"type": 5}', registered(partners=[])]))

    assert all(p.problem.code in RULES for p in refused.value.problems)
    assert [p.line for p in refused.value.problems] == [1, 2, 3, 4, 5]
