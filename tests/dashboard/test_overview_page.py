"""The overview: metric cards for the window with the change against the window before, both partners
side by side, weekly charts with their reference lines only where the research allows, table views,
conflicts."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import Store, card, open_page


def charts(at: AppTest) -> dict[str, dict[str, Any]]:
    """The Vega-Lite specs on the page, by chart title (shown above the chart, kept in the spec as its
    description), with the data sets Streamlit sends apart (as Arrow) put back under "datasets"."""
    found = {}
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        spec["datasets"] = {
            dataset.name: pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
            for dataset in element.proto.datasets
        }
        found[spec["description"]] = spec
    return found


def test_an_empty_overview_says_what_to_do_first(couple: Store) -> None:
    at = open_page("overview")
    assert at.info[0].value.startswith("Nothing logged yet. A good first step: each of you logs a check-in")
    assert not at.metric


def arrange(store: Store) -> None:
    a1 = store.record("repair_offered", hours_ago=50, by="ben", kind="apology")
    store.record("repair_accepted", hours_ago=49, attempt=a1)
    a2 = store.record("repair_offered", hours_ago=40, by="ana", kind="humor")
    store.record("repair_declined", hours_ago=39, attempt=a2)
    for index in range(9):
        store.record(
            "bid_made", hours_ago=30 + index, by="ana", response="toward" if index < 8 else "against"
        )
    store.record("appreciation_expressed", hours_ago=20, by="ben")
    store.record("appreciation_expressed", hours_ago=21, by="ana")
    store.record("check_in", hours_ago=10, by="ana", closeness=4, trust=5, csi4=[2, 2, 3, 3])
    store.record("check_in", hours_ago=9, by="ben", closeness=8, trust=9, csi4=[5, 4, 4, 5])
    for index in range(3):
        store.record(
            "conflict_started",
            hours_ago=100 + index,
            by="ana",
            topic="money",
            horsemen=["criticism"],
            intensity=2,
        )


def test_the_cards_show_the_window_and_both_partners_side_by_side(couple: Store) -> None:
    arrange(couple)
    at = open_page("overview")
    assert card(at, "Repair acceptance") == ("50%", None)
    assert card(at, "Promise keeping") == ("—", None)
    assert card(at, "Trust consistency") == ("too little to say", None)
    assert card(at, "Turned toward bids") == ("89%", None)
    assert card(at, "Positive : negative") == (
        "2.5 : 1",
        None,
    )  # 8 toward + 2 thanks : 1 against + 3 horsemen
    # per partner, in registration order (Ana, then Ben)
    assert card(at, "Repair attempts accepted", 0) == ("0%", None)  # Ana's attempt was declined
    assert card(at, "Repair attempts accepted", 1) == ("100%", None)  # Ben's was accepted
    assert card(at, "Closeness at check-ins", 0) == ("4.0", None)
    assert card(at, "Closeness at check-ins", 1) == ("8.0", None)
    assert card(at, "Satisfaction (CSI-4)", 0) == ("10.0", None)
    assert card(at, "Satisfaction (CSI-4)", 1) == ("18.0", None)
    captions = [c.value for c in at.caption]
    assert "1 answered, 1 below 13.5." in captions and "1 answered, 0 below 13.5." in captions
    markdown = [m.value for m in at.markdown]
    assert "**Ana**" in markdown and "**Ben**" in markdown
    assert markdown.index("**Ana**") < markdown.index("**Ben**")


def test_the_change_against_the_previous_window(couple: Store) -> None:
    old = couple.record("repair_offered", hours_ago=24 * 40, by="ben", kind="apology")
    couple.record("repair_declined", hours_ago=24 * 40 - 1, attempt=old)
    new = couple.record("repair_offered", hours_ago=24 * 2, by="ben", kind="apology")
    couple.record("repair_accepted", hours_ago=24 * 2 - 1, attempt=new)
    at = open_page("overview")
    assert card(at, "Repair acceptance") == ("100%", "+100 pts")
    at.selectbox(key="overview:window").set_value(7).run()
    assert card(at, "Repair acceptance") == ("100%", None)  # the 7 days before hold nothing
    at.selectbox(key="overview:window").set_value(56).run()
    assert card(at, "Repair acceptance") == ("50%", None)


def test_bid_reference_lines_only_with_enough_bids(couple: Store) -> None:
    arrange(couple)  # 9 bids in the window
    at = open_page("overview")
    bids = charts(at)["Bids met with a turn toward, by week"]
    assert "86%: couples who stayed together" not in json.dumps(bids)
    assert any("This window holds 9, so the reference is not shown yet." in c.value for c in at.caption)

    couple.record("bid_made", hours_ago=5, by="ben", response="toward")
    at = open_page("overview")
    spec = json.dumps(charts(at)["Bids met with a turn toward, by week"])
    assert "86%: couples who stayed together" in spec and "33%: couples who divorced" in spec
    assert any(c.value.startswith("Dashed lines: in Gottman's study of newlyweds") for c in at.caption)
    assert "5 : 1" in json.dumps(charts(at)["Positive and negative moments in the window"])


def test_csi4_is_charted_per_partner_against_the_cut_off(couple: Store) -> None:
    arrange(couple)
    at = open_page("overview")
    spec = charts(at)["Satisfaction (CSI-4) of each partner"]
    assert "13.5: cut-off" in json.dumps(spec)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line", "rule", "text"]
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["Ana", "Ben"]


def test_every_chart_has_a_table_view(couple: Store) -> None:
    arrange(couple)
    at = open_page("overview")
    shown = charts(at)
    assert len(shown) == len(at.dataframe) == 9
    rates = at.dataframe[0].value
    assert list(rates.columns)[:5] == ["Week of", "Repair attempts", "Accepted", "Declined", "Acceptance"]
    assert rates["Repair attempts"].sum() == 2


def test_conflicts_recurring_topics_horsemen_and_repairs(couple: Store) -> None:
    arrange(couple)
    conflict = couple.record(
        "conflict_started", hours_ago=8, by="ben", topic="chores", horsemen=[], intensity=3
    )
    attempt = couple.record("repair_offered", hours_ago=7.5, by="ben", kind="pause", conflict=conflict)
    couple.record("repair_accepted", hours_ago=7, attempt=attempt)
    at = open_page("overview")
    markdown = [m.value for m in at.markdown]
    assert (
        "Repaired 1 of 4 conflicts started in the window; median time from the start of a conflict to an "
        "accepted repair: 60 min (over the 1 repaired)."
    ) in markdown
    assert "**Recurring topics** (3 or more conflicts in the last 30 days): “money”" in markdown
    horsemen = at.dataframe[-1].value
    assert horsemen.to_dict("records")[0] == {"Horseman": "Criticism", "Times named": 3}


def test_an_earlier_as_of_date(couple: Store) -> None:
    arrange(couple)
    at = open_page("overview")
    earlier = at.date_input(key="overview:as_of").value
    at.date_input(key="overview:as_of").set_value(
        earlier.replace(day=1) if earlier.day > 3 else earlier
    ).run()
    assert not at.exception


def test_a_promise_kept_early_is_noted_near_the_cards_and_changes_no_figure(couple: Store) -> None:
    due = couple.now + timedelta(days=2)
    promise = couple.record(
        "promise_made", hours_ago=3, by="ben", description="fix the bike", due_at=due.isoformat()
    )
    before = open_page("overview")
    cards = [(m.label, m.value, m.delta) for m in before.metric]
    assert not any("kept early" in c.value for c in before.caption)

    couple.record("promise_kept", hours_ago=1, promise=promise, logged_by="ben")
    at = open_page("overview")
    assert [(m.label, m.value, m.delta) for m in at.metric] == cards  # the metrics are as they were
    assert card(at, "Promise keeping") == ("—", None)
    day = due.astimezone(ZoneInfo("Europe/Berlin")).strftime("%d %b").lstrip("0")
    [note] = [c.value for c in at.caption if "kept early" in c.value]
    assert f"Ben\\: “fix the bike”, kept early, counts on {day}" in note


def test_the_overview_speaks_to_the_couple(couple: Store) -> None:
    arrange(couple)
    at = open_page("overview")
    assert [h.value for h in at.header][-3:] == ["Each of you", "Week by week", "Conflicts"]
    labels = {t.label for t in at.tabs}
    assert {"Repairs and promises", "Bids and balance", "Check-ins", "Activity"} <= labels
    assert "What you logged, by week" in charts(at)
    captions = [c.value for c in at.caption]
    assert "Side by side, not a contest: each figure is about what the two of you did together." in captions
    assert any(c.startswith("Counts of what you logged each week") for c in captions)
    assert any("A proxy from what you logged" in m.help for m in at.metric)
    assert not any("they logged" in text for text in [*captions, *(m.help for m in at.metric)])
