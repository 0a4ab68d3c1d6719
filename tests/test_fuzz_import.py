"""Property tests: whatever the lines of an imported file hold, the importer never crashes. Each file
is stored whole, or refused whole with problems that name a line, a field and a registered rule, and
then nothing of it was stored.

Two kinds of input: random lines (bytes, JSON values, objects with the format's field names), and
valid files mutated a little (a field dropped, replaced or given another type, an entry moved, copied
or removed, a time shifted), so the checks against earlier entries are reached too."""

from __future__ import annotations

import copy
import io
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from domain.application import RepairTrack
from domain.entries import COMMON_FIELDS, FIELDS
from domain.errors import BatchRefused, EntryRefused
from domain.rules import RULES
from domain.vocabulary import BID_RESPONSES, ENTRY_TYPES, HORSEMEN, REPAIR_KINDS
from repairtrack.bootstrap import build_app, settings_for
from repairtrack.services.importing import read_jsonl
from tests.conftest import Clock
from tests.support.entries import (
    accepted,
    broken,
    check_in,
    conflict,
    kept,
    offer,
    promise,
    registered,
    released,
    renegotiated,
    resolved,
    retracted,
)

EXAMPLE = Path(__file__).parent / "fixtures" / "two-months.jsonl"
EXAMPLE_ENTRIES: list[dict[str, Any]] = [
    json.loads(line) for line in EXAMPLE.read_text().splitlines() if line
]
BUILT_ENTRIES: list[dict[str, Any]] = [
    registered(),
    conflict("k1", 0, horsemen=["contempt"], note="loud", private=True),
    offer("o1", 1, conflict="k1"),
    accepted("a1", "o1", 2),
    resolved("r1", "k1", 3),
    promise("p1", 4, due=30),
    renegotiated("n1", "p1", 5, due=40),
    kept("kp1", "p1", 6),
    promise("p2", 7, due=20),
    released("rl2", "p2", 8),
    promise("p3", 9, due=25),
    broken("b3", "p3", 26),
    check_in("c1", 10, csi4=[4, 3, 3, 4]),
    retracted("x1", "c1", 11, reason="typo"),
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
    name: sorted({json.dumps(e[name]) for e in EXAMPLE_ENTRIES + BUILT_ENTRIES if name in e})
    for name in FIELD_NAMES
    if any(name in e for e in EXAMPLE_ENTRIES + BUILT_ENTRIES)
}
IDS = sorted({e["id"] for e in EXAMPLE_ENTRIES + BUILT_ENTRIES})
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


def stored_or_refused_with_reasons(content: bytes) -> None:
    """Import `content` into an empty store: stored whole, or refused whole with proper reasons."""
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
            event(f"refused: {refused.problems[0].problem.code}")
        else:
            assert len(ids) == len(items)
            assert (app.recorder.max_notification_id() or 0) == len(items)
            event("stored")


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
    stored_or_refused_with_reasons("".join(json.dumps(e) + "\n" for e in entries).encode())


@given(st.lists(entry_like, min_size=1, max_size=6))
def test_random_entries_after_a_registration_are_stored_or_refused_with_reasons(
    entries: list[dict[str, Any]],
) -> None:
    lines = [registered(), *({"couple": "ana-ben", **e} for e in entries)]
    stored_or_refused_with_reasons("".join(json.dumps(e) + "\n" for e in lines).encode())


@given(st.dictionaries(field_names, values, max_size=9) | entry_like)
def test_recording_one_random_mapping_is_stored_or_refused_with_reasons(raw: dict[str, Any]) -> None:
    with fresh_app() as app:
        app.record(registered())
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
        app.record(registered())
        with pytest.raises(EntryRefused) as refused:
            app.record(check_in("c1", occurred_at=moment))
        with pytest.raises(EntryRefused) as refused_due:
            app.record(promise("p1", due_at=moment))

    assert [(p.field, p.code) for p in refused.value.problems] == [("occurred_at", "time.invalid")]
    assert [(p.field, p.code) for p in refused_due.value.problems] == [("due_at", "time.invalid")]
