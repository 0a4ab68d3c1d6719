"""From metrics and timeline rows to what people read (pure functions, no Streamlit)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from projections import presenting as p
from tests.support.metrics import make_metrics

NAMES = {"ana": "Ana", "ben": "Ben"}


def metrics(**changes: Any) -> dict[str, Any]:
    return make_metrics(**changes)


def by_label(cards: list[p.Card]) -> dict[str, tuple[str, str | None]]:
    return {c.label: (c.value, c.delta) for c in cards}


def test_cards_over_nothing_read_as_a_dash_and_too_little_to_say() -> None:
    shown = by_label(p.overview_cards(metrics(), metrics()))
    assert shown == {
        "Repair acceptance": ("—", None),
        "Promise keeping": ("—", None),
        "Trust consistency": ("too little to say", None),
        "Turned toward bids": ("—", None),
        "Positive : negative": ("—", None),
    }


def test_cards_with_their_change_against_the_previous_window() -> None:
    figures = {  # name: (this window, the window before); 0 and None are what nothing logged gives
        "repair__acceptance_rate": (0.75, 0.5),
        "promises__keeping_rate": (0.5, 0.5),
        "trust_consistency__score": (71.6, 60.2),
        "trust_consistency__weight": (2.5, 1.0),
        "bids__turn_toward_rate": (0.861, None),
        "positive_negative__positive": (9, 0),
        "positive_negative__negative": (2, 0),
        "positive_negative__ratio": (4.5, 3.0),
    }
    now, before = (metrics(**{name: pair[window] for name, pair in figures.items()}) for window in (0, 1))
    shown = by_label(p.overview_cards(now, before))
    assert shown == {
        "Repair acceptance": ("75%", "+25 pts"),
        "Promise keeping": ("50%", "no change"),  # never "±0 pts" (Streamlit drew "↑ ±0 pts")
        "Trust consistency": ("72", "+11"),
        "Turned toward bids": ("86%", None),
        "Positive : negative": ("4.5 : 1", "+1.5"),
    }


def test_trust_below_weight_one_is_too_little_to_say_and_has_no_change() -> None:
    now = metrics(trust_consistency__score=80.0, trust_consistency__weight=0.99)
    before = metrics(trust_consistency__score=50.0, trust_consistency__weight=3.0)
    assert by_label(p.overview_cards(now, before))["Trust consistency"] == ("too little to say", None)


def test_positive_without_negative() -> None:
    assert p.ratio({"positive": 7, "negative": 0, "ratio": None}) == "7 : 0"


def test_partner_cards_side_by_side_in_registration_order() -> None:
    now = metrics()
    now["check_ins"]["by_partner"]["ben"].update(
        count=2, mean_closeness=7.5, mean_trust=6.0, csi4_count=2, mean_csi4=12.5, csi4_below_cutoff=1
    )
    now["repair"]["by_partner"]["ana"].update(offered=2, accepted=1, declined=1, acceptance_rate=0.5)
    cards = p.partner_cards(now, metrics(), NAMES)
    assert list(cards) == ["ana", "ben"]
    ana, ben = by_label(cards["ana"]), by_label(cards["ben"])
    assert ana["Repair attempts accepted"] == ("50%", None)
    assert ben["Closeness at check-ins"] == ("7.5", None)
    assert ben["Satisfaction (CSI-4)"] == ("12.5", None)
    assert ana["Satisfaction (CSI-4)"] == ("—", None)
    assert "Ben accepted 1 and declined 1" in cards["ana"][0].help
    assert p.csi4_note(now["check_ins"]["by_partner"]["ben"]) == "2 answered, 1 below 13.5."


def test_repaired_x_of_y_beside_the_median() -> None:
    conflicts = metrics()["conflicts"] | {"started": 5, "repaired": 2, "median_minutes_to_repair": 135.0}
    assert p.repair_summary(conflicts) == (
        "Repaired 2 of 5 conflicts started in the window; median time from the start of a conflict to an "
        "accepted repair: 2.2 h (over the 2 repaired)."
    )
    assert p.repair_summary(metrics()["conflicts"]) == "Repaired 0 of 0 conflicts started in the window."


def test_tables() -> None:
    weekly = [
        {
            "week_start": "2026-11-02",
            "repairs_offered": 3,
            "repairs_accepted": 2,
            "repairs_declined": 1,
            "acceptance_rate": 2 / 3,
            "promises_due": 0,
            "promises_kept": 0,
            "keeping_rate": None,
            "bids": 0,
            "bids_toward": 0,
            "trust_consistency": 64.4,
            "by_partner": {
                "ana": {"check_ins": 1, "mean_csi4": 14.0},
                "ben": {"check_ins": 0, "mean_csi4": None},
            },
        }
    ]
    assert p.rates_table(weekly) == [
        {
            "Week of": "2026-11-02",
            "Repair attempts": 3,
            "Accepted": 2,
            "Declined": 1,
            "Acceptance": "67%",
            "Promises due": 0,
            "Kept": 0,
            "Keeping": "—",
        }
    ]
    assert p.turn_toward_table(weekly)[0]["Share"] == "—"
    assert p.trust_table(weekly) == [{"Week of": "2026-11-02", "Trust consistency": "64"}]
    assert p.partner_table(weekly, NAMES, "mean_csi4") == [
        {"Week of": "2026-11-02", "Ana": "14.0", "Ana: check-ins": 1, "Ben": "—", "Ben: check-ins": 0}
    ]


def row(**values: Any) -> dict[str, Any]:
    base = {
        "entry_id": "e1",
        "type": "appreciation_expressed",
        "occurred_at": datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        "by": "ben",
        "logged_by": "ben",
        "ref": None,
        "note": None,
        "note_hidden": False,
        "retracted": False,
    }
    return base | values


def test_entry_lines_in_the_couples_zone() -> None:
    line = p.entry_line(row(note="thanks"), NAMES, "Europe/Berlin")
    assert (line.title, line.when, line.who, line.note, line.private) == (
        "Appreciation",
        "Sun 25 Oct 2026, 02:30",  # the second 02:30 that night (winter time)
        "Ben",
        "thanks",
        False,
    )
    assert line.retractable


def test_a_hidden_private_note_and_a_retracted_entry() -> None:
    line = p.entry_line(row(note=None, note_hidden=True, retracted=True), NAMES, "UTC")
    assert line.private and line.note is None
    assert line.retracted and not line.retractable
    assert not p.entry_line(row(type="couple_registered"), NAMES, "UTC").retractable


def test_entries_name_what_they_refer_to() -> None:
    conflict = row(entry_id="c1", type="conflict_started", topic="money", intensity=3, horsemen=["contempt"])
    index = {"c1": conflict}
    offer = p.entry_line(row(type="repair_offered", kind="humor", ref="c1"), NAMES, "UTC", index)
    assert offer.details == "humor; during the conflict about “money” of 25 Oct"  # its topic and day
    assert (
        p.entry_line(conflict, NAMES, "UTC").details == "about “money”, intensity 3 of 5; horsemen: contempt"
    )
    unknown = p.entry_line(row(type="promise_kept", ref="abcdefghijkl"), NAMES, "UTC", index)
    assert unknown.details == "a promise logged earlier"  # never an id on screen
    answer = p.entry_line(
        row(type="repair_accepted", by=None, logged_by="ana", ref="c1"), NAMES, "UTC", index
    )
    assert answer.who == "logged by Ana"


def test_promise_actions_hide_renegotiate_and_release_after_the_due_time() -> None:
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    assert p.promise_actions(now + timedelta(minutes=1), now) == (
        "promise_kept",
        "promise_broken",
        "promise_renegotiated",
        "promise_released",
    )
    assert p.promise_actions(now, now)[2:] == ("promise_renegotiated", "promise_released")
    assert p.promise_actions(now - timedelta(seconds=1), now) == ("promise_kept", "promise_broken")


def test_periods_and_days_in_the_couples_zone() -> None:
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    assert p.period_bounds("all", [], "UTC", now) == (None, None)
    assert p.period_bounds("7", [], "UTC", now) == (now - timedelta(days=7), None)
    since, until = p.period_bounds("dates", [date(2026, 10, 25), date(2026, 10, 26)], "Europe/Berlin", now)
    assert since == datetime(2026, 10, 24, 22, tzinfo=UTC)  # midnight, summer time
    assert until == datetime(2026, 10, 26, 23, tzinfo=UTC) - timedelta(microseconds=1)  # winter time
    assert p.end_of_day(date(2026, 3, 28), "Europe/Berlin") == datetime(
        2026, 3, 28, 23, tzinfo=UTC
    ) - timedelta(microseconds=1)


def test_markdown_in_user_text_is_escaped() -> None:
    assert p.escape_markdown("**bold** :red[x] $5") == "\\*\\*bold\\*\\* \\:red\\[x\\] \\$5"


def test_no_id_and_no_offered_other_on_screen() -> None:
    offer = row(entry_id="a1", type="repair_offered", kind="other", ref="d00063xyz")
    line = p.entry_line(offer, NAMES, "UTC")
    assert line.details == "another kind; during a conflict logged earlier"
    assert "d00063" not in line.details
    assert p.attempt_markdown(offer, NAMES, "UTC").startswith(
        "**Ben** made a repair attempt during a conflict logged earlier · "
    )
    conflict = row(entry_id="c1", type="conflict_started", topic="**money**", intensity=3)
    apology = row(entry_id="a2", type="repair_offered", kind="apology", ref="c1")
    assert p.attempt_markdown(apology, NAMES, "Europe/Berlin", {"c1": conflict}) == (
        "**Ben** offered **apology** during the conflict about “\\*\\*money\\*\\*” of 25 Oct · "
        "Sun 25 Oct 2026, 02:30"
    )
    assert p.choice_label(offer, NAMES, "UTC") == "Ben's repair attempt, Sun 25 Oct 2026, 01:30"


def test_counts_take_the_right_number() -> None:
    assert p.repair_summary({"repaired": 1, "started": 1, "median_minutes_to_repair": None}) == (
        "Repaired 1 of 1 conflict started in the window."
    )


def test_a_change_that_rounds_to_nothing_reads_no_change() -> None:
    from projections import formatting as f

    assert f.signed(0.0, 0) == f.signed(-0.4, 0) == f.signed(0.04, 1, " pts") == f.NO_CHANGE == "no change"
    assert f.rate_change(0.5, 0.504) == "no change" and f.rate_change(0.5, 0.4) == "+10 pts"
    assert f.mean_change(6.0, 6.04) == "no change" and f.mean_change(6.0, 6.5) == "-0.5"
    assert f.points_since(0.48, 0.482) == "no change from 48%"
    assert f.change_since(3.0, 3.01, 1) == "no change from 3.0"
    assert f.change_since(2.0, 2.4, 0) == "no change from 2"
    assert f.points_since(0.6, 0.48) == "+12 points (was 48%)"
    for text in (f.signed(-0.0, 0), f.points_since(0.5, 0.5), f.change_since(-0.01, 0.0, 1)):
        assert "±" not in text and "+0" not in text and "-0" not in text


def test_an_unchanged_card_has_no_arrow() -> None:
    now = metrics(promises__keeping_rate=0.5, repair__acceptance_rate=0.75)
    before = metrics(promises__keeping_rate=0.5, repair__acceptance_rate=0.5)
    cards = {c.label: c for c in p.overview_cards(now, before)}
    assert cards["Promise keeping"].unchanged and not cards["Repair acceptance"].unchanged


def test_a_card_whose_value_is_words_says_so_to_get_room() -> None:
    shown = {c.label: c for c in p.overview_cards(metrics(), metrics())}
    assert shown["Trust consistency"].long_value  # "too little to say": never cut to "too littl…"
    assert not any(c.long_value for label, c in shown.items() if label != "Trust consistency")
    assert not p.Card("Positive : negative", "12.5 : 1"[1:], None, "").long_value
