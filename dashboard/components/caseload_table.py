"""The caseload as a sortable table (`st.dataframe`): one row per couple with its flags, the reasons in
words, the figures and the sparklines of the last weeks; selecting a row chooses that couple. The records
come ready from `projections.caseload_trends.table_rows`; this only says how each column looks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

OPEN = "counsel:couple"  # the couple the counselor opened (pages/counsel.py shows it)


def _columns(weeks: int) -> dict[str, Any]:
    column = st.column_config
    trend = f"the last {weeks} weeks, one point a week that has a figure"
    return {
        "couple": column.TextColumn("Couple", help="The couple's handle.", pinned=True),
        "names": column.TextColumn("Partners"),
        "last_entry": column.DatetimeColumn("Last entry", format="YYYY-MM-DD HH:mm", timezone="UTC"),
        "flags": column.ListColumn("Flags", help="What asks for your attention; the reasons are beside."),
        "why": column.TextColumn("Why flagged", width="large"),
        "csi4_latest": column.TextColumn("CSI-4 latest", help="Each partner's latest CSI-4 total (0-21)."),
        "csi4_lowest": column.NumberColumn("Lowest CSI-4", format="%d", help="The lower of the two."),
        "csi4_first": column.LineChartColumn("CSI-4, first partner", y_min=0, y_max=21, help=trend),
        "csi4_second": column.LineChartColumn("CSI-4, second partner", y_min=0, y_max=21, help=trend),
        "trust": column.NumberColumn("Trust consistency", format="%.0f", help="0-100; 50 with no history."),
        "trust_trend": column.LineChartColumn("Trust trend", y_min=0, y_max=100, help=trend),
        "acceptance": column.NumberColumn("Repairs accepted", format="%.0f%%"),
        "acceptance_trend": column.LineChartColumn("Acceptance trend", y_min=0, y_max=1, help=trend),
        "keeping": column.NumberColumn("Promises kept", format="%.0f%%"),
    }


def chosen(records: Sequence[Mapping[str, Any]], rows: Sequence[int]) -> str | None:
    """The handle of the couple in the selected row: `rows` are positions in `records` (as the table got
    them, whatever the sorting on screen), None when no row, or no longer a row, is selected."""
    if len(rows) != 1 or not 0 <= rows[0] < len(records):
        return None
    return str(records[rows[0]]["couple"])


def show(records: Sequence[Mapping[str, Any]], *, key: str, weeks: int) -> str | None:
    """The table, sortable by any column (click its heading); one row can be selected (the box at its
    start). Returns the handle of the couple selected, if any."""
    event = st.dataframe(
        [dict(r) for r in records],
        column_config=_columns(weeks),
        column_order=list(_columns(weeks)),
        hide_index=True,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode="single-row",
    )
    return chosen(records, event.selection.rows)
