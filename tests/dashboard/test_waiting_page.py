"""Waiting on you: answer the other's repair attempts, settle your own promises, resolve conflicts, each
in one click, with the figures on the overview moving accordingly."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.dashboard.conftest import Store, card, click, open_page


def test_answering_a_repair_attempt_accepts_it_and_moves_the_acceptance_card(couple: Store) -> None:
    attempt = couple.record("repair_offered", hours_ago=2, by="ben", kind="apology", note="I was unfair")
    assert card(open_page("overview"), "Repair acceptance") == ("—", None)

    at = open_page("waiting")
    assert [m.value for m in at.markdown if "offered" in m.value] == [
        "**Ben** offered **apology** · " + _when(at)
    ]
    assert any(m.value == "> I was unfair" for m in at.markdown)
    click(at, f"accept:{attempt}")

    assert [s.value for s in at.success] == ["Answer saved."]
    assert not [m for m in at.markdown if "offered" in m.value]
    assert any(m.value.startswith("Nothing to answer.") for m in at.markdown)
    stored = couple.last()
    assert (stored["type"], stored["attempt"], stored["logged_by"]) == ("repair_accepted", attempt, "ana")
    overview = open_page("overview")
    assert card(overview, "Repair acceptance") == ("100%", None)
    assert card(overview, "Repair attempts accepted", index=1)[0] == "100%"  # Ben's attempts, Ana accepted


def test_declining_counts_against_acceptance(couple: Store) -> None:
    attempt = couple.record("repair_offered", hours_ago=2, by="ben", kind="humor")
    click(open_page("waiting"), f"decline:{attempt}")
    assert couple.last()["type"] == "repair_declined"
    assert card(open_page("overview"), "Repair acceptance") == ("0%", None)


def test_only_the_other_partners_attempts_wait_on_you(couple: Store) -> None:
    couple.record("repair_offered", hours_ago=2, by="ana", kind="pause")
    at = open_page("waiting")
    assert any(m.value.startswith("Nothing to answer.") for m in at.markdown)
    assert any("offered" in m.value for m in open_page("waiting", partner="ben").markdown)


def test_settling_an_open_promise(couple: Store) -> None:
    due = (couple.now + timedelta(days=2)).isoformat()
    promise = couple.record("promise_made", hours_ago=3, by="ana", description="fix the bike", due_at=due)
    at = open_page("waiting")
    assert any(m.value == "**“fix the bike”**" for m in at.markdown)
    keys = {b.key for b in at.button}
    assert {f"kept:{promise}", f"broken:{promise}", f"renegotiate:{promise}", f"release:{promise}"} <= keys

    click(at, f"kept:{promise}")
    assert [s.value for s in at.success] == ["Marked as kept."]
    assert not any(m.value == "**“fix the bike”**" for m in at.markdown)
    assert couple.last()["type"] == "promise_kept"


def test_a_promise_past_its_due_time_can_only_be_kept_or_broken(couple: Store) -> None:
    due = couple.ago(hours=24)
    promise = couple.record("promise_made", hours_ago=72, by="ana", description="call mum", due_at=due)
    assert card(open_page("overview"), "Promise keeping") == ("0%", None)  # lapsed

    at = open_page("waiting")
    keys = {b.key for b in at.button}
    assert {f"kept:{promise}", f"broken:{promise}"} <= keys
    assert f"renegotiate:{promise}" not in keys and f"release:{promise}" not in keys
    assert any("the due time has passed" in c.value for c in at.caption)

    click(at, f"kept:{promise}")
    assert card(open_page("overview"), "Promise keeping") == ("100%", None)


def test_renegotiate_opens_the_form_for_the_new_due_time(couple: Store) -> None:
    due = (couple.now + timedelta(days=2)).isoformat()
    promise = couple.record("promise_made", hours_ago=3, by="ana", description="tidy up", due_at=due)
    at = click(open_page("waiting"), f"renegotiate:{promise}")
    assert [t.value for t in at.title] == ["Log"]
    assert at.selectbox(key="form:ana-ben:promise_renegotiated:promise").value == promise


def test_resolving_a_conflict(couple: Store) -> None:
    conflict = couple.record(
        "conflict_started", hours_ago=3, by="ben", topic="chores", horsemen=[], intensity=2
    )
    at = open_page("waiting")
    assert any("“chores”" in m.value for m in at.markdown)
    click(at, f"resolve:{conflict}")
    assert couple.last()["type"] == "conflict_resolved"
    assert any(m.value == "No open conflicts." for m in at.markdown)


def test_a_refused_answer_is_shown_under_its_item(couple: Store) -> None:
    attempt = couple.record("repair_offered", hours_ago=2, by="ben", kind="apology")
    at = open_page("waiting")
    couple.record("repair_accepted", hours_ago=1, attempt=attempt)  # answered meanwhile, elsewhere
    click(at, f"decline:{attempt}")
    assert [e.value for e in at.error] == ["This repair attempt has already been answered."]
    assert not [m for m in at.markdown if "offered" in m.value]  # the list is fresh again
    assert couple.last()["type"] == "repair_accepted"


def _when(at: object) -> str:
    """The time shown for the single attempt (whatever the clock says), taken from the page itself."""
    from streamlit.testing.v1 import AppTest

    assert isinstance(at, AppTest)
    [line] = [m.value for m in at.markdown if "offered" in m.value]
    return line.rsplit(" · ", 1)[1]


def test_a_promise_kept_early_is_listed_with_the_day_it_counts(couple: Store) -> None:
    due = couple.now + timedelta(days=2)
    promise = couple.record(
        "promise_made", hours_ago=3, by="ana", description="fix the bike", due_at=due.isoformat()
    )
    other = couple.record(
        "promise_made", hours_ago=3, by="ben", description="call mum", due_at=due.isoformat()
    )
    couple.record("promise_kept", hours_ago=1, promise=other, logged_by="ben")
    assert not [h for h in open_page("waiting").subheader if h.value == "Kept early"]  # Ben's, not Ana's
    click(open_page("waiting"), f"kept:{promise}")

    at = open_page("waiting")
    assert [h.value for h in at.subheader if h.value == "Kept early"] == ["Kept early"]
    day = due.astimezone(ZoneInfo("Europe/Berlin")).strftime("%d %b").lstrip("0")
    assert f"“fix the bike” · kept early, counts on {day}" in [m.value for m in at.markdown]
    assert not any("call mum" in m.value for m in at.markdown)
