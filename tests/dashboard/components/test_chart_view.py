"""A chart with its table view, run alone: the empty state, the title above the chart as text (as
written, whatever it holds), the chart and the table on their tabs, the caption; two charts side by side."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from projections.presenting import escape_markdown
from tests.dashboard.components.rendering import block_keys, shown_as_written

TIMEOUT = 30
ROWS: list[dict[str, object]] = [{"week": "2026-11-02", "rate": 0.5}, {"week": "2026-11-09", "rate": 0.75}]


def chart_app(
    title: str,
    rows: list[dict[str, object]],
    keys: list[str],
    caption: str | None,
    empty: str | None,
    has_data: bool,
) -> None:
    import altair as alt

    from dashboard.components import chart_view

    chart = alt.Chart({"values": rows}, title=title).mark_line().encode(x="week:T", y="rate:Q")
    for key in keys:
        chart_view.show(chart, rows, key=key, caption=caption, empty=empty, has_data=has_data)


def run(
    title: str = "Repair acceptance by week",
    rows: list[dict[str, object]] = ROWS,
    keys: tuple[str, ...] = ("k",),
    *,
    caption: str | None = None,
    empty: str | None = None,
    has_data: bool = True,
) -> AppTest:
    args = (title, rows, list(keys), caption, empty, has_data)
    at = AppTest.from_function(chart_app, args=args, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def test_without_rows_the_empty_words_show_instead() -> None:
    at = run(rows=[], empty="Log a repair attempt to see this chart.")
    assert [i.value for i in at.info] == ["Log a repair attempt to see this chart."]
    assert list(at.tabs) == [] and list(at.dataframe) == []


def test_without_data_the_default_empty_words_show() -> None:
    at = run(has_data=False)
    assert [i.value for i in at.info] == ["Nothing to show yet."]
    assert list(at.tabs) == []


def test_the_title_chart_table_and_caption() -> None:
    at = run(caption="Dashed: the reference line.")
    assert [m.value for m in at.markdown] == ["**Repair acceptance by week**"]
    assert [t.label for t in at.tabs] == ["Chart", "Table"]
    [chart] = at.get("vega_lite_chart")
    assert '"description": "Repair acceptance by week"' in chart.proto.spec
    assert '"title"' not in chart.proto.spec  # drawn on the canvas it would be cut on a phone
    [table] = at.dataframe
    assert table.value.to_dict("records") == ROWS
    assert [c.value for c in at.caption] == ["Dashed: the reference line."]


@pytest.mark.parametrize("typed", ["![x](http://e/x.png) <img src=x>", "**b** [l](http://e) :red[x]"])
def test_a_title_holding_a_name_is_shown_as_written(typed: str) -> None:
    at = run(title=f"Check-ins of {typed}")
    [title] = at.markdown
    assert title.value == f"**{escape_markdown(f'Check-ins of {typed}')}**"
    assert shown_as_written(title.value, typed, own=frozenset({"strong_open"}))


def test_two_charts_with_their_own_keys_stand_side_by_side() -> None:
    at = run(keys=("k1", "k2"))
    assert len(at.tabs) == 4
    assert len(at.dataframe) == 2
    assert [k for k in block_keys(at) if k.endswith(":tabs")] == ["k1:tabs", "k2:tabs"]
