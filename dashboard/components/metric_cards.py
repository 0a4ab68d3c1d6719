"""A row of metric cards: value, change against the previous window, and what it means."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from projections.presenting import Card


def show(cards: Sequence[Card], *, key: str, columns: int | None = None) -> None:
    with st.container(horizontal=True, key=key, gap="small"):
        for card in cards:
            st.metric(
                card.label,
                card.value,
                delta=card.delta,
                delta_color="off",
                help=card.help,
                border=True,
                width=180 if columns is None else "stretch",
            )
