"""A chart with its table view and the caption that says what its lines are. The chart's title is shown
above it as text, which wraps on a narrow screen (a title drawn on the canvas is cut there); the spec keeps
it as its description, which screen readers announce."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from projections.charts import Chart
from projections.presenting import escape_markdown


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
    # The builders' specs are validated by their tests; validating again on every rerun would cost
    # more than the rest of the page, so the spec goes out as built.
    spec = chart.to_dict(validate=False)
    title = spec.pop("title", None)
    if isinstance(title, str):
        spec["description"] = title
        st.markdown(f"**{escape_markdown(title)}**")
    as_chart, as_table = st.tabs(["Chart", "Table"], key=f"{key}:tabs")
    with as_chart:
        st.vega_lite_chart(spec, width="stretch", key=f"{key}:chart")
    with as_table:
        st.dataframe(list(table), hide_index=True, width="stretch", key=f"{key}:table")
    if caption:
        st.caption(caption)
