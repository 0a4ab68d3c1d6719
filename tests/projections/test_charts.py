"""The chart builders as pure functions: weekly rows in, an Altair chart out; the spec is valid Vega-Lite
(validated here, once, since the dashboard sends it unvalidated) and carries exactly the data it should."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from typing import Any

import pytest

from projections import charts
from tests.support.metrics import week_row

PARTNERS = {"ana": "Ana", "ben": "Ben"}


def week(start: str, **values: Any) -> dict[str, Any]:
    return week_row(date.fromisoformat(start), tuple(PARTNERS), **values)  # type: ignore[arg-type]


WEEKLY = [
    week(
        "2026-10-19",
        repairs_offered=2,
        repairs_accepted=1,
        repairs_declined=1,
        acceptance_rate=0.5,
        bids=4,
        bids_toward=3,
        trust_consistency=55.0,
        by_partner={
            "ana": {"check_ins": 1, "mean_closeness": 6.0, "mean_trust": 7.0, "mean_csi4": 12.0},
            "ben": {"check_ins": 0, "mean_closeness": None, "mean_trust": None, "mean_csi4": None},
        },
    ),
    week("2026-10-26"),  # an empty week: no rates, no line points
    week(
        "2026-11-02",
        promises_due=2,
        promises_kept=2,
        keeping_rate=1.0,
        trust_consistency=61.5,
        by_partner={
            "ana": {"check_ins": 1, "mean_closeness": 7.0, "mean_trust": 7.0, "mean_csi4": 15.0},
            "ben": {"check_ins": 2, "mean_closeness": 8.0, "mean_trust": 6.5, "mean_csi4": 17.5},
        },
    ),
]


def spec(chart: charts.Chart) -> dict[str, Any]:
    result: dict[str, Any] = chart.to_dict()  # validates against the Vega-Lite schema
    return result


def data(chart: charts.Chart) -> list[list[dict[str, Any]]]:
    """The data sets of a chart, in layer order (the top-level set first)."""
    result = spec(chart)
    return list(result["datasets"].values())


def layer_marks(chart: charts.Chart) -> list[str]:
    result = spec(chart)
    return [layer["mark"]["type"] for layer in result.get("layer", [result])]


def test_weekly_rates_has_one_point_per_week_and_rate_that_exists() -> None:
    chart = charts.weekly_rates(WEEKLY)
    assert data(chart) == [
        [
            {
                "week_start": "2026-10-19",
                "series": "Repair acceptance",
                "value": 0.5,
                "detail": "1 of 2 answered attempts accepted",
            },
            {
                "week_start": "2026-11-02",
                "series": "Promise keeping",
                "value": 1.0,
                "detail": "2 of 2 promises due kept",
            },
        ]
    ]
    result = spec(chart)
    assert result["encoding"]["y"]["scale"]["domain"] == [0, 1]
    assert result["encoding"]["x"]["timeUnit"] == "utcyearmonthdate"  # no viewer's zone shifts a week
    assert result["encoding"]["color"]["scale"]["range"] == ["#0072B2", "#E69F00"]  # Okabe-Ito
    assert result["encoding"]["strokeDash"]["scale"]["range"] == [[1, 0], [6, 3]]  # not by colour alone


def test_turn_toward_reference_lines_only_with_ten_bids() -> None:
    assert layer_marks(charts.turn_toward(WEEKLY, total_bids=9)) == ["line"]
    with_lines = charts.turn_toward(WEEKLY, total_bids=10)
    assert layer_marks(with_lines) == ["line", "rule", "text", "rule", "text"]
    sets = data(with_lines)
    assert sets[0] == [
        {"week_start": "2026-10-19", "series": "Turned toward", "value": 0.75, "detail": "3 of 4 bids"}
    ]
    assert [{"value": 0.86, "label": "86%: couples who stayed together"}] in sets
    assert [{"value": 0.33, "label": "33%: couples who divorced"}] in sets


def test_csi4_has_a_line_per_partner_and_the_cut_off() -> None:
    chart = charts.csi4_by_partner(WEEKLY, PARTNERS)
    assert layer_marks(chart) == ["line", "rule", "text"]
    sets = data(chart)
    assert [(r["week_start"], r["series"], r["value"]) for r in sets[0]] == [
        ("2026-10-19", "Ana", 12.0),
        ("2026-11-02", "Ana", 15.0),
        ("2026-11-02", "Ben", 17.5),
    ]
    assert [{"value": 13.5, "label": "13.5: cut-off"}] in sets
    line = spec(chart)["layer"][0]
    assert line["encoding"]["color"]["scale"]["domain"] == ["Ana", "Ben"]
    assert line["encoding"]["y"]["scale"]["domain"] == [0, 21]


def test_check_ins_by_partner() -> None:
    chart = charts.check_ins_by_partner(WEEKLY, PARTNERS, "mean_trust")
    assert [(r["series"], r["value"], r["detail"]) for r in data(chart)[0]] == [
        ("Ana", 7.0, "1 check-in"),
        ("Ana", 7.0, "1 check-in"),
        ("Ben", 6.5, "2 check-ins"),
    ]
    assert spec(chart)["title"] == "Trust at check-ins (1-10), each partner"


def test_trust_consistency_has_every_week_and_the_no_history_line() -> None:
    chart = charts.trust_consistency(WEEKLY)
    assert [r["value"] for r in data(chart)[0]] == [55.0, 50.0, 61.5]
    assert layer_marks(chart) == ["line", "rule", "text"]


def test_positive_negative_tick_at_five_times_the_negatives() -> None:
    figures = {"positive": 12, "negative": 3, "ratio": 4.0}
    assert layer_marks(charts.positive_negative(figures, total_bids=3)) == ["bar"]
    chart = charts.positive_negative(figures, total_bids=10)
    assert layer_marks(chart) == ["bar", "tick", "text"]
    sets = data(chart)
    assert sets[0] == [{"kind": "Positive", "count": 12}, {"kind": "Negative", "count": 3}]
    assert [{"kind": "Positive", "count": 15.0, "label": "5 : 1"}] in sets


def test_horsemen_and_activity() -> None:
    counts = {"criticism": 2, "contempt": 0, "defensiveness": 1, "stonewalling": 0}
    assert data(charts.horsemen(counts))[0] == [
        {"horseman": "Criticism", "count": 2},
        {"horseman": "Contempt", "count": 0},
        {"horseman": "Defensiveness", "count": 1},
        {"horseman": "Stonewalling", "count": 0},
    ]
    activity = data(charts.weekly_activity(WEEKLY))[0]
    assert len(activity) == 3 * 5
    assert activity[0] == {"week_start": "2026-10-19", "series": "Repair attempts", "value": 2, "order": 0}


@pytest.mark.parametrize(
    "build",
    [
        lambda w: charts.weekly_rates(w),
        lambda w: charts.trust_consistency(w),
        lambda w: charts.turn_toward(w, 0),
        lambda w: charts.csi4_by_partner(w, PARTNERS),
        lambda w: charts.check_ins_by_partner(w, PARTNERS, "mean_closeness"),
        lambda w: charts.weekly_activity(w),
    ],
)
def test_an_empty_series_gives_a_valid_empty_chart(build: Any) -> None:
    assert spec(build([]))


def test_reference_notes_say_how_sure_the_research_is() -> None:
    assert "trained observers" in charts.reference_note("turn_toward", 12)
    assert charts.reference_note("turn_toward", 4).endswith(
        "This window holds 4, so the reference is not shown yet."
    )
    assert "proxy from self-logged data" in charts.reference_note("positive_negative", 12)
    assert "Funk & Rogge, 2007" in charts.reference_note("csi4")
    assert "not a research figure" in charts.reference_note("trust_consistency")


def test_the_report_can_render_them_offline() -> None:
    """The counselor report renders the same builders with vl-convert (no browser, no network)."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(charts.csi4_by_partner(WEEKLY, PARTNERS).properties(width=400).to_json())
    assert svg.startswith("<svg") and "13.5: cut-off" in svg


# --------------------------------------------------------------------------------------------------
# Ticks, reference labels, legends
# --------------------------------------------------------------------------------------------------
def many_weeks(count: int) -> list[dict[str, Any]]:
    first = date(2026, 1, 5)  # a Monday
    return [
        week(
            (first + timedelta(weeks=n)).isoformat(),
            repairs_offered=n % 3,
            repairs_accepted=n % 2,
            repairs_declined=0,
            acceptance_rate=1.0 if n % 2 else 0.0,
            bids=12,
            bids_toward=9,
            conflicts=n % 2,
            by_partner={
                "ana": {"check_ins": 1, "mean_closeness": 6.0, "mean_trust": 7.0, "mean_csi4": 13.0},
                "ben": {"check_ins": 1, "mean_closeness": 7.0, "mean_trust": 6.0, "mean_csi4": 14.0},
            },
        )
        for n in range(count)
    ]


def svg_texts(chart: charts.Chart, width: int = 560) -> list[tuple[float, str]]:
    """(x of its anchor, text) of every text an SVG rendering of `chart` draws, in document order."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(chart.properties(width=width, height=120).to_dict())
    found = re.findall(r'<text[^>]*transform="translate\(([-\d.]+),[-\d.]+\)"[^>]*>([^<]*)</text>', svg)
    return [(float(x), text) for x, text in found]


def x_axis(chart: charts.Chart) -> dict[str, Any]:
    result = spec(chart)
    layer = result["layer"][0] if "layer" in result else result
    axis: dict[str, Any] = layer["encoding"]["x"]["axis"]
    return axis


WEEKLY_BUILDERS = [
    lambda w: charts.weekly_rates(w),
    lambda w: charts.trust_consistency(w),
    lambda w: charts.turn_toward(w, 12),
    lambda w: charts.csi4_by_partner(w, PARTNERS),
    lambda w: charts.check_ins_by_partner(w, PARTNERS, "mean_closeness"),
    lambda w: charts.weekly_activity(w),
]


@pytest.mark.parametrize("build", WEEKLY_BUILDERS)
def test_the_ticks_are_the_mondays_that_name_the_weeks(build: Any) -> None:
    axis = x_axis(build(WEEKLY))
    assert axis["values"] == [
        {"year": 2026, "month": 10, "date": 19, "utc": True},
        {"year": 2026, "month": 10, "date": 26, "utc": True},
        {"year": 2026, "month": 11, "date": 2, "utc": True},
    ]
    labels = [text for _, text in svg_texts(build(WEEKLY))]
    assert labels.count("19 Oct") == labels.count("26 Oct") == labels.count("02 Nov") == 1


@pytest.mark.parametrize("build", WEEKLY_BUILDERS)
def test_many_weeks_get_fewer_ticks_each_on_a_monday_of_the_series(build: Any) -> None:
    weekly = many_weeks(30)
    mondays = {date.fromisoformat(w["week_start"]) for w in weekly}
    values = x_axis(build(weekly))["values"]
    assert 4 <= len(values) <= charts.MAX_WEEK_TICKS
    days = [date(v["year"], v["month"], v["date"]) for v in values]
    assert set(days) <= mondays and days == sorted(days) and days[0] == min(mondays)
    steps = {(b - a).days for a, b in itertools.pairwise(days)}
    assert len(steps) == 1  # evenly spaced
    # in the drawing, the date labels are far enough apart not to collide (a label is about 35 px)
    xs = [x for x, text in svg_texts(build(weekly)) if re.fullmatch(r"\d\d [A-Z][a-z]{2}", text)]
    assert len(xs) == len(values)
    assert min(b - a for a, b in itertools.pairwise(sorted(xs))) > 50


@pytest.mark.parametrize(
    "build",
    [
        lambda w: charts.turn_toward(w, 12),
        lambda w: charts.csi4_by_partner(w, PARTNERS),
        lambda w: charts.trust_consistency(w),
    ],
)
def test_reference_labels_sit_beyond_the_plot_not_on_the_data(build: Any) -> None:
    result = spec(build(WEEKLY))
    texts = [layer for layer in result["layer"] if layer["mark"]["type"] == "text"]
    assert texts
    for layer in texts:
        assert layer["encoding"]["x"] == {"value": "width"}
        assert layer["mark"]["align"] == "left" and layer["mark"]["dx"] > 0
    labels = {label for sets in data(build(WEEKLY)) for row in sets if (label := row.get("label"))}
    drawn = [(x, text) for x, text in svg_texts(build(WEEKLY), width=400) if text in labels]
    assert len(drawn) == len(labels)
    assert all(x > 400 for x, _ in drawn)  # right of the plot, which is 400 wide


def test_the_balance_label_sits_beyond_the_bars() -> None:
    chart = charts.positive_negative({"positive": 30, "negative": 3, "ratio": 10.0}, total_bids=10)
    text = spec(chart)["layer"][2]
    assert text["encoding"]["x"] == {"value": "width"} and text["mark"]["align"] == "left"
    [(x, _)] = [(x, t) for x, t in svg_texts(chart, width=400) if t == "5 : 1"]
    assert x > 400


@pytest.mark.parametrize(
    ("chart", "channel"),
    [
        (charts.horsemen({"criticism": 2, "contempt": 1}), "x"),
        (charts.positive_negative({"positive": 2, "negative": 1, "ratio": 2.0}, 0), "x"),
        (charts.weekly_activity(WEEKLY), "y"),
    ],
)
def test_every_count_axis_has_whole_number_ticks_once_each(chart: charts.Chart, channel: str) -> None:
    result = spec(chart)
    layer = result["layer"][0] if "layer" in result else result
    axis = layer["encoding"][channel]["axis"]
    assert axis["tickMinStep"] == 1 and axis["format"] == "d"
    numbers = [text for _, text in svg_texts(chart) if text.isdigit()]
    assert numbers and len(numbers) == len(set(numbers))


def test_legends_sit_below_with_room_between_their_entries() -> None:
    for chart in (charts.weekly_activity(WEEKLY), charts.csi4_by_partner(WEEKLY, PARTNERS)):
        result = spec(chart)
        layer = result["layer"][0] if "layer" in result else result
        legend = layer["encoding"]["color"]["legend"]
        assert legend["orient"] == "bottom" and legend["columnPadding"] >= 12
