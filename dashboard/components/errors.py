"""A refusal shown where it belongs: each problem under the field it names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import streamlit as st

Problems = Sequence[tuple[str, str]]


def show(problems: Problems, *fields: str) -> None:
    """The messages of the problems about any of `fields`, right here (under that field)."""
    for field, message in problems:
        if field in fields:
            st.error(message, icon=":material/error:")


def rest(problems: Problems, shown: Iterable[str]) -> None:
    """The problems about fields this form has no place for (shown once, at the end of the form)."""
    placed = set(shown)
    for field, message in problems:
        if field not in placed:
            st.error(f"{field}: {message}", icon=":material/error:")
