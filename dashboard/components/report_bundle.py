"""A bundle for the counselor once it is made: what the session keeps of it, its download button and the
preview of its report. The export page and the counselor's page both show it; the counselor's page also
lets the counselor choose the period it covers (the last 7 to 91 days, or since the last session)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import streamlit as st

from repairtrack.services.export import Bundle

PREVIEW_HEIGHT = 900  # px
PERIODS = (7, 14, 28, 56, 91)  # days
DEFAULT_PERIOD = 28
SINCE = "since"  # the option "since the last session"


def kept(bundle: Bundle, couple: str) -> dict[str, Any]:
    """What the session keeps of a bundle made for `couple`, so that a rerun still offers it."""
    return {
        "couple": couple,
        "window_days": bundle.options.window_days,
        "filename": bundle.filename,
        "zip": bundle.zip_bytes(),
        "html": bundle.html,
    }


def download(made: Mapping[str, Any], *, key: str) -> None:
    """The zip, as the page's main button."""
    st.download_button(
        "Download the bundle",
        data=made["zip"],
        file_name=made["filename"],
        mime="application/zip",
        key=key,
        type="primary",
        icon=":material/download:",
        on_click="ignore",
    )


def preview(made: Mapping[str, Any]) -> None:
    """The report as the counselor reads it."""
    st.iframe(made["html"], height=PREVIEW_HEIGHT)


def since_last(sessions: Sequence[date], local_today: date) -> int | None:
    """The days from the last session (`sessions`, latest first) to today, at least 1; None before any
    session is recorded."""
    return max(1, (local_today - sessions[0]).days) if sessions else None


def _span(days: int) -> str:
    return f"{days} {'day' if days == 1 else 'days'}"


def period_words(days: int, since: date | None = None) -> str:
    """ "the last 28 days", or "the 6 days since the last session, 2026-11-25"."""
    if since is None:
        return f"the last {_span(days)}"
    return f"the {_span(days)} since the last session, {since.isoformat()}"


def choose_period(sessions: Sequence[date], local_today: date, *, key: str) -> tuple[int, str]:
    """The period the counselor chooses for the report: its days and the words that name it. "Since the
    last session" is offered once a session is recorded."""
    since = since_last(sessions, local_today)
    options: list[int | str] = [*PERIODS, *([SINCE] if since is not None else [])]
    labels: dict[int | str, str] = {days: f"Last {days} days" for days in PERIODS}
    if since is not None:
        labels[SINCE] = f"Since the last session, {sessions[0].isoformat()} ({_span(since)})"
    choice = st.selectbox(
        "Period of the report",
        options=options,
        index=options.index(DEFAULT_PERIOD),
        format_func=lambda option: labels[option],
        key=key,
    )
    if isinstance(choice, int):
        return choice, period_words(choice)
    assert since is not None
    return since, period_words(since, sessions[0])
