"""Altair chart builders: plain rows in (the weekly rows and window figures of the SPEC section 4 metrics
object), an Altair chart out. Pure functions, no Streamlit: the dashboard shows them with
`st.altair_chart`, the counselor report renders the same charts with vl-convert.

Rules every builder keeps:
- colours from the Okabe-Ito palette (safe for the common colour-vision deficiencies); lines are also
  told apart by their dash and point shape, so no line depends on colour alone;
- per partner where the metrics object gives per-partner figures, both partners in registration order,
  side by side, never ranked;
- weeks are named by their Monday in the couple's time zone (`week_start`, a date); the x axis treats it
  as a UTC date so no viewer's own time zone can shift it by a day;
- research reference lines only where SPEC section 7 allows them: each line, its label, its threshold
  for showing and its caption come from the reference objects of `projections.figures`;
- no width is fixed: the dashboard stretches a chart to its column, the report sets one with
  `chart.properties(width=...)`.

An empty input gives a chart with no rows; callers show an empty state instead when there is nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final, TypeAlias

import altair as alt

from domain.vocabulary import HORSEMEN
from projections.figures import POSITIVE_PER_NEGATIVE, REFERENCES

Chart: TypeAlias = alt.Chart | alt.LayerChart
Row: TypeAlias = Mapping[str, Any]

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO: Final = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
PARTNER_COLOURS: Final = (OKABE_ITO["blue"], OKABE_ITO["orange"])
PARTNER_SHAPES: Final = ("circle", "square")
PARTNER_DASHES: Final = ((1, 0), (6, 3))
REFERENCE_COLOUR: Final = "#555555"


# At most this many dated ticks on a weekly x axis: a label ("05 Jan") needs about 35 px, so even a narrow
# chart holds them; a longer series shows every second (third, ...) Monday.
MAX_WEEK_TICKS: Final = 8
# Up to this count, a count axis ticks every whole number.
SMALL_COUNT: Final = 8


def _mondays(weekly: Sequence[Row]) -> list[date]:
    return sorted({date.fromisoformat(str(w["week_start"])[:10]) for w in weekly})


def _utc(day: date) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def week_ticks(weekly: Sequence[Row]) -> list[alt.DateTime]:
    """The Mondays that name the weeks of `weekly` (their `week_start`), every k-th one when there are
    more than `MAX_WEEK_TICKS`, starting with the first week; as UTC dates like the axis."""
    mondays = _mondays(weekly)
    step = max(1, math.ceil(len(mondays) / MAX_WEEK_TICKS))
    return [_utc(day) for day in mondays[::step]]


def _week_axis(weekly: Sequence[Row], **more: Any) -> alt.Axis:
    return alt.Axis(
        values=week_ticks(weekly),
        format="%d %b",
        labelAngle=0,
        labelOverlap="greedy",
        labelSeparation=4,
        grid=True,
        **more,
    )


def _x_week(weekly: Sequence[Row]) -> alt.X:
    """The weeks of `weekly` from the first to the last, whichever of them have a point."""
    mondays = _mondays(weekly)
    scale = alt.Scale(domain=[_utc(mondays[0]), _utc(mondays[-1])]) if mondays else alt.Undefined
    return alt.X(
        "week_start:T", timeUnit="utcyearmonthdate", title="Week of", axis=_week_axis(weekly), scale=scale
    )


def _count_axis(largest: float) -> alt.Axis:
    """An axis of counts up to `largest`: whole-number ticks, each drawn once. (`tickMinStep` alone
    still lets Vega put ticks at halves, which "d" then prints as "0 1 1 2 2"; small counts get
    every whole number as a tick.)"""
    if largest <= SMALL_COUNT:
        return alt.Axis(tickMinStep=1, format="d", values=list(range(math.ceil(largest) + 1)))
    return alt.Axis(tickMinStep=1, format="d")


def _data(rows: Sequence[Row]) -> dict[str, Any]:
    # Inline rows as a plain mapping: Altair then skips validating every value one by one (an
    # `alt.InlineData` costs milliseconds per chart); the spec is the same.
    return {"values": [dict(r) for r in rows]}


def _base(rows: Sequence[Row], title: str | None = None) -> alt.Chart:
    if title is None:
        return alt.Chart(_data(rows))
    return alt.Chart(_data(rows), title=title)


def _series_scales(names: Sequence[str]) -> tuple[alt.Color, alt.StrokeDash, alt.Shape]:
    colours = [PARTNER_COLOURS[i % 2] if i < 2 else OKABE_ITO["bluish_green"] for i in range(len(names))]
    legend = _legend()
    return (
        alt.Color("series:N", scale=alt.Scale(domain=list(names), range=colours), legend=legend),
        alt.StrokeDash(
            "series:N",
            scale=alt.Scale(
                domain=list(names), range=[list(PARTNER_DASHES[i % 2]) for i in range(len(names))]
            ),
            legend=None,
        ),
        alt.Shape(
            "series:N",
            scale=alt.Scale(domain=list(names), range=[PARTNER_SHAPES[i % 2] for i in range(len(names))]),
            legend=None,
        ),
    )


def _legend(**more: Any) -> alt.Legend:
    """A legend below the chart, its entries side by side with room between them."""
    return alt.Legend(title=None, orient="bottom", direction="horizontal", columnPadding=16, **more)


def _rule(value: float, label: str, *, dash: tuple[int, int] = (4, 4)) -> list[alt.Chart]:
    """A reference line with its label: two layers, each with its own one-row data."""
    data = [{"value": value, "label": label}]
    rule = _base(data).mark_rule(color=REFERENCE_COLOUR, strokeDash=list(dash)).encode(y=alt.Y("value:Q"))
    # The label stands at the right edge, outside the plot, so it is never drawn over a line or a point.
    text = (
        _base(data)
        .mark_text(align="left", baseline="middle", dx=4, color=REFERENCE_COLOUR, fontSize=11)
        .encode(y=alt.Y("value:Q"), text=alt.Text("label:N"), x=alt.XValue("width"))  # type: ignore[no-untyped-call]
    )
    return [rule, text]


def _lines(
    names: Sequence[str],
    y: alt.Y,
    tooltip: list[Any],
    weekly: Sequence[Row],
    chart: alt.Chart | None = None,
) -> alt.Chart:
    """Lines with points, one per series, ticked on the Mondays of `weekly`; without `chart`, a layer
    that takes its parent's data."""
    colour, dash, shape = _series_scales(names)
    lines: alt.Chart = (
        (chart if chart is not None else alt.Chart())
        .mark_line(point=alt.OverlayMarkDef(filled=True, size=50), strokeWidth=2)
        .encode(x=_x_week(weekly), y=y, color=colour, strokeDash=dash, shape=shape, tooltip=tooltip)
    )
    return lines


def _layered(rows: Sequence[Row], title: str, *layers: alt.Chart) -> alt.LayerChart:
    """Layers sharing one data set held once by the layer chart (not copied into every layer)."""
    return alt.LayerChart(data=_data(rows), layer=list(layers), title=title)


# --------------------------------------------------------------------------------------------------
# Long rows for the charts (one row per week and series; weeks with nothing to say are left out)
# --------------------------------------------------------------------------------------------------
def rate_rows(weekly: Sequence[Row]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for week in weekly:
        if week["acceptance_rate"] is not None:
            answered = week["repairs_accepted"] + week["repairs_declined"]
            rows.append(
                {
                    "week_start": week["week_start"],
                    "series": "Repair acceptance",
                    "value": week["acceptance_rate"],
                    "detail": f"{week['repairs_accepted']} of {answered} answered attempts accepted",
                }
            )
        if week["keeping_rate"] is not None:
            rows.append(
                {
                    "week_start": week["week_start"],
                    "series": "Promise keeping",
                    "value": week["keeping_rate"],
                    "detail": f"{week['promises_kept']} of {week['promises_due']} promises due kept",
                }
            )
    return rows


def turn_toward_rows(weekly: Sequence[Row]) -> list[dict[str, Any]]:
    return [
        {
            "week_start": week["week_start"],
            "series": "Turned toward",
            "value": week["bids_toward"] / week["bids"],
            "detail": f"{week['bids_toward']} of {week['bids']} bids",
        }
        for week in weekly
        if week["bids"]
    ]


def partner_rows(weekly: Sequence[Row], partners: Mapping[str, str], measure: str) -> list[dict[str, Any]]:
    """One row per week and partner with a value of `measure` (a key of the weekly `by_partner` rows:
    `mean_csi4`, `mean_closeness`, `mean_trust`)."""
    rows: list[dict[str, Any]] = []
    for week in weekly:
        for handle, name in partners.items():
            figures = week["by_partner"].get(handle) or {}
            value = figures.get(measure)
            if value is None:
                continue
            count = figures.get("check_ins", 0)
            rows.append(
                {
                    "week_start": week["week_start"],
                    "series": name,
                    "value": value,
                    "detail": f"{count} check-in{'s' if count != 1 else ''}",
                }
            )
    return rows


# --------------------------------------------------------------------------------------------------
# The charts
# --------------------------------------------------------------------------------------------------
def weekly_rates(weekly: Sequence[Row]) -> Chart:
    """Repair acceptance and promise keeping by week (0-100%). No reference line: there is no research
    figure for self-logged rates like these."""
    names = ["Repair acceptance", "Promise keeping"]
    y = alt.Y("value:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    tooltip = [
        alt.Tooltip("week_start:T", timeUnit="utcyearmonthdate", title="Week of", format="%d %b %Y"),
        alt.Tooltip("series:N", title="Measure"),
        alt.Tooltip("value:Q", title="Rate", format=".0%"),
        alt.Tooltip("detail:N", title="Counts"),
    ]
    chart = _base(rate_rows(weekly), "Repair acceptance and promise keeping, by week")
    return _lines(names, y, tooltip, weekly, chart)


def trust_consistency(weekly: Sequence[Row]) -> Chart:
    """The trust-consistency score (0-100) at the end of each week. Our own design, so no research line;
    a faint line at 50 marks "no history"."""
    rows = [
        {"week_start": w["week_start"], "series": "Trust consistency", "value": w["trust_consistency"]}
        for w in weekly
    ]
    y = alt.Y("value:Q", title=None, scale=alt.Scale(domain=[0, 100]))
    tooltip = [
        alt.Tooltip("week_start:T", timeUnit="utcyearmonthdate", title="Week of", format="%d %b %Y"),
        alt.Tooltip("value:Q", title="Score", format=".0f"),
    ]
    return _layered(
        rows,
        "Trust consistency at the end of each week",
        _lines(["Trust consistency"], y, tooltip, weekly),
        *_rule(50, "50: no history yet", dash=(2, 4)),
    )


def turn_toward(weekly: Sequence[Row], total_bids: int) -> Chart:
    """The share of bids met with a turn toward, by week, with the reference lines of
    `REFERENCES["turn_toward"]` when the window's `total_bids` are enough to show them (their caveat is
    the chart's caption, `reference_note`)."""
    y = alt.Y("value:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    tooltip = [
        alt.Tooltip("week_start:T", timeUnit="utcyearmonthdate", title="Week of", format="%d %b %Y"),
        alt.Tooltip("value:Q", title="Turned toward", format=".0%"),
        alt.Tooltip("detail:N", title="Bids"),
    ]
    layers = [_lines(["Turned toward"], y, tooltip, weekly)]
    reference = REFERENCES["turn_toward"]
    if reference.shown(total_bids):
        for value, label in reference.chart_lines():
            layers += _rule(value, label)
    return _layered(turn_toward_rows(weekly), "Bids met with a turn toward, by week", *layers)


def csi4_by_partner(weekly: Sequence[Row], partners: Mapping[str, str]) -> Chart:
    """Each partner's mean CSI-4 total (0-21) by week, one line per partner, against the cut-off.
    `partners` maps handle to the name shown, in registration order."""
    names = list(partners.values())
    y = alt.Y("value:Q", title=None, scale=alt.Scale(domain=[0, 21]))
    tooltip = [
        alt.Tooltip("week_start:T", timeUnit="utcyearmonthdate", title="Week of", format="%d %b %Y"),
        alt.Tooltip("series:N", title="Partner"),
        alt.Tooltip("value:Q", title="CSI-4 total", format=".1f"),
        alt.Tooltip("detail:N", title="Check-ins"),
    ]
    return _layered(
        partner_rows(weekly, partners, "mean_csi4"),
        "Satisfaction (CSI-4) of each partner",
        _lines(names, y, tooltip, weekly),
        *(layer for value, label in REFERENCES["csi4"].chart_lines() for layer in _rule(value, label)),
    )


def check_ins_by_partner(weekly: Sequence[Row], partners: Mapping[str, str], measure: str) -> Chart:
    """Each partner's mean check-in `measure` (`mean_closeness` or `mean_trust`, 1-10) by week."""
    label = {"mean_closeness": "Closeness", "mean_trust": "Trust"}[measure]
    names = list(partners.values())
    y = alt.Y("value:Q", title=None, scale=alt.Scale(domain=[1, 10]))
    tooltip = [
        alt.Tooltip("week_start:T", timeUnit="utcyearmonthdate", title="Week of", format="%d %b %Y"),
        alt.Tooltip("series:N", title="Partner"),
        alt.Tooltip("value:Q", title=label, format=".1f"),
        alt.Tooltip("detail:N", title="Check-ins"),
    ]
    chart = _base(partner_rows(weekly, partners, measure), f"{label} at check-ins (1-10), each partner")
    return _lines(names, y, tooltip, weekly, chart)


def horsemen(counts: Mapping[str, int]) -> Chart:
    """How often each of the four horsemen was named on the conflicts started in the window."""
    rows = [{"horseman": name.capitalize(), "count": int(counts.get(name, 0))} for name in HORSEMEN]
    largest = max(int(counts.get(name, 0)) for name in HORSEMEN)
    chart: alt.Chart = (
        _base(rows, "Horsemen named on conflicts in the window")
        .mark_bar(color=OKABE_ITO["vermillion"])
        .encode(
            x=alt.X("count:Q", title="Times named", axis=_count_axis(largest)),
            y=alt.Y("horseman:N", title=None, sort=[h.capitalize() for h in HORSEMEN]),
            tooltip=[alt.Tooltip("horseman:N", title="Horseman"), alt.Tooltip("count:Q", title="Times")],
        )
    )
    return chart


def positive_negative(figures: Mapping[str, Any], total_bids: int) -> Chart:
    """Positive and negative moments in the window (SPEC section 4 `positive_negative`), with a tick at
    the reference balance times the negative count when the window holds enough bids (see
    `REFERENCES["positive_negative"]`)."""
    rows = [
        {"kind": "Positive", "count": int(figures["positive"])},
        {"kind": "Negative", "count": int(figures["negative"])},
    ]
    reference = REFERENCES["positive_negative"]
    with_target = reference.shown(total_bids) and bool(figures["negative"])
    target_count = POSITIVE_PER_NEGATIVE * figures["negative"] if with_target else 0
    largest = max(int(figures["positive"]), int(figures["negative"]), target_count)
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X("count:Q", title="Moments logged", axis=_count_axis(largest)),
            y=alt.Y("kind:N", title=None, sort=["Positive", "Negative"]),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(
                    domain=["Positive", "Negative"],
                    range=[OKABE_ITO["bluish_green"], OKABE_ITO["vermillion"]],
                ),
                legend=None,
            ),
            tooltip=[alt.Tooltip("kind:N", title=" "), alt.Tooltip("count:Q", title="Count")],
        )
    )
    layers = [bars]
    if with_target:
        label = reference.values["balance"]
        target = _base([{"kind": "Positive", "count": target_count, "label": label}])
        layers.append(
            target.mark_tick(color=OKABE_ITO["black"], thickness=3, size=28).encode(
                x=alt.X("count:Q"), y=alt.Y("kind:N", sort=["Positive", "Negative"])
            )
        )
        layers.append(
            # its label at the right edge, outside the plot, never on the bar
            target.mark_text(align="left", dx=4, color=OKABE_ITO["black"]).encode(
                x=alt.XValue("width"),  # type: ignore[no-untyped-call]
                y=alt.Y("kind:N", sort=["Positive", "Negative"]),
                text=alt.Text("label:N"),
            )
        )
    return _layered(rows, "Positive and negative moments in the window", *layers)


def weekly_activity(weekly: Sequence[Row]) -> Chart:
    """What was logged each week: repair attempts, conflicts, check-ins, bids and appreciations."""
    series = {
        "repairs_offered": "Repair attempts",
        "conflicts": "Conflicts",
        "check_ins": "Check-ins",
        "bids": "Bids",
        "appreciations": "Appreciations",
    }
    rows = [
        {"week_start": w["week_start"], "series": label, "value": int(w[key]), "order": position}
        for w in weekly
        for position, (key, label) in enumerate(series.items())
    ]
    largest = max((sum(int(w[key]) for key in series) for w in weekly), default=0)
    colours = [
        OKABE_ITO["blue"],
        OKABE_ITO["vermillion"],
        OKABE_ITO["bluish_green"],
        OKABE_ITO["orange"],
        OKABE_ITO["reddish_purple"],
    ]
    chart: alt.Chart = (
        _base(rows, "What you logged, by week")
        .mark_bar()
        .encode(
            x=alt.X(
                "week_start:O",
                timeUnit="utcyearmonthdate",
                title="Week of",
                axis=_week_axis(weekly, formatType="time"),
            ),
            y=alt.Y("value:Q", title="Entries", axis=_count_axis(largest)),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=list(series.values()), range=colours),
                legend=_legend(columns=3),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("week_start:T", timeUnit="utcyearmonthdate", title="Week of", format="%d %b %Y"),
                alt.Tooltip("series:N", title="What"),
                alt.Tooltip("value:Q", title="Count"),
            ],
        )
    )
    return chart


def reference_note(name: str, total_bids: int | None = None) -> str:
    """The caption of a chart: what its reference lines are and how sure the research is; for a
    reference with a threshold of bids also whether the window holds enough to show it."""
    reference = REFERENCES[name]
    note = reference.text("chart")
    if total_bids is not None and not reference.shown(total_bids):
        note += " " + reference.text("not_yet", bids=total_bids)
    return note
