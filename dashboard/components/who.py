"""Who is here: the couple and the partner using the app now, and the actor the service layer is asked
as. In open mode the couple and partner chosen on "Who is here"; in accounts mode the signed-in partner
(their own couple, their own name)."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.store import Household, household
from repairtrack.services.actors import Actor


def required() -> tuple[Household, str, Actor]:
    """The couple, the partner and the actor; without them an empty state that says what to do first."""
    actor = session.actor()
    if actor is None:  # the session ended since the page was listed (app.py then offers signing in)
        st.info("You are signed out now. Please sign in again.", icon=":material/login:")
        st.page_link("pages/signin.py", label="Sign in", icon=":material/login:")
        st.stop()
    if actor.kind == "counselor":
        st.info("This page is for the partners of a couple.", icon=":material/group:")
        st.page_link("pages/caseload.py", label="Go to your caseload", icon=":material/arrow_forward:")
        st.stop()
    handle, partner = actor.couple, actor.partner
    found = household(handle, actor) if handle else None
    if found is None or partner not in found.names:
        st.info(
            "First choose your couple and say who is using the app now (or register as a new couple).",
            icon=":material/group:",
        )
        st.page_link("pages/who.py", label="Go to Who is here", icon=":material/arrow_forward:")
        st.stop()
    return found, str(partner), actor


def signed_in() -> Actor | None:
    """The signed-in account in accounts mode, else None (open mode)."""
    actor = session.actor()
    return actor if actor is not None and actor.bound else None
