"""The "This week" box on the partner's first page (SPEC section 11): what is due in the next 7 days
(promises by and to them, answers waiting on them) and whether this week's check-in is still open; a clear
empty state. In accounts mode on the signed-in partner's Home, in open mode on "Who is here" once a
partner is chosen."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from dashboard.components import this_week
from projections.presenting import escape_markdown
from tests.dashboard.accounts import join, open_as
from tests.dashboard.conftest import Store, open_page

HOSTILE = "<b>call</b> **mum** [x](http://evil.example) :red[now]"


def box(at: AppTest) -> list[str]:
    """The Markdown texts inside the box."""
    found: list[str] = []

    def walk(node: Any, inside: bool) -> None:
        for child in getattr(node, "children", {}).values():
            here = inside or getattr(child, "key", None) == "who:this-week"
            if here and getattr(child, "type", None) == "markdown":
                found.append(str(child.value))
            walk(child, here)

    walk(at.main, False)
    return found


def promise(store: Store, by: str, description: str, days: float, hours_ago: float = 1.0) -> str:
    """A promise due in `days` days (negative: overdue), made `hours_ago` hours ago."""
    return store.record(
        "promise_made",
        hours_ago=hours_ago,
        by=by,
        logged_by=by,
        description=description,
        due_at=store.ago(-24 * days),
    )


def test_a_promise_due_in_3_days_is_listed_and_one_due_in_9_days_is_not(
    couple: Store, cookie: dict[str, str]
) -> None:
    promise(couple, "ana", "fix the bike", 3)
    promise(couple, "ana", "plan the trip", 9)
    promise(couple, "ben", "cook on Friday", 2)
    at = open_as("who", cookie, join(couple, "ana"))
    shown = box(at)
    assert shown, "no This week box"
    [listed] = [text for text in shown if text.startswith("- ")]
    assert "Your promise to Ben: “fix the bike”, due " in listed
    assert "Ben's promise to you: “cook on Friday”, due " in listed
    assert listed.index("cook on Friday") < listed.index("fix the bike")  # soonest first
    assert "plan the trip" not in " ".join(shown)
    assert "This week's check-in is still open. You have no check-in day yet." in shown
    assert this_week.EMPTY not in shown


def test_the_box_says_when_the_check_in_is_done_and_what_waits_for_an_answer(
    couple: Store, cookie: dict[str, str]
) -> None:
    couple.services.access.choose_rhythm("ana-ben", 4, "19:00", by="ben")
    at = open_as("who", cookie, join(couple, "ana"))
    assert this_week.EMPTY in box(at)
    assert any(t.startswith("This week's check-in is still open. Your next check-in: Fri ") for t in box(at))
    couple.record("check_in", hours_ago=0.001, by="ana", logged_by="ana", closeness=4, trust=4)
    topic = couple.record(
        "conflict_started", hours_ago=3, by="ben", logged_by="ben", topic="chores", horsemen=[], intensity=2
    )
    couple.record("repair_offered", hours_ago=2, by="ben", logged_by="ben", conflict=topic, kind="apology")
    promise(
        couple, "ben", "take out the bins", -0.5, hours_ago=24
    )  # Ben's, due 12 hours ago: Ana says kept or broken
    at.run()
    shown = box(at)
    assert any(t.startswith("You checked in this week (") for t in shown)
    [listed] = [text for text in shown if text.startswith("- ")]
    assert "A repair attempt from Ben (" in listed and ") waits for your answer" in listed
    assert "Ben's promise “take out the bins” was due " in listed and ": was it kept?" in listed
    assert "Answer now" in [getattr(link, "label", None) for link in at.get("page_link")]


def test_open_mode_shows_the_box_once_a_partner_is_chosen(couple: Store) -> None:
    promise(couple, "ben", HOSTILE, 1)
    at = open_page("who", partner=None)
    assert box(at) == []
    at = open_page("who", partner="ana")
    [listed] = [text for text in box(at) if text.startswith("- ")]
    assert f"Ben's promise to you: “{escape_markdown(HOSTILE)}”, due " in listed
    assert HOSTILE not in listed


def test_the_empty_state_and_checking_in_from_the_box(couple: Store) -> None:
    at = open_page("who", partner="ben")
    assert box(at)[0] == "Nothing due in the next 7 days."
    at.button(key="who:this-week:check-in").click().run()
    assert not at.exception
    assert at.session_state["log:kind"] == "check_in"
    assert "Log" in [t.value for t in at.title]
