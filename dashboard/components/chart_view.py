"""A chart with its table view and the caption that says what its lines are."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from projections.charts import Chart


def show(
    chart: Chart,
    table: Sequence[Mapping[str, Any]],
    *,
    key: str,
    caption: str | None = None,
    empty: str | None = None,
    has_data: bool = True,
) -> None:
    """The chart and, on a second tab, the same figures as a table. Without data, `empty` instead."""
    if not table or not has_data:
        st.info(empty or "Nothing to show yet.", icon=":material/bar_chart:")
        return
    as_chart, as_table = st.tabs(["Chart", "Table"], key=f"{key}:tabs")
    with as_chart:
        # The builders' specs are validated by their tests; validating again on every rerun would cost
        # more than the rest of the page, so the spec goes out as built.
        st.vega_lite_chart(chart.to_dict(validate=False), width="stretch", key=f"{key}:chart")
    with as_table:
        st.dataframe(list(table), hide_index=True, width="stretch", key=f"{key}:table")
    if caption:
        st.caption(caption)
