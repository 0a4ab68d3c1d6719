"""A row of metric cards: value, change against the previous window, and what it means."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

import streamlit as st

from projections.presenting import Card, escape_markdown

CARD_WIDTH: Final = 180  # px, a card in a row of cards


def show(cards: Sequence[Card], *, key: str, columns: int | None = None) -> None:
    """Label, value, change and help are all Markdown for Streamlit. The help may hold a partner's name,
    so it is escaped; the label, the value and the change are words and figures of our own (the change's
    sign picks its arrow)."""
    with st.container(horizontal=True, key=key, gap="small"):
        for card in cards:
            st.metric(
                card.label,
                card.value,
                delta=card.delta,
                delta_color="off",
                help=escape_markdown(card.help),
                border=True,
                width=_width(card, columns),
                delta_arrow="off" if card.unchanged else "auto",
            )


def _width(card: Card, columns: int | None) -> int | Literal["stretch", "content"]:
    """Narrow cards in a row, each as wide as its value needs when that is words, so no text is cut
    ("too littl…")."""
    if columns is not None:
        return "stretch"
    return "content" if card.long_value else CARD_WIDTH
