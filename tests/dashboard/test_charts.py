"""The chart builders as pure functions: weekly rows in, an Altair chart out; the spec is valid Vega-Lite
(validated here, once, since the dashboard sends it unvalidated) and carries exactly the data it should."""

from __future__ import annotations

from datetime import date
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
