"""The check-in rhythm (an event of the couple's access record, not an entry) and what is due this week
for one partner, on the service layer over a real store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import Refusal
from repairtrack.bootstrap import Services
from repairtrack.services.actors import Actor
from repairtrack.services.couples import Couples
from repairtrack.services.permissions import NotAllowed, NotVisible
from tests.calendar.conftest import COUPLE, FIRST, NOW, SECOND, actor, at, entry

COUNSELOR = Actor("counselor", account="dr-lee", name="Dr. Lee")
STRANGER = Actor("partner", account="x", name="X", couple="other", partner="x")


def test_no_rhythm_until_they_choose_one(couples: Couples) -> None:
    assert couples.rhythm(actor(FIRST), COUPLE) is None


def test_either_partner_chooses_and_changes_the_rhythm(couples: Couples) -> None:
    chosen = couples.set_rhythm(actor(FIRST), COUPLE, 2, "19:30")
    assert chosen["day"] == "Wednesday" and chosen["time"] == "19:30" and chosen["by"] == FIRST
    assert chosen["next_at"] == "2026-06-03T17:30:00Z"  # 19:30 in Berlin, summer time
    couples.set_rhythm(actor(SECOND), COUPLE, 5, "10:00")
    seen = couples.rhythm(actor(FIRST), COUPLE)
    assert seen is not None and (seen["weekday"], seen["time"], seen["by"]) == (5, "10:00", SECOND)
    history = couples.rhythm_history(actor(SECOND), COUPLE)
    assert [(h["what"], h["day"]) for h in history] == [("chosen", "Saturday"), ("chosen", "Wednesday")]
    assert couples.clear_rhythm(actor(SECOND), COUPLE)
    assert not couples.clear_rhythm(actor(SECOND), COUPLE)
    assert couples.rhythm(actor(FIRST), COUPLE) is None
    assert couples.rhythm_history(actor(FIRST), COUPLE)[0]["what"] == "cleared"


@pytest.mark.parametrize(
    ("weekday", "time", "code"),
    [(7, "19:30", "rhythm.weekday"), (-1, "19:30", "rhythm.weekday"), (True, "19:30", "rhythm.weekday"),
     (1, "24:00", "rhythm.time"), (1, "7:30", "rhythm.time"), (1, "19:60", "rhythm.time"),
     (1, "19:30:00", "rhythm.time")],
)  # fmt: skip
def test_a_rhythm_needs_a_weekday_and_a_local_time(
    couples: Couples, weekday: int, time: str, code: str
) -> None:
    with pytest.raises(Refusal) as refused:
        couples.set_rhythm(actor(FIRST), COUPLE, weekday, time)
    assert refused.value.problems[0].code == code
    assert couples.rhythm(actor(FIRST), COUPLE) is None


def test_only_the_couples_partners_see_or_set_the_rhythm(couples: Couples) -> None:
    with pytest.raises(NotVisible):
        couples.set_rhythm(STRANGER, COUPLE, 1, "19:00")
    with pytest.raises(NotVisible):  # a counselor without a grant sees nothing of the couple
        couples.rhythm(COUNSELOR, COUPLE)


def test_a_granted_counselor_may_not_set_the_rhythm(store: Services, couples: Couples) -> None:
    code = store.accounts.invite_counselor("Dr. Lee").code
    store.accounts.join(code, "dr-lee", "a quiet walk by the river")
    couples.grant(actor(FIRST), COUPLE, "dr-lee", False)
    with pytest.raises(NotAllowed):
        couples.set_rhythm(COUNSELOR, COUPLE, 1, "19:00")
    with pytest.raises(NotAllowed):
        couples.due_soon(COUNSELOR, COUPLE, NOW)


def test_the_rhythm_is_no_entry_and_changes_no_metric(store: Services, couples: Couples) -> None:
    before = (store.app.entries(COUPLE), couples.metrics(actor(FIRST), COUPLE, as_of=NOW))
    couples.set_rhythm(actor(FIRST), COUPLE, 2, "19:30")
    assert (store.app.entries(COUPLE), couples.metrics(actor(FIRST), COUPLE, as_of=NOW)) == before


def test_due_soon_lists_promises_by_and_to_the_partner_in_the_next_seven_days(couples: Couples) -> None:
    due = couples.due_soon(actor(FIRST), COUPLE, NOW)
    assert [(p["id"], p["mine"]) for p in due["promises"]] == [
        ("p-greenhouse", True),
        ("p-harpsichord", False),
    ]
    assert [a["id"] for a in due["answers"]["attempts"]] == ["o1"]  # the other's attempt waits on them
    assert due["check_in"] == {"week_start": "2026-06-01", "open": True, "done_at": None, "next_at": None}
    other = couples.due_soon(actor(SECOND), COUPLE, NOW)
    assert [p["id"] for p in other["promises"]] == ["p-greenhouse", "p-harpsichord"]
    assert other["answers"]["attempts"] == []


def test_a_promise_past_due_waits_for_the_answer_of_the_partner_it_was_made_to(
    store: Services, couples: Couples
) -> None:
    later = NOW + timedelta(days=3)  # the greenhouse was due yesterday, by the first partner
    assert [p["id"] for p in couples.due_soon(actor(SECOND), COUPLE, later)["answers"]["promises"]] == [
        "p-greenhouse"
    ]
    assert couples.due_soon(actor(FIRST), COUPLE, later)["answers"]["promises"] == []


def test_this_weeks_check_in_is_open_until_the_partner_checks_in(store: Services, couples: Couples) -> None:
    couples.set_rhythm(actor(FIRST), COUPLE, 2, "19:30")
    check = {"by": SECOND, "closeness": 6, "trust": 6}
    store.app.record(entry("check_in", "ci-other", timedelta(hours=-1), **check))  # the other partner's
    assert couples.due_soon(actor(FIRST), COUPLE, NOW)["check_in"]["open"]
    store.app.record(entry("check_in", "ci-mine", timedelta(hours=-2), **{**check, "by": FIRST}))
    found = couples.due_soon(actor(FIRST), COUPLE, NOW)["check_in"]
    assert not found["open"] and found["done_at"] == at(timedelta(hours=-2)).replace("+00:00", "Z")
    assert found["next_at"] == "2026-06-03T17:30:00Z"
    next_week = couples.due_soon(actor(FIRST), COUPLE, NOW + timedelta(days=7))["check_in"]
    assert next_week["open"] and next_week["week_start"] == "2026-06-08"
    store.app.record(entry("entry_retracted", "x-ci", timedelta(0), entry="ci-mine"))
    assert couples.due_soon(actor(FIRST), COUPLE, NOW)["check_in"]["open"]


def test_the_week_is_the_couples_iso_week_in_its_zone(couples: Couples) -> None:
    sunday_night = NOW - timedelta(hours=12, minutes=30)  # Sunday 23:30 UTC is Monday 01:30 in Berlin
    assert couples.due_soon(actor(FIRST), COUPLE, sunday_night)["check_in"]["week_start"] == "2026-06-01"
