"""The overview's sections, which the couple's own overview and their counselor's page both show: the
headline cards, each partner's cards in a column of their own, the "Week by week" charts in four tabs and
the conflicts. Each page gives the prefix of its keys, so two pages never share a widget key, and its
`Voice`: the couple reads "you", their counselor reads "they"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard.components import chart_view, metric_cards
from projections import charts
from projections.charts import Chart
from projections.presenting import (
    activity_table,
    csi4_note,
    escape_markdown,
    horsemen_table,
    overview_cards,
    partner_cards,
    partner_table,
    positive_negative_table,
    rates_table,
    recent_weeks,
    repair_summary,
    trust_table,
    turn_toward_table,
)
from projections.promise_words import kept_early_note

WEEKS_SHOWN = 26
GROUPS = ["Repairs and promises", "Bids and balance", "Check-ins", "Activity"]
CSI4_EMPTY = "No satisfaction questions (CSI-4) answered in these weeks yet."


@dataclass(frozen=True)
class Voice:
    """The words of a page that say who logged the figures."""

    each: str  # the heading over the partner columns
    together: str  # the caption under them
    logged: str  # what the cards' proxies rest on (projections.presenting.overview_cards)
    activity_title: str | None  # the activity chart's title, None for the chart's own
    activity_note: str
    csi4_empty: str


YOU = Voice(
    each="Each of you",
    together="Side by side, not a contest: each figure is about what the two of you did together.",
    logged="what you logged",
    activity_title=None,
    activity_note="Counts of what you logged each week; more is not better, it only shows what the "
    "figures rest on.",
    csi4_empty="No satisfaction questions (CSI-4) answered in these weeks yet; they are part of a check-in.",
)
THEY = Voice(
    each="Each partner",
    together="Side by side, not a contest: each figure is about what the two of them did together.",
    logged="what they logged",
    activity_title="What they logged, by week",
    activity_note="Counts of what they logged each week; more is not better, it only shows what the "
    "figures rest on.",
    csi4_empty=CSI4_EMPTY,
)


@dataclass(frozen=True)
class Spec:
    """One chart of a section: its key is `{key}:{name}` of the section's key."""

    name: str
    chart: Chart
    table: Sequence[Mapping[str, Any]]
    caption: str | None = None
    has_data: bool = True
    empty: str | None = None


def _chart(spec: Spec, *, key: str) -> None:
    chart_view.show(
        spec.chart,
        spec.table,
        key=f"{key}:{spec.name}",
        caption=spec.caption,
        has_data=spec.has_data,
        empty=spec.empty,
    )


def _side_by_side(specs: Sequence[Spec], *, key: str) -> None:
    for column, spec in zip(st.columns(len(specs)), specs, strict=True):
        with column:
            _chart(spec, key=key)


def headline(
    current: Mapping[str, Any],
    previous: Mapping[str, Any],
    kept_early: Sequence[Mapping[str, Any]],
    *,
    key: str,
    voice: Voice,
    caption: str,
    names: Mapping[str, str],
    zone: str,
) -> None:
    """The couple's cards (keyed `key`), what they cover (`caption`) and the promises kept early."""
    metric_cards.show(overview_cards(current, previous, voice.logged), key=key)
    st.caption(caption)
    if (early := kept_early_note(kept_early, names, zone)) is not None:
        st.caption(f":material/event_available: {escape_markdown(early)}")


def partners(
    current: Mapping[str, Any],
    previous: Mapping[str, Any],
    names: Mapping[str, str],
    *,
    key: str,
    voice: Voice,
) -> None:
    """Under the voice's heading, one column per partner: their name, their cards (against the window
    before) and their CSI-4 note. The cards of a partner are keyed `{key}:{handle}`."""
    st.header(voice.each)
    by_partner = partner_cards(current, previous, names)
    for column, (handle, name) in zip(st.columns(len(names)), names.items(), strict=True):
        with column:
            st.markdown(f"**{escape_markdown(name)}**")
            metric_cards.show(by_partner[handle], key=f"{key}:{handle}", columns=1)
            st.caption(csi4_note(current["check_ins"]["by_partner"][handle]))
    st.caption(voice.together)


def _repairs(weekly: Sequence[Mapping[str, Any]]) -> list[Spec]:
    """The weekly repair and promise-keeping rates, and trust consistency."""
    rates = Spec(
        "rates",
        charts.weekly_rates(weekly),
        rates_table(weekly),
        caption=charts.reference_note("rates"),
        has_data=bool(charts.rate_rows(weekly)),
        empty="No repair attempt answered and no promise due yet in these weeks.",
    )
    note = charts.reference_note("trust_consistency")
    return [rates, Spec("trust", charts.trust_consistency(weekly), trust_table(weekly), caption=note)]


def _connection(current: Mapping[str, Any], weekly: Sequence[Mapping[str, Any]]) -> list[Spec]:
    """Bids met with a turn toward, by week, and the positive and negative moments of the window."""
    bids, pn = current["bids"]["total"], current["positive_negative"]
    toward = Spec(
        "bids",
        charts.turn_toward(weekly, bids),
        turn_toward_table(weekly),
        caption=charts.reference_note("turn_toward", bids),
        has_data=bool(charts.turn_toward_rows(weekly)),
        empty="No bids for connection logged in these weeks yet.",
    )
    balance = Spec(
        "balance",
        charts.positive_negative(pn, bids),
        positive_negative_table(pn),
        caption=charts.reference_note("positive_negative", bids),
        has_data=bool(pn["positive"] or pn["negative"]),
        empty="No appreciations, bids or horsemen logged in this window yet.",
    )
    return [toward, balance]


def _check_ins(weekly: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> list[Spec]:
    """Each partner's mean closeness and mean trust at their check-ins, by week."""
    return [
        Spec(
            measure,
            charts.check_ins_by_partner(weekly, names, measure),
            partner_table(weekly, names, measure),
            has_data=bool(charts.partner_rows(weekly, names, measure)),
            empty="No check-ins in these weeks yet.",
        )
        for measure in ("mean_closeness", "mean_trust")
    ]


def _satisfaction(weekly: Sequence[Mapping[str, Any]], names: Mapping[str, str], empty: str) -> Spec:
    """Each partner's weekly CSI-4 score."""
    return Spec(
        "csi4",
        charts.csi4_by_partner(weekly, names),
        partner_table(weekly, names, "mean_csi4"),
        caption=charts.reference_note("csi4"),
        has_data=bool(charts.partner_rows(weekly, names, "mean_csi4")),
        empty=empty,
    )


def _activity(weekly: Sequence[Mapping[str, Any]], voice: Voice) -> Spec:
    chart = charts.weekly_activity(weekly)
    if voice.activity_title is not None:
        chart = chart.properties(title=voice.activity_title)
    return Spec("activity", chart, activity_table(weekly), caption=voice.activity_note)


def week_by_week(
    current: Mapping[str, Any], names: Mapping[str, str], *, key: str, tabs: str, voice: Voice
) -> None:
    """The last weeks' charts, one tab per group (`tabs` is the key of the tabs): repairs and promises,
    bids and balance, check-ins, activity. A chart is keyed `{key}:{name}` (e.g. `chart:bids`)."""
    st.header("Week by week")
    weekly = recent_weeks(current["weekly"], WEEKS_SHOWN)
    # One tab per group of charts keeps the page short on a phone; side by side where the screen is wide.
    repairs, connection, check_ins, activity = st.tabs(GROUPS, key=tabs)
    with repairs:
        _side_by_side(_repairs(weekly), key=key)
    with connection:
        _side_by_side(_connection(current, weekly), key=key)
    with check_ins:
        _chart(_satisfaction(weekly, names, voice.csi4_empty), key=key)
        _side_by_side(_check_ins(weekly, names), key=key)
    with activity:
        _chart(_activity(weekly, voice), key=key)


def conflicts(current: Mapping[str, Any], *, key: str) -> None:
    """The window's conflicts: how many were repaired and how soon, the recurring topics, the horsemen
    named (a chart keyed `{key}:horsemen`)."""
    st.header("Conflicts")
    found = current["conflicts"]
    left, right = st.columns(2)
    with left:
        st.markdown(repair_summary(found))
        topics = found["recurring_topics"]
        st.markdown(
            "**Recurring topics** (3 or more conflicts in the last 30 days): "
            + (", ".join(f"“{escape_markdown(t)}”" for t in topics) if topics else "none")
        )
        st.caption(f"{found['started']} started and {found['resolved']} resolved in the window.")
    with right:
        horsemen = Spec(
            "horsemen",
            charts.horsemen(found["horsemen"]),
            horsemen_table(found["horsemen"]),
            has_data=bool(found["started"]),
            empty="No conflicts started in this window.",
        )
        _chart(horsemen, key=key)
