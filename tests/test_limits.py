"""The input limits of SPEC section 3 ("Limits"), for every way entries come in: a file or standard
input (`read_jsonl`, `read_stdin`, `repairtrack import`) and mappings (`RepairTrack.record`, which the
dashboard forms and the HTTP API use). Each limit is refused with a stable code, nothing is stored, and
no message quotes more than 80 characters of what it refuses."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from domain.application import RepairTrack
from domain.errors import BatchRefused, EntryRefused
from domain.limits import MAX_LINE_BYTES, MAX_QUOTED, quote
from repairtrack.services.importing import InputRefused, decode_line, read_jsonl, read_stdin
from tests.support.cli import clean_environ, run_cli
from tests.support.entries import check_in, promise, registered, renegotiated

EXCEPTION_WORDS = ("Traceback", "Error", "Exception")


def import_bytes(app: RepairTrack, content: bytes) -> list[str]:
    items, lines = read_jsonl(io.BytesIO(content))
    return app.record_batch(items, lines=lines)


def refused_codes(app: RepairTrack, content: bytes) -> list[tuple[int, str, str]]:
    """(line, field, code) of every problem of a refused import; the import must be refused."""
    with pytest.raises(BatchRefused) as refused:
        import_bytes(app, content)
    return [(p.line, p.problem.field, p.problem.code) for p in refused.value.problems]


def stored(app: RepairTrack) -> int:
    return app.recorder.max_notification_id() or 0


def line(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry).encode()


def longest_run(text: str, char: str) -> int:
    return max((len(run) for run in re.findall(f"{re.escape(char)}+", text)), default=0)


def no_exception_name(result: subprocess.CompletedProcess[str]) -> bool:
    return not any(word in result.stdout + result.stderr for word in EXCEPTION_WORDS)


# ----------------------------------------------------------------------------------------------
# A line is at most 1 MiB
# ----------------------------------------------------------------------------------------------
def padded(entry: dict[str, Any], size: int) -> bytes:
    """The entry as one line of exactly `size` bytes (JSON allows trailing spaces)."""
    raw = line(entry)
    return raw + b" " * (size - len(raw))


def test_a_line_of_exactly_one_mebibyte_is_read(app: RepairTrack) -> None:
    content = line(registered()) + b"\n" + padded(check_in("c1"), MAX_LINE_BYTES) + b"\n"

    assert len(import_bytes(app, content)) == 2


def test_a_line_of_one_mebibyte_with_a_windows_line_end_is_read(app: RepairTrack) -> None:
    content = line(registered()) + b"\r\n" + padded(check_in("c1"), MAX_LINE_BYTES) + b"\r\n"

    assert len(import_bytes(app, content)) == 2


def test_a_last_line_of_one_mebibyte_without_a_line_end_is_read(app: RepairTrack) -> None:
    content = line(registered()) + b"\n" + padded(check_in("c1"), MAX_LINE_BYTES)

    assert len(import_bytes(app, content)) == 2


def test_a_line_one_byte_over_the_limit_is_refused_and_nothing_is_stored(app: RepairTrack) -> None:
    content = line(registered()) + b"\n" + padded(check_in("c1"), MAX_LINE_BYTES + 1) + b"\n"

    assert refused_codes(app, content) == [(2, "entry", "entry.line_too_long")]
    assert stored(app) == 0


def test_problems_before_a_too_long_line_are_reported_with_it(app: RepairTrack) -> None:
    content = b"[]\n" + b"x" * (MAX_LINE_BYTES + 5) + b"\n" + line(registered()) + b"\n"

    assert refused_codes(app, content) == [
        (1, "entry", "entry.not_object"),
        (2, "entry", "entry.line_too_long"),
    ]


def test_a_too_long_line_given_as_a_list_of_lines_is_refused() -> None:
    items, lines = read_jsonl([b"[]", b" " * (MAX_LINE_BYTES + 1)])

    assert lines == [1, 2]
    assert getattr(items[1], "code", None) == "entry.line_too_long"


class Endless(io.RawIOBase):
    """A stream of zero bytes that never ends a line (like /dev/zero), counting what was read."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = len(buffer)
        buffer[:size] = b"\0" * size
        self.given += size
        return size


def test_a_stream_that_never_ends_a_line_is_refused_at_the_line_limit_not_read_whole() -> None:
    endless = Endless()
    items, lines = read_jsonl(io.BufferedReader(endless))

    assert lines == [1]
    assert getattr(items[0], "code", None) == "entry.line_too_long"
    assert endless.given <= MAX_LINE_BYTES + 64 * 1024  # the line limit and one buffer, no more


def test_decode_line_refuses_a_too_long_line() -> None:
    found = decode_line(b" " * (MAX_LINE_BYTES + 1))

    assert getattr(found, "code", None) == "entry.line_too_long"


def peak_memory_of(command: list[str], stdin_path: str, timeout: float) -> tuple[int, str, int]:
    """Run `command` from a small helper process; returns (exit code, stderr, peak RSS in bytes of the
    command alone, measured by the helper's RUSAGE_CHILDREN)."""
    helper = (
        "import resource, subprocess, sys\n"
        "with open(sys.argv[1], 'rb') as stdin:\n"
        "    done = subprocess.run(sys.argv[3:], stdin=stdin, capture_output=True, timeout=float(sys.argv[2]))\n"
        "sys.stderr.buffer.write(done.stderr)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", helper, stdin_path, str(timeout), *command],
        capture_output=True,
        env=clean_environ(),
        timeout=timeout + 30,
        check=True,
    )
    code, kib = done.stdout.decode().split()
    return int(code), done.stderr.decode(), int(kib) * 1024


MEMORY_BOUND = 200 * 1024 * 1024


def test_cli_import_of_standard_input_from_dev_zero_is_refused_with_bounded_memory(data_dir: Path) -> None:
    command = [sys.executable, "-m", "repairtrack", "--data-dir", str(data_dir), "import", "-"]
    code, stderr, peak = peak_memory_of(command, "/dev/zero", timeout=60)

    assert code == 2, stderr
    assert stderr.startswith("line 1: entry: entry.line_too_long: "), stderr
    assert not any(word in stderr for word in EXCEPTION_WORDS)
    assert peak < MEMORY_BOUND, f"peak {peak / 2**20:.0f} MiB"


def test_cli_import_of_dev_zero_is_refused_at_the_line_limit_with_bounded_memory(data_dir: Path) -> None:
    command = [sys.executable, "-m", "repairtrack", "--data-dir", str(data_dir), "import", "/dev/zero"]
    code, stderr, peak = peak_memory_of(command, "/dev/null", timeout=60)

    assert peak < MEMORY_BOUND, f"peak {peak / 2**20:.0f} MiB"
    assert code == 2, stderr
    assert stderr.startswith("line 1: entry: entry.line_too_long: "), stderr


# ----------------------------------------------------------------------------------------------
# An object that repeats a key is refused
# ----------------------------------------------------------------------------------------------
REGISTERED = line(registered())


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (b'{"type": "check_in", "type": "check_in"}', "type"),
        (
            b'{"type": "check_in", "couple": "ana-ben", "occurred_at": "2026-03-02T10:00:00Z", "by": "ana",'
            b' "closeness": 6, "trust": 5, "trust": 9}',
            "trust",
        ),
        (b'{"a" : 1, "a" :2, "n": "x\\":"}', "a"),  # spaces before the colon, a quote-colon inside a string
        (b'{"trust": 5, "\\u0074rust": 6}', "trust"),  # the same key written with an escape
        (b'{"x": [{"y": {"z": 1, "z": 2}}]}', "z"),  # deep inside
    ],
)
def test_a_repeated_key_is_refused_never_last_one_wins(app: RepairTrack, raw: bytes, key: str) -> None:
    app.record(registered())

    problems = refused_codes(app, raw + b"\n")

    assert problems == [(1, key, "entry.duplicate_key")]
    assert stored(app) == 1


def test_a_repeated_key_inside_a_partner_is_refused(app: RepairTrack) -> None:
    raw = REGISTERED.replace(b'"name": "Ana"', b'"name": "Ana", "handle": "cleo"')
    assert raw != REGISTERED

    assert refused_codes(app, raw + b"\n") == [(1, "handle", "entry.duplicate_key")]
    assert stored(app) == 0


def test_the_same_key_in_two_objects_and_quote_colons_in_strings_are_fine(app: RepairTrack) -> None:
    tricky = line(check_in("c1", note='she said "ok": fine, "really":'))

    assert len(import_bytes(app, REGISTERED + b"\n" + tricky + b"\n")) == 2  # both partners have a handle


def test_decode_line_refuses_a_repeated_key_quoting_at_most_80_characters() -> None:
    key = "k" * 500
    found = decode_line(b'{"' + key.encode() + b'": 1, "' + key.encode() + b'": 2}')

    assert getattr(found, "code", None) == "entry.duplicate_key"
    assert longest_run(str(found), "k") <= MAX_QUOTED


# ----------------------------------------------------------------------------------------------
# occurred_at on or after 2000-01-01T00:00:00Z, due_at before 2100-01-01T00:00:00Z
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "moment",
    ["1999-12-31T23:59:59Z", "2000-01-01T00:30:00+01:00", "0001-06-01T00:00:00Z", "1970-01-01T00:00:00Z"],
)
def test_an_occurred_at_before_2000_is_refused(app: RepairTrack, moment: str) -> None:
    app.record(registered())

    with pytest.raises(EntryRefused) as refused:
        app.record(check_in("c1", occurred_at=moment))

    assert [(p.field, p.code) for p in refused.value.problems] == [("occurred_at", "time.out_of_range")]
    assert moment in str(refused.value)
    assert stored(app) == 1


@pytest.mark.parametrize("moment", ["2000-01-01T00:00:00Z", "1999-12-31T23:30:00-01:00"])
def test_an_occurred_at_from_2000_on_is_accepted(app: RepairTrack, moment: str) -> None:
    app.record(registered())
    app.record(check_in("c1", occurred_at=moment))

    assert stored(app) == 2


@pytest.mark.parametrize(
    "due",
    [
        "2100-01-01T00:00:00Z",
        "2100-01-01T00:30:00+00:15",
        "9999-12-31T00:00:00Z",
        "2999-01-01T00:00:00+05:00",
    ],
)
def test_a_due_at_from_2100_on_is_refused_for_promises_and_renegotiations(app: RepairTrack, due: str) -> None:
    app.record_batch([registered(), promise("p1")])

    with pytest.raises(EntryRefused) as made:
        app.record(promise("p2", due_at=due))
    with pytest.raises(EntryRefused) as moved:
        app.record({**renegotiated("n1", "p1"), "due_at": due})

    assert [(p.field, p.code) for p in made.value.problems] == [("due_at", "time.out_of_range")]
    assert [(p.field, p.code) for p in moved.value.problems] == [("due_at", "time.out_of_range")]
    assert stored(app) == 2


def test_a_due_at_just_before_2100_is_accepted(app: RepairTrack) -> None:
    app.record_batch([registered(), promise("p1")])
    app.record(promise("p2", due_at="2099-12-31T23:59:59Z"))
    app.record({**renegotiated("n1", "p1"), "due_at": "2100-01-01T00:59:59+01:00"})

    assert stored(app) == 4


def test_out_of_range_times_in_an_import_are_refused_by_line(app: RepairTrack) -> None:
    content = b"\n".join(
        [
            REGISTERED,
            line(check_in("c1", occurred_at="0001-01-01T00:00:00Z")),
            line(promise("p1", due_at="9999-12-31T23:59:59Z")),
        ]
    )

    assert refused_codes(app, content) == [
        (2, "occurred_at", "time.out_of_range"),
        (3, "due_at", "time.out_of_range"),
    ]
    assert stored(app) == 0


# ----------------------------------------------------------------------------------------------
# A message quotes at most 80 characters of an offending value
# ----------------------------------------------------------------------------------------------
LONG = "q" * 5000


@pytest.mark.parametrize(
    "raw",
    [
        check_in(LONG),  # id
        check_in("c1", by=LONG),  # handle
        check_in("c1", occurred_at=LONG),  # time
        promise("p1", due_at="2026-03-02T10:00:00" + LONG),  # time
        check_in("c1", occurred_at="2026-03-02T10:00:00"),  # no offset (short, but goes through quote)
        {**check_in("c1"), "type": LONG},  # type
        {**check_in("c1"), LONG: 1},  # unknown field
        {**check_in("c1"), "type": [LONG] * 3},  # a type that is not a string
        {**registered("x-y"), "timezone": LONG},  # timezone
        {**check_in("c1"), "by": "ana", "logged_by": "q" + "-q" * 19},  # a handle not of the couple
        {
            "type": "repair_offered",
            "couple": "ana-ben",
            "occurred_at": "2026-03-02T10:00:00Z",
            "by": "ana",
            "kind": LONG,
        },
    ],
)
def test_a_refusal_quotes_at_most_80_characters_of_the_value(app: RepairTrack, raw: dict[str, Any]) -> None:
    app.record(registered())

    with pytest.raises(EntryRefused) as refused:
        app.record(raw)

    for problem_line in str(refused.value).splitlines():
        assert longest_run(problem_line, "q") <= MAX_QUOTED - 2, problem_line
        assert len(problem_line) < 400, problem_line


def test_an_import_refusal_quotes_at_most_80_characters_of_the_value(app: RepairTrack) -> None:
    content = line({**check_in(LONG, by=LONG, occurred_at=LONG), LONG: LONG, "q" + LONG: 1})

    with pytest.raises(BatchRefused) as refused:
        import_bytes(app, content)

    for problem_line in str(refused.value).splitlines():
        assert longest_run(problem_line, "q") <= MAX_QUOTED, problem_line


def test_an_integer_too_large_to_print_is_refused_with_a_sentence(app: RepairTrack) -> None:
    app.record(registered())

    with pytest.raises(EntryRefused) as refused:
        app.record(check_in("c1", trust=10**5000))

    assert [(p.field, p.code) for p in refused.value.problems] == [("trust", "field.out_of_range")]
    assert len(str(refused.value)) < 200


def test_quote_cuts_at_80_characters_and_marks_the_cut() -> None:
    assert quote("abc") == "'abc'"
    assert len(quote("x" * 500)) == MAX_QUOTED
    assert quote("x" * 500).endswith("…")
    assert len(quote(10**5000)) <= MAX_QUOTED


# ----------------------------------------------------------------------------------------------
# Bytes that are not UTF-8 text: a byte order mark, NUL bytes, other encodings
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\xef\xbb\xbf" + REGISTERED + b"\n", "entry.byte_order_mark"),
        (REGISTERED.decode().encode("utf-16"), "entry.byte_order_mark"),
        (REGISTERED.decode().encode("utf-16-le"), "entry.nul_byte"),
        (REGISTERED + b"\n" + b"\0" * 100 + b"\n", "entry.nul_byte"),
        (REGISTERED.replace(b'"Ana"', '"Anaïs"'.encode("latin-1")) + b"\n", "entry.not_utf8"),
        (REGISTERED.replace(b'"Ana"', b'"An\xed\xa0\x80a"') + b"\n", "entry.not_utf8"),
    ],
)
def test_bytes_that_are_not_utf8_json_text_are_refused_with_their_own_code(
    app: RepairTrack, content: bytes, code: str
) -> None:
    problems = refused_codes(app, content)

    assert code in {c for _, _, c in problems}, problems
    assert stored(app) == 0


def test_cli_import_of_binary_bytes_exits_2_without_an_exception_name(data_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "binary.jsonl"
    file.write_bytes(b"\xff\xfe\0\0\x80\x81\n\xef\xbb\xbf{}\n" + os.urandom(300))

    result = run_cli(data_dir, "import", str(file), timeout=60)

    assert result.returncode == 2
    assert result.stderr.startswith("line 1: entry: entry.byte_order_mark: "), result.stderr
    assert no_exception_name(result), result.stderr


# ----------------------------------------------------------------------------------------------
# Standard input that is closed or empty
# ----------------------------------------------------------------------------------------------
def test_read_stdin_refuses_a_closed_standard_input() -> None:
    with pytest.raises(InputRefused) as refused:
        read_stdin(None)

    assert str(refused.value).startswith("stdin: input.closed: ")
    assert isinstance(refused.value, BatchRefused)  # the command line's exit 2


def test_read_stdin_refuses_a_standard_input_that_was_closed_by_us() -> None:
    stream = io.TextIOWrapper(io.BytesIO(b"{}\n"))
    stream.close()

    with pytest.raises(InputRefused, match=r"input\.closed"):
        read_stdin(stream)


def test_read_stdin_refuses_an_empty_standard_input() -> None:
    with pytest.raises(InputRefused) as refused:
        read_stdin(io.TextIOWrapper(io.BytesIO(b"")))

    assert str(refused.value).startswith("stdin: input.empty: ")


def test_read_stdin_reads_lines_like_a_file() -> None:
    items, lines = read_stdin(io.TextIOWrapper(io.BytesIO(b'\n{"a": 1}\n')))

    assert (items, lines) == ([{"a": 1}], [2])


@pytest.mark.parametrize("how", ["empty", "closed"])
def test_cli_import_of_a_closed_or_empty_standard_input_exits_2(data_dir: Path, how: str) -> None:
    if how == "empty":
        with open(os.devnull, "rb") as empty:
            result = run_cli(data_dir, "import", "-", stdin=empty, timeout=60)
    else:
        done = subprocess.run(
            f'exec 0<&- "{sys.executable}" -m repairtrack --data-dir "{data_dir}" import -',
            shell=True,
            capture_output=True,
            env=clean_environ(),
            timeout=60,
            check=False,
        )
        result = subprocess.CompletedProcess(
            done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
        )

    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"stdin: input.{how}: "), result.stderr
    assert no_exception_name(result), result.stderr
