"""One piece of guidance: title, summary, why it was chosen, and the whole text with its sources."""

from __future__ import annotations

import streamlit as st

from content.library import GuidancePiece, Suggestion


def show(piece: Suggestion | GuidancePiece, *, key: str, expanded: bool = False) -> None:
    with st.container(border=True, key=key):
        st.markdown(f"**{piece.title}**")
        st.markdown(piece.summary)
        reason = piece.reason if isinstance(piece, Suggestion) else None
        if reason:
            st.caption(f"Why this now: {reason}")
        with st.expander("Read more", expanded=expanded):
            st.markdown(piece.body)
            st.caption("Sources: " + "; ".join(piece.sources))
