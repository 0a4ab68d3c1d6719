"""The signed-in account (accounts mode), for the pages about the account itself."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from dashboard import session
from repairtrack.services.actors import Actor


def required() -> Actor:
    """The signed-in account; without one a word that says to sign in."""
    actor = session.actor()
    if actor is None or not actor.bound or actor.account is None:
        st.info("These pages are about your own account: please sign in first.", icon=":material/login:")
        st.stop()
    return actor


def when(moment: datetime | None, zone: str | None = None) -> str:
    """A moment as the account's pages show it: the local time of the couple, else UTC."""
    if moment is None:
        return "—"
    if zone:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
    return moment.strftime("%Y-%m-%d %H:%M UTC")
