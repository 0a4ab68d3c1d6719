"""Promises kept before their (current) due time: SPEC section 4 counts them only once the due time has
passed, so until then they are neither open nor in any figure. `View.kept_early` lists them so the pages
can say "kept early, counts on <due date>"; the metrics stay exactly as they were."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from projections.promise_words import counts_on, kept_early_line, kept_early_note
from tests.support.entries import COUPLE, T0, kept, promise, registered, released, renegotiated, retracted
from tests.support.stores import temporary_store


def moment(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_a_promise_kept_before_its_due_time_is_listed_with_its_due_time_until_then() -> None:
    entries = [registered(), promise("p1", hours=0, due=48, by="ben"), kept("k1", "p1", hours=10)]
    with temporary_store(entries) as store, store.read_model.open() as view:
        before = view.kept_early(COUPLE, as_of=moment(5))
        during = view.kept_early(COUPLE, as_of=moment(20))
        after = view.kept_early(COUPLE, as_of=moment(49))
    assert before == []  # not kept yet (it is open then)
    assert [(row["entry_id"], row["by"], row["due_at"], row["kept_at"]) for row in during] == [
        ("p1", "ben", moment(48), moment(10))
    ]
    assert during[0]["description"] == "do the dishes"
    assert after == []  # due now: the figures count it


def test_the_current_due_time_counts_and_retracted_or_released_ones_are_not_listed() -> None:
    entries = [
        registered(),
        promise("p1", hours=0, due=24, by="ana"),
        renegotiated("r1", "p1", hours=1, due=72),
        kept("k1", "p1", hours=30),
        promise("p2", hours=0, due=96, by="ben"),
        kept("k2", "p2", hours=31),
        retracted("x2", "k2", hours=32),
        promise("p3", hours=0, due=96, by="ben"),
        released("l3", "p3", hours=2),
    ]
    with temporary_store(entries) as store, store.read_model.open() as view:
        found = view.kept_early(COUPLE, as_of=moment(40))
    assert [(row["entry_id"], row["due_at"]) for row in found] == [("p1", moment(72))]


def test_listing_them_leaves_every_metric_as_it_was() -> None:
    entries = [registered(), promise("p1", hours=0, due=48, by="ben"), kept("k1", "p1", hours=10)]
    with temporary_store(entries) as store, store.read_model.open() as view:
        before = view.metrics(COUPLE, as_of=moment(20))
        assert view.kept_early(COUPLE, as_of=moment(20))
        after = view.metrics(COUPLE, as_of=moment(20))
    assert before == after
    assert before["promises"]["kept"] == 0 and before["promises"]["open"] == 0


def test_the_words_say_when_it_counts_in_the_couples_zone() -> None:
    row: dict[str, Any] = {
        "by": "ben",
        "description": "do the dishes",
        "due_at": datetime(2026, 12, 2, 23, 30, tzinfo=UTC),
    }
    names = {"ana": "Ana", "ben": "Ben"}
    assert counts_on(row["due_at"], "Europe/Berlin") == "kept early, counts on 3 Dec"  # 00:30 in Berlin
    assert kept_early_line(row, names, "UTC") == "Ben: “do the dishes”, kept early, counts on 2 Dec"
    assert kept_early_note([], names, "UTC") is None
    note = kept_early_note([row, row | {"by": "ana"}], names, "UTC")
    assert note is not None
    assert note.startswith(
        "Ben: “do the dishes”, kept early, counts on 2 Dec; Ana: “do the dishes”, kept early, counts on 2 Dec."
    )
