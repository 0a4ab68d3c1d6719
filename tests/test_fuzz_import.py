"""Property tests: whatever the lines of an imported file hold, the importer never crashes. Each file
is stored whole, or refused whole with problems that name a line, a field and a registered rule, and
then nothing of it was stored.

Two kinds of input: random lines (bytes, JSON values, objects with the format's field names), and
valid files mutated a little (a field dropped, replaced or given another type, an entry moved, copied
or removed, a time shifted), so the checks against earlier entries are reached too.

And the limits of SPEC section 3: lines about 1 MiB long, a key repeated in an object at any depth,
times around and far beyond 2000 and 2100, random bytes (a byte order mark, NUL, not UTF-8) in valid
lines. Every refusal names a registered rule, holds no exception name, and quotes at most 80 characters
of a value."""

from __future__ import annotations

import copy
import io
import json
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from domain.application import RepairTrack
from domain.entries import COMMON_FIELDS, FIELDS
from domain.errors import BatchRefused, EntryRefused
from domain.limits import EARLIEST, LATEST, MAX_LINE_BYTES, MAX_QUOTED
from domain.rules import RULES
from domain.vocabulary import BID_RESPONSES, ENTRY_TYPES, HORSEMEN, REPAIR_KINDS
from repairtrack.bootstrap import build_app, settings_for
from repairtrack.services.importing import read_jsonl
from tests.conftest import Clock
from tests.support import entries as e

EXAMPLE = Path(__file__).parent / "fixtures" / "two-months.jsonl"
EXAMPLE_ENTRIES: list[dict[str, Any]] = [
    json.loads(line) for line in EXAMPLE.read_text().splitlines() if line
]
BUILT_ENTRIES: list[dict[str, Any]] = [
    e.registered(),
    e.conflict("k1", 0, horsemen=["contempt"], note="loud", private=True),
    e.offer("o1", 1, conflict="k1"),
    e.accepted("a1", "o1", 2),
    e.resolved("r1", "k1", 3),
    e.promise("p1", 4, due=30),
    e.renegotiated("n1", "p1", 5, due=40),
    e.kept("kp1", "p1", 6),
    e.promise("p2", 7, due=20),
    e.released("rl2", "p2", 8),
    e.promise("p3", 9, due=25),
    e.broken("b3", "p3", 26),
    e.check_in("c1", 10, csi4=[4, 3, 3, 4]),
    e.retracted("x1", "c1", 11, reason="typo"),
]
FIELD_NAMES = sorted({*COMMON_FIELDS, *(name for fields in FIELDS.values() for name in fields)})
# Values that mean something somewhere in the format, so mutations often hit a deep rule.
MEANINGFUL = sorted(
    {
        json.dumps(value)
        for entry in EXAMPLE_ENTRIES + BUILT_ENTRIES
        for value in entry.values()
        if not isinstance(value, dict)
    }
    | {json.dumps(v) for v in (*ENTRY_TYPES, *HORSEMEN, *REPAIR_KINDS, *BID_RESPONSES, "UTC", "Mars/Base")}
)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


# ----------------------------------------------------------------------------------------------
# Strategies
# ----------------------------------------------------------------------------------------------
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
times = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones() | st.none()
).map(lambda moment: moment.isoformat())
near_times = st.integers(min_value=-24 * 400, max_value=24 * 400).map(
    lambda hours: (NOW + timedelta(hours=hours)).isoformat()
)
edge_texts = st.sampled_from(
    [
        "",
        " ",
        "\t",
        "x\u0000y",
        "line\nbreak",
        "\u0085",
        "x" * 2001,
        "A" * 65,
        "UPPER",
        "-lead",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "2026-13-01T00:00:00Z",
        "2026-03-02T10:00:00",
        "America",
        "../etc",
    ]
)
values = (
    json_values
    | times
    | near_times
    | edge_texts
    | st.sampled_from(MEANINGFUL).map(json.loads)
    | st.lists(st.sampled_from(HORSEMEN), max_size=5)
    | st.lists(st.integers(min_value=-1, max_value=7), min_size=3, max_size=5)
)
field_names = st.sampled_from(FIELD_NAMES) | st.text(max_size=10)
entry_like = st.dictionaries(field_names, values, max_size=9) | st.fixed_dictionaries(
    {"type": st.sampled_from(ENTRY_TYPES), "couple": st.sampled_from(["ana-ben", "Ana", ""])},
    optional={name: values for name in FIELD_NAMES if name not in ("type", "couple")},
)
random_lines = st.lists(
    st.binary(max_size=60)
    | json_values.map(lambda v: json.dumps(v).encode())
    | entry_like.map(lambda v: json.dumps(v).encode()),
    min_size=1,
    max_size=12,
)


# For each field, the values it takes somewhere in the valid files; and every id, for references.
VALUES_BY_FIELD: dict[str, list[str]] = {
    name: sorted({json.dumps(one[name]) for one in EXAMPLE_ENTRIES + BUILT_ENTRIES if name in one})
    for name in FIELD_NAMES
    if any(name in one for one in EXAMPLE_ENTRIES + BUILT_ENTRIES)
}
IDS = sorted({one["id"] for one in EXAMPLE_ENTRIES + BUILT_ENTRIES})
REFERENCES = ("attempt", "conflict", "entry", "promise")
# Mostly mutations that keep the shape valid and break (or not) a rule against earlier entries.
ACTIONS = ["shift", "shift", "shift", "move", "move", "copy", "remove", "refer", "refer", "borrow", "borrow"]
ACTIONS += ["drop", "replace", "add", "retype"]


@st.composite
def mutated_files(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A valid file (the example, or one built to hold every entry type) with a few mutations."""
    entries = copy.deepcopy(draw(st.sampled_from([EXAMPLE_ENTRIES, BUILT_ENTRIES])))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        where = draw(st.integers(min_value=0, max_value=len(entries) - 1))
        target = entries[where]
        action = draw(st.sampled_from(ACTIONS))
        if action == "shift" and isinstance(target.get("occurred_at"), str):
            key = draw(st.sampled_from(["occurred_at", "due_at"] if "due_at" in target else ["occurred_at"]))
            moment = datetime.fromisoformat(target[key])
            minutes = draw(st.integers(min_value=-60 * 24 * 12, max_value=60 * 24 * 12))
            target[key] = (moment + timedelta(minutes=minutes)).isoformat()
        elif action == "move":
            entries.insert(draw(st.integers(min_value=0, max_value=len(entries) - 1)), entries.pop(where))
        elif action == "copy":
            duplicate = copy.deepcopy(target)
            if draw(st.booleans()):
                duplicate.pop("id", None)  # the same fact logged twice, without ids
            entries.insert(draw(st.integers(min_value=where, max_value=len(entries))), duplicate)
        elif action == "remove" and len(entries) > 1:
            entries.pop(where)
        elif action == "refer":
            field = next((f for f in REFERENCES if f in target), None) or draw(st.sampled_from(REFERENCES))
            target[field] = draw(st.sampled_from(IDS))
        elif action == "borrow" and target:
            field = draw(st.sampled_from(sorted(set(target) & set(VALUES_BY_FIELD)) or ["type"]))
            target[field] = json.loads(draw(st.sampled_from(VALUES_BY_FIELD[field])))
        elif action == "drop" and target:
            target.pop(draw(st.sampled_from(sorted(target))))
        elif action == "replace" and target:
            target[draw(st.sampled_from(sorted(target)))] = draw(values)
        elif action == "add":
            target[draw(field_names)] = draw(values)
        elif action == "retype":
            target["type"] = draw(st.sampled_from(ENTRY_TYPES))
    return entries


# ----------------------------------------------------------------------------------------------
# The property
# ----------------------------------------------------------------------------------------------
@contextmanager
def fresh_app() -> Iterator[RepairTrack]:
    with tempfile.TemporaryDirectory(prefix="repairtrack-fuzz-") as folder:
        app = build_app(settings_for(Path(folder)), clock=Clock(NOW))
        try:
            yield app
        finally:
            app.close()


EXCEPTION_WORDS = ("Traceback", "Error", "Exception")
MARK = "\u00a7"  # a character the generated long values are made of, to find what a message quotes
LONGEST_PROBLEM_LINE = 600  # prefix, a quoted field name, a quoted value and our own words


def assert_plain_and_short(message: str) -> None:
    """No exception name, and no more than 80 characters of a value quoted, on any line of `message`."""
    for text in message.splitlines():
        assert not any(word in text for word in EXCEPTION_WORDS), text[:200]
        assert len(text) <= LONGEST_PROBLEM_LINE, text[:200]
        assert all(len(run) <= MAX_QUOTED for run in re.findall(f"{MARK}+", text)), text[:200]


def stored_or_refused_with_reasons(content: bytes) -> set[str]:
    """Import `content` into an empty store: stored whole, or refused whole with proper reasons.
    Returns the codes of the refusal (empty when stored)."""
    with fresh_app() as app:
        items, lines = read_jsonl(io.BytesIO(content))
        try:
            ids = app.record_batch(items, lines=lines)
        except BatchRefused as refused:
            assert refused.problems, "a refusal lists at least one problem"
            assert len(refused.problems) <= 100 <= refused.total or len(refused.problems) == refused.total
            for found in refused.problems:
                assert found.line in lines
                assert found.problem.code in RULES
                assert isinstance(found.problem.field, str) and found.problem.field
                assert str(found).startswith(
                    f"line {found.line}: {found.problem.field}: {found.problem.code}: "
                )
                assert len(str(found).splitlines()) == 1, "one problem, one line"
            assert not app.recorder.max_notification_id(), "a refused file stored something"
            assert_plain_and_short(str(refused))
            event(f"refused: {refused.problems[0].problem.code}")
            return {p.problem.code for p in refused.problems}
        else:
            assert len(ids) == len(items)
            assert (app.recorder.max_notification_id() or 0) == len(items)
            event("stored")
            return set()


@given(random_lines)
@example([b'{"type": "couple_registered", "couple": "x", "occurred_at": "0001-01-01T00:00:00+01:00"}'])
@example([b'{"type": "check_in", "couple": "x", "occurred_at": "2026-01-01T00:00:00Z", "csi4": [1, 2]}'])
@example(
    [
        b'{"type": "couple_registered", "couple": "x", "occurred_at": "2026-01-01T00:00:00Z", "timezone": "America"}'
    ]
)
@example([b"\xff\xfe", b"[]", b"null", b"18446744073709551616", b'"\\ud800"', b"{" * 600])
def test_random_lines_are_stored_or_refused_with_reasons_never_a_crash(lines: list[bytes]) -> None:
    stored_or_refused_with_reasons(b"\n".join(lines))


@given(mutated_files())
def test_mutated_valid_files_are_stored_or_refused_with_reasons_never_a_crash(
    entries: list[dict[str, Any]],
) -> None:
    stored_or_refused_with_reasons("".join(json.dumps(one) + "\n" for one in entries).encode())


@given(st.lists(entry_like, min_size=1, max_size=6))
def test_random_entries_after_a_registration_are_stored_or_refused_with_reasons(
    entries: list[dict[str, Any]],
) -> None:
    lines = [e.registered(), *({"couple": "ana-ben", **one} for one in entries)]
    stored_or_refused_with_reasons("".join(json.dumps(one) + "\n" for one in lines).encode())


@given(st.dictionaries(field_names, values, max_size=9) | entry_like)
def test_recording_one_random_mapping_is_stored_or_refused_with_reasons(raw: dict[str, Any]) -> None:
    with fresh_app() as app:
        app.record(e.registered())
        try:
            app.record({"couple": "ana-ben", **raw})
        except EntryRefused as refused:
            assert refused.problems
            assert all(p.code in RULES and p.field for p in refused.problems)
            assert all(len(p.describe().splitlines()) == 1 for p in refused.problems)
            assert app.recorder.max_notification_id() == 1
        else:
            assert app.recorder.max_notification_id() == 2


def test_the_unmutated_files_are_stored() -> None:
    for entries in (EXAMPLE_ENTRIES, BUILT_ENTRIES):
        with fresh_app() as app:
            assert len(app.record_batch(entries)) == len(entries)


@pytest.mark.parametrize(
    "moment",
    ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "0001-01-01T00:30:00+00:45"],
)
def test_a_time_that_cannot_be_expressed_in_utc_is_refused_as_an_invalid_time(moment: str) -> None:
    with fresh_app() as app:
        app.record(e.registered())
        with pytest.raises(EntryRefused) as refused:
            app.record(e.check_in("c1", occurred_at=moment))
        with pytest.raises(EntryRefused) as refused_due:
            app.record(e.promise("p1", due_at=moment))

    assert [(p.field, p.code) for p in refused.value.problems] == [("occurred_at", "time.invalid")]
    assert [(p.field, p.code) for p in refused_due.value.problems] == [("due_at", "time.invalid")]


# ----------------------------------------------------------------------------------------------
# The limits of SPEC section 3
# ----------------------------------------------------------------------------------------------
def lines_of(entries: list[dict[str, Any]]) -> list[bytes]:
    return [json.dumps(one).encode() for one in entries]


@settings(max_examples=8)
@given(
    st.integers(min_value=MAX_LINE_BYTES - 3, max_value=MAX_LINE_BYTES + 3),
    st.sampled_from([b"\n", b"\r\n", b""]),
    st.booleans(),
)
def test_a_line_near_1_mib_is_read_up_to_the_limit_and_refused_beyond(
    size: int, end: bytes, long_value: bool
) -> None:
    line = json.dumps(e.check_in("c1")).encode()
    if long_value:  # the room filled by an unknown field's value, which the refusal quotes
        line = line[:-1] + b', "pad": "' + MARK.encode() * ((size - len(line) - 11) // 2) + b'"}'
    line += b" " * (size - len(line))
    assert len(line) == size

    codes = stored_or_refused_with_reasons(lines_of([e.registered()])[0] + b"\n" + line + end)

    if size > MAX_LINE_BYTES:
        assert codes == {"entry.line_too_long"}
    elif long_value:
        assert codes == {"field.unknown"}
    else:
        assert codes == set()


def objects_in(value: Any) -> int:
    if isinstance(value, dict):
        return int(bool(value)) + sum(objects_in(v) for v in value.values())
    if isinstance(value, list):
        return sum(objects_in(v) for v in value)
    return 0


def json_repeating(value: Any, target: int, again: Any, seen: list[int]) -> str:
    """JSON text of `value` in which the `target`-th non-empty object (depth first) names its first key
    a second time, with the value `again`."""
    if isinstance(value, dict):
        index = seen[0] if value else -1
        seen[0] += bool(value)
        members = [f"{json.dumps(k)}: {json_repeating(v, target, again, seen)}" for k, v in value.items()]
        if index == target:
            members.append(f"{json.dumps(next(iter(value)))}: {json.dumps(again)}")
        return "{" + ", ".join(members) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(json_repeating(v, target, again, seen) for v in value) + "]"
    return json.dumps(value)


@st.composite
def files_with_a_repeated_key(draw: st.DrawFn) -> bytes:
    """A valid file in which one object of one entry, at a random depth, repeats a key."""
    entries = copy.deepcopy(draw(st.sampled_from([EXAMPLE_ENTRIES, BUILT_ENTRIES])))
    where = draw(st.integers(min_value=0, max_value=len(entries) - 1))
    target = entries[where]
    depth = draw(st.integers(min_value=0, max_value=8))
    if depth:  # an object buried this deep in an extra field (the line is refused for it too)
        inner: Any = {"k": draw(values)}
        for _ in range(depth):
            inner = [inner] if draw(st.booleans()) else {draw(st.text(max_size=4)): inner}
        target["deep"] = inner
    which = draw(st.integers(min_value=0, max_value=objects_in(target) - 1))
    again = draw(values)
    lines = [json.dumps(one) for one in entries]
    lines[where] = json_repeating(target, which, again, [0])
    return ("\n".join(lines) + "\n").encode()


@given(files_with_a_repeated_key())
def test_a_key_repeated_at_any_depth_is_refused(content: bytes) -> None:
    assert "entry.duplicate_key" in stored_or_refused_with_reasons(content)


def utc_or_none(moment: str) -> datetime | None:
    try:
        return datetime.fromisoformat(moment).astimezone(UTC)
    except OverflowError:
        return None


def around(edge: datetime) -> st.SearchStrategy[str]:
    offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
    shifts = st.integers(min_value=-3 * 86400, max_value=3 * 86400).map(lambda s: timedelta(seconds=s))
    return st.tuples(shifts, offsets).map(lambda pair: (edge + pair[0]).astimezone(pair[1]).isoformat())


far_times = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones()
).map(lambda moment: moment.isoformat())


@given(
    st.sampled_from(["occurred_at", "due_at", "renegotiated due_at"]),
    far_times | around(EARLIEST) | around(LATEST),
)
@example("occurred_at", "0001-01-01T00:00:00Z")
@example("due_at", "9999-12-31T23:59:59Z")
def test_a_time_outside_the_years_is_refused_as_out_of_range(field: str, moment: str) -> None:
    renegotiation = {**e.renegotiated("n1", "p1", 2), "due_at": moment}
    last = {
        "occurred_at": e.check_in("c1", occurred_at=moment),
        "due_at": e.promise("p2", due_at=moment),
        "renegotiated due_at": renegotiation,
    }[field]
    entries = [e.registered(), e.promise("p1", 1, due=30), last]

    codes = stored_or_refused_with_reasons(b"".join(line + b"\n" for line in lines_of(entries)))

    utc = utc_or_none(moment)
    if utc is None:
        assert "time.invalid" in codes
    elif (field == "occurred_at" and utc < EARLIEST) or (field != "occurred_at" and utc >= LATEST):
        assert "time.out_of_range" in codes
    else:
        assert not codes & {"time.out_of_range", "time.invalid"}
    event("out of range" if "time.out_of_range" in codes else "in range")


junk_bytes = st.binary(min_size=1, max_size=8) | st.sampled_from(
    [b"\xef\xbb\xbf", b"\0", b"\xff\xfe", b"\xfe\xff", b"\x80", b"\xed\xa0\x80", b"\xc3", b"\r", b"\x1b["]
)


@given(
    st.integers(min_value=0, max_value=len(BUILT_ENTRIES) - 1),
    st.integers(min_value=0, max_value=300),
    junk_bytes,
)
def test_bytes_put_into_a_valid_file_are_refused_with_a_reason_never_a_crash(
    where: int, at: int, junk: bytes
) -> None:
    lines = lines_of(BUILT_ENTRIES)
    lines[where] = lines[where][:at] + junk + lines[where][at:]
    content = b"\n".join(lines) + b"\n"

    codes = stored_or_refused_with_reasons(content)

    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        assert codes & {"entry.not_utf8", "entry.byte_order_mark", "entry.nul_byte"}
    if b"\0" in junk:
        assert codes & {"entry.nul_byte", "entry.byte_order_mark"}
