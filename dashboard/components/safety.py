"""The safety note, one click away on every page: violence, coercion or fear come before any repair
work. The words live in the guidance library (content/guidance/safety-first.md)."""

from __future__ import annotations

import streamlit as st

from dashboard.store import library

SAFETY_ID = "safety-first"


def show(*, key: str) -> None:
    piece = library().get(SAFETY_ID)
    with st.popover("Safety first", icon=":material/health_and_safety:", key=f"{key}:safety"):
        st.markdown(f"**{piece.title}**")
        st.markdown(piece.summary)
        st.markdown(piece.body)
        st.caption("Sources: " + "; ".join(piece.sources))
