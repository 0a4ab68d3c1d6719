"""The parts of the overview that the counselor's page shows too: each partner's cards in a column of
their own, and the weekly charts of repairs and promises and of satisfaction (CSI-4). Each page gives the
prefix of its keys, so two pages never share a widget key."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from dashboard.components import chart_view, metric_cards
from projections import charts
from projections.presenting import (
    csi4_note,
    escape_markdown,
    partner_cards,
    partner_table,
    rates_table,
    trust_table,
)

CSI4_EMPTY = "No satisfaction questions (CSI-4) answered in these weeks yet."


def partners(
    current: Mapping[str, Any], previous: Mapping[str, Any], names: Mapping[str, str], *, key: str
) -> None:
    """One column per partner: their name, their cards (against the window before) and their CSI-4 note.
    The cards of a partner are keyed `{key}:{handle}`."""
    by_partner = partner_cards(current, previous, names)
    for column, (handle, name) in zip(st.columns(len(names)), names.items(), strict=True):
        with column:
            st.markdown(f"**{escape_markdown(name)}**")
            metric_cards.show(by_partner[handle], key=f"{key}:{handle}", columns=1)
            st.caption(csi4_note(current["check_ins"]["by_partner"][handle]))


def repairs_and_promises(weekly: Sequence[Mapping[str, Any]], *, key: str) -> None:
    """Side by side: the weekly repair and promise-keeping rates, and trust consistency; keyed
    `{key}:rates` and `{key}:trust`."""
    left, right = st.columns(2)
    with left:
        chart_view.show(
            charts.weekly_rates(weekly),
            rates_table(weekly),
            key=f"{key}:rates",
            caption=charts.reference_note("rates"),
            has_data=bool(charts.rate_rows(weekly)),
            empty="No repair attempt answered and no promise due yet in these weeks.",
        )
    with right:
        chart_view.show(
            charts.trust_consistency(weekly),
            trust_table(weekly),
            key=f"{key}:trust",
            caption=charts.reference_note("trust_consistency"),
        )


def satisfaction(
    weekly: Sequence[Mapping[str, Any]], names: Mapping[str, str], *, key: str, empty: str = CSI4_EMPTY
) -> None:
    """Each partner's weekly CSI-4 score; keyed `{key}:csi4`."""
    chart_view.show(
        charts.csi4_by_partner(weekly, names),
        partner_table(weekly, names, "mean_csi4"),
        key=f"{key}:csi4",
        caption=charts.reference_note("csi4"),
        has_data=bool(charts.partner_rows(weekly, names, "mean_csi4")),
        empty=empty,
    )
