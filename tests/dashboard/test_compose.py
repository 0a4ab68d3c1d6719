"""From form values to entries and back (pure functions, no Streamlit)."""

from __future__ import annotations

from datetime import UTC, datetime

from dashboard import compose
from domain.errors import Problem

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"


def test_an_ordinary_local_time() -> None:
    resolved = compose.resolve_local(datetime(2026, 7, 1, 19, 30), BERLIN)
    assert resolved.ok and resolved.problem is None
    assert resolved.instant is not None
    assert resolved.instant.astimezone(UTC) == datetime(2026, 7, 1, 17, 30, tzinfo=UTC)
    assert compose.iso(resolved.instant) == "2026-07-01T19:30:00+02:00"


def test_a_skipped_time_is_refused() -> None:
    resolved = compose.resolve_local(datetime(2026, 3, 8, 2, 15), NEW_YORK)
    assert not resolved.ok and not resolved.ambiguous
    assert resolved.problem == (
        "02:15 on 08 Mar 2026 did not happen in America/New_York: the clocks jumped forward that night "
        "(from UTC-05:00 to UTC-04:00). Please pick a time outside the skipped hour."
    )


def test_a_repeated_time_needs_a_choice() -> None:
    naive = datetime(2026, 11, 1, 1, 30)
    resolved = compose.resolve_local(naive, NEW_YORK)
    assert resolved.ambiguous and not resolved.ok
    assert compose.fold_choices(naive, NEW_YORK) == [
        (0, "the first 01:30 (UTC-04:00)"),
        (1, "the second 01:30 (UTC-05:00)"),
    ]
    first = compose.resolve_local(naive, NEW_YORK, 0).instant
    second = compose.resolve_local(naive, NEW_YORK, 1).instant
    assert first is not None and second is not None
    assert first.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert second.astimezone(UTC) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_back_to_the_wall_clock_keeps_the_fold() -> None:
    assert compose.to_local(datetime(2026, 11, 1, 6, 30, tzinfo=UTC), NEW_YORK) == (
        datetime(2026, 11, 1, 1, 30),
        1,
    )


def test_entries_leave_out_what_was_left_empty() -> None:
    at = datetime(2026, 7, 1, 19, 30, tzinfo=UTC)
    assert compose.entry(
        "check_in", "ana-ben", at, "ana", by="ben", closeness=7, trust=6, csi4=None, note="  ", private=True
    ) == {
        "type": "check_in",
        "couple": "ana-ben",
        "occurred_at": "2026-07-01T19:30:00+00:00",
        "logged_by": "ana",
        "by": "ben",
        "closeness": 7,
        "trust": 6,
    }
    offer = compose.entry("repair_offered", "c", at, "ana", by="ana", kind="humor", conflict=None)
    assert offer["kind"] == "humor" and "conflict" not in offer


def test_csi4_all_or_none() -> None:
    assert compose.csi4_answers([None] * 4) == (None, None)
    assert compose.csi4_answers([6, 5, 0, 1]) == ([6, 5, 0, 1], None)
    assert compose.csi4_answers([6, None, 0, 1]) == (
        None,
        "Please answer all four questions, or none of them.",
    )


def test_registration_makes_handles_from_names() -> None:
    at = datetime(2026, 7, 1, tzinfo=UTC)
    entry = compose.registration(["Zoë Ann", "Sam"], ["", ""], "", BERLIN, at)
    assert entry["partners"] == [{"handle": "zoe-ann", "name": "Zoë Ann"}, {"handle": "sam", "name": "Sam"}]
    assert entry["couple"] == "zoe-ann-sam"
    given = compose.registration(["Ana", "Ben"], ["a", "b"], "us", BERLIN, at)
    assert (given["couple"], [p["handle"] for p in given["partners"]]) == ("us", ["a", "b"])


def test_refusals_in_plain_words() -> None:
    assert (
        compose.problem_text(Problem("topic", "field.missing", "topic is required")) == "Please fill this in."
    )
    assert compose.problem_text(
        Problem("promise", "promise.past_due", "its due time 2026-11-01 had passed")
    ) == (
        "A promise cannot be renegotiated once its current due time has passed (its due time 2026-11-01 had passed)."
    )


def test_form_values_of_a_row_fill_its_form_back_in() -> None:
    row = {
        "type": "conflict_started",
        "occurred_at": datetime(2026, 11, 1, 6, 30, 15, tzinfo=UTC),
        "by": "ben",
        "topic": "money",
        "intensity": 4,
        "horsemen": ["contempt"],
        "ref": None,
        "due_at": None,
        "csi4": None,
        "note": "loud",
        "private": False,
    }
    values = compose.form_values(row, NEW_YORK)
    assert values == {
        "when": datetime(2026, 11, 1, 1, 30, 15),
        "when_fold": 1,
        "when_exact": row["occurred_at"],
        "by": "ben",
        "topic": "money",
        "intensity": 4,
        "horseman_contempt": True,
        "note": "loud",
        "private": False,
    }
    assert compose.same_minute(datetime(2026, 11, 1, 1, 30), row["occurred_at"], NEW_YORK)
    assert not compose.same_minute(datetime(2026, 11, 1, 1, 31), row["occurred_at"], NEW_YORK)
