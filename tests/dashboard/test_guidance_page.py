"""The guidance page: the safety note first, what fits the numbers now (with the reason each piece was
chosen, the first few shown and the rest behind "show all"), and the whole library to search."""

from __future__ import annotations

from tests.dashboard.conftest import Store, open_page


def boxes(at: object) -> list[str]:
    """The titles of the guidance pieces shown in boxes, in order."""
    from streamlit.testing.v1 import AppTest

    assert isinstance(at, AppTest)
    titles = []
    for markdown in at.markdown:
        value = markdown.value
        if value.startswith("**") and value.endswith("**") and "·" not in value and value != "**Ana & Ben**":
            titles.append(value.strip("*"))
    return titles


def test_the_safety_note_comes_first_and_nothing_fits_an_empty_history(couple: Store) -> None:
    at = open_page("guidance")
    shown = boxes(at)
    assert shown[:2] == ["Safety comes before repair", "Safety comes before repair"]  # popover, then page
    assert any(m.value.startswith("Nothing in particular stands out") for m in at.markdown)


def test_fitting_pieces_come_with_the_reason_they_were_chosen(couple: Store) -> None:
    for index in range(4):
        attempt = couple.record("repair_offered", hours_ago=40 + index, by="ben", kind="apology")
        kind = "repair_accepted" if index == 0 else "repair_declined"
        couple.record(kind, hours_ago=39 + index, attempt=attempt)
    at = open_page("guidance")
    assert "Repair attempts and a signal of your own" in boxes(at)
    reasons = [c.value for c in at.caption if c.value.startswith("Why this now:")]
    assert (
        "Why this now: over the last 28 days, repair attempts offered 4, accepted 1 (25% of those answered), "
        "conflicts started 0"
    ) in reasons


def test_many_fitting_pieces_show_three_then_show_all(couple: Store) -> None:
    for index in range(6):
        attempt = couple.record("repair_offered", hours_ago=60 + index, by="ben", kind="apology")
        couple.record("repair_declined", hours_ago=59 + index, attempt=attempt)
    for index in range(12):
        couple.record("bid_made", hours_ago=30 + index, by="ana", response="against" if index % 2 else "away")
    for index in range(3):
        couple.record(
            "conflict_started",
            hours_ago=80 + index,
            by="ben",
            topic="money",
            horsemen=["contempt", "criticism", "defensiveness", "stonewalling"],
            intensity=5,
        )
    couple.record("check_in", hours_ago=5, by="ana", closeness=2, trust=2, csi4=[1, 1, 1, 1])
    at = open_page("guidance")
    [more] = [e for e in at.expander if e.label.startswith("Show all ")]
    count = int(more.label.split()[2])
    assert count > 3
    fits_first = [c for c in at.caption if c.value.startswith("Why this now:")]
    assert len(fits_first) >= 3


def test_the_library_can_be_searched(couple: Store) -> None:
    at = open_page("guidance")
    everything = [e.label for e in at.expander if not e.label.startswith(("Read more", "Show all"))]
    assert len(everything) == 21
    at.text_input(key="guidance:search").input("stonewalling").run()
    found = [e.label for e in at.expander if not e.label.startswith(("Read more", "Show all"))]
    assert found and len(found) < 21
    assert any("stonewall" in title.lower() or "engaged" in title.lower() for title in found)
    at.text_input(key="guidance:search").input("zzzz-nothing").run()
    assert any(m.value.startswith("Nothing matches those words.") for m in at.markdown)


def test_without_a_couple_the_library_is_still_there(store: Store) -> None:
    at = open_page("guidance", couple=None)
    assert at.info[0].value.startswith("Choose your couple on Who is here")
    assert "Safety comes before repair" in boxes(at)
