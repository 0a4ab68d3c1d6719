"""One entry of the timeline, run alone over a real store: what, when, who and the note (typed text as
written), a hidden private note, struck through when retracted; Retract (with its reason) writes through
the service layer, Correct opens the entry's form filled in (retracting nothing until it is saved); two
rows keep their buttons and reasons apart."""

from __future__ import annotations

from datetime import datetime

from streamlit.testing.v1 import AppTest

from dashboard.components.entry_form import prefix
from projections.presenting import escape_markdown
from tests.dashboard.components.rendering import shown_as_written
from tests.dashboard.conftest import COUPLE, Store, run_alone

# entry_id, type, title, when, who, details, note, private, retracted, retractable
Line = tuple[str, str, str, str, str, str, str | None, bool, bool, bool]


def row_app(
    lines: list[tuple[str, str, str, str, str, str, str | None, bool, bool, bool]],  # Line, spelled out
    rows: list[dict[str, object]],
    keys: list[str],
) -> None:
    from dashboard.components import entry_row
    from projections.presenting import EntryLine

    for line, row, key in zip(lines, rows, keys, strict=True):
        entry_row.show(EntryLine(*line), row, couple="ana-ben", partner="ana", zone="Europe/Berlin", key=key)


def line(entry_id: str = "e1", note: str | None = "thank you", **flags: bool) -> Line:
    return (
        entry_id,
        "appreciation_expressed",
        "Appreciation",
        "Tue 1 Dec, 07:52",
        "Ben",
        "",
        note,
        flags.get("private", False),
        flags.get("retracted", False),
        flags.get("retractable", True),
    )


def run(
    lines: list[Line], rows: list[dict[str, object]] | None = None, keys: tuple[str, ...] = ("k",)
) -> AppTest:
    rows = rows or [{"entry_id": entry[0]} for entry in lines]
    return run_alone(row_app, lines, rows, list(keys))


def appreciation(couple: Store, note: str = "thank you") -> dict[str, object]:
    """A stored entry by Ben, as the timeline's row of it (its time an aware datetime, as the read model
    gives it)."""
    entry_id = couple.record("appreciation_expressed", hours_ago=3, by="ben", note=note)
    stored = couple.last()
    return {
        "entry_id": entry_id,
        "type": stored["type"],
        "occurred_at": datetime.fromisoformat(stored["occurred_at"]),
        "by": "ben",
        "note": note,
    }


def test_an_entry_shows_what_when_who_and_its_note(couple: Store) -> None:
    at = run([line()])
    assert [m.value for m in at.markdown][:2] == ["**Appreciation** · Ben", "> thank you"]
    assert at.caption[0].value == "Tue 1 Dec, 07:52"
    assert [b.label for b in at.button] == ["Retract this entry", "Correct"]


def test_a_hidden_private_note_says_private_and_only_its_author_may_correct(couple: Store) -> None:
    at = run([line(note=None, private=True)])
    assert [c.value for c in at.caption] == ["Tue 1 Dec, 07:52", ":material/lock: private"]
    assert at.button(key="k:correct").disabled


def test_a_retracted_entry_is_struck_through_without_buttons(couple: Store) -> None:
    at = run([line(retracted=True, retractable=False)])
    assert [m.value for m in at.markdown] == [
        "~~**Appreciation** · Ben~~ :gray-badge[retracted]",
        "~~thank you~~",
    ]
    assert list(at.button) == []


def test_typed_text_is_shown_as_written(couple: Store) -> None:
    typed = "![x](http://e/x.png) <img src=x> **b**"
    at = run([line(note=typed)])
    quoted = at.markdown[1].value
    assert quoted == f"> {escape_markdown(typed)}"
    assert shown_as_written(quoted, typed)


def test_retract_with_a_reason_is_stored_and_said(couple: Store) -> None:
    row = appreciation(couple)
    entry_id = str(row["entry_id"])
    at = run([line(entry_id)], [row])
    at.text_input(key=f"timeline:reason:{entry_id}").input("logged twice")
    at.button(key="k:retract:confirm").click().run()
    assert not at.exception, at.exception
    stored = couple.last()
    assert (stored["type"], stored["entry"], stored["reason"], stored["logged_by"]) == (
        "entry_retracted",
        entry_id,
        "logged twice",
        "ana",
    )
    assert at.session_state["waiting:done"] == "Retracted. It stays in the timeline, struck through."
    assert (
        f"timeline:reason:{entry_id}" not in at.session_state
        or not at.session_state[f"timeline:reason:{entry_id}"]
    )


def test_a_refused_retraction_shows_its_problem_under_the_row(couple: Store) -> None:
    at = run([line("no-such-entry")])
    at.button(key="k:retract:confirm").click().run()
    assert not at.exception, at.exception
    assert len(at.error) == 1
    assert at.session_state["waiting:problems:no-such-entry"]


def test_correct_opens_the_form_filled_in_and_retracts_nothing_yet(couple: Store) -> None:
    row = appreciation(couple, "thank yuo")
    at = run([line(str(row["entry_id"]))], [row])
    at.button(key="k:correct").click().run()
    assert not at.exception, at.exception
    assert [e["type"] for e in couple.entries()] == ["couple_registered", "appreciation_expressed"]
    assert at.session_state[prefix(COUPLE, "appreciation_expressed") + "note"] == "thank yuo"
    assert at.session_state["log:kind"] == "appreciation_expressed"
    assert at.session_state["goto:page"] == "pages/log.py"


def test_two_rows_keep_their_buttons_and_reasons_apart(couple: Store) -> None:
    first, second = appreciation(couple, "one"), appreciation(couple, "two")
    ids = [str(first["entry_id"]), str(second["entry_id"])]
    at = run([line(ids[0], "one"), line(ids[1], "two")], [first, second], keys=("k1", "k2"))
    at.text_input(key=f"timeline:reason:{ids[1]}").input("the second")
    at.button(key="k2:retract:confirm").click().run()
    assert not at.exception, at.exception
    stored = couple.last()
    assert (stored["entry"], stored["reason"]) == (ids[1], "the second")
    assert [e["type"] for e in couple.entries()].count("entry_retracted") == 1
    assert at.button(key="k1:retract:confirm").label == "Retract this entry"
