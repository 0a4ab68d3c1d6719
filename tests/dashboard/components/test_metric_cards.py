"""The row of metric cards, run alone: each card's label, value, change and help; the help (which may
hold a partner's name) shown as written; two rows side by side."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from projections.presenting import escape_markdown
from tests.dashboard.components.rendering import HOSTILE, shown_as_written

TIMEOUT = 30


def cards_app(cards: list[tuple[str, str, str | None, str]], keys: list[str]) -> None:
    from dashboard.components import metric_cards
    from projections.presenting import Card

    for key in keys:
        metric_cards.show([Card(*card) for card in cards], key=key)


def run(cards: list[tuple[str, str, str | None, str]], keys: tuple[str, ...] = ("k",)) -> AppTest:
    at = AppTest.from_function(cards_app, args=(cards, list(keys)), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def test_no_cards_show_nothing() -> None:
    at = run([])
    assert list(at.metric) == []


def test_each_card_shows_its_label_value_change_and_help() -> None:
    at = run(
        [
            ("Repair acceptance", "75%", "+10 pts", "Accepted repair attempts."),
            ("Promises kept", "too little to say", None, "Kept promises."),
        ]
    )
    assert [(m.label, m.value, m.delta or None, m.help) for m in at.metric] == [
        ("Repair acceptance", "75%", "+10 pts", "Accepted repair attempts\\."),
        ("Promises kept", "too little to say", None, "Kept promises\\."),
    ]


def test_a_name_in_the_help_is_shown_as_written() -> None:
    at = run([("Bids", "4", None, f"Bids turned toward by {typed}.") for typed in HOSTILE])
    for metric, typed in zip(at.metric, HOSTILE, strict=True):
        assert metric.help == escape_markdown(f"Bids turned toward by {typed}.")
        assert shown_as_written(metric.help, typed)


def test_two_rows_with_their_own_keys_show_side_by_side() -> None:
    at = run([("Bids", "4", None, "Bids.")], keys=("k1", "k2"))
    assert [m.label for m in at.metric] == ["Bids", "Bids"]
