"""The access gate of a dashboard reachable from other machines (`repairtrack dashboard --host ...`).

When the server was started for remote access, every new browser session must give the access
passphrase first. Failed attempts slow down per client address for the whole server process
(`repairtrack.services.access.THROTTLE`), so reloading the page does not reset the wait."""

from __future__ import annotations

import os

import streamlit as st

from dashboard.store import settings
from repairtrack.services.access import THROTTLE, check_passphrase

REQUIRED_VAR = "REPAIRTRACK_REQUIRE_PASSPHRASE"
UNLOCKED = "gate:unlocked"


def required() -> bool:
    return os.environ.get(REQUIRED_VAR) == "1"


def client_address() -> str:
    address = getattr(st.context, "ip_address", None)
    return address if isinstance(address, str) and address else "unknown"


def show(*, key: str) -> None:
    """Stop the run here until this session has given the passphrase (when one is required)."""
    if not required() or st.session_state.get(UNLOCKED):
        return
    st.title("repairtrack")
    st.write("This dashboard is open to other devices, so it asks for its access passphrase first.")
    client = client_address()
    with st.form(key):
        attempt = st.text_input("Access passphrase", type="password", key=f"{key}:passphrase")
        submitted = st.form_submit_button("Open", type="primary")
    if submitted:
        data_dir = settings().data_dir
        accepted, wait = THROTTLE.attempt(client, lambda: check_passphrase(data_dir, attempt))
        if accepted:
            st.session_state[UNLOCKED] = True
            st.rerun()
        if wait > 0:
            st.error(f"That did not open it. Please wait {wait:.0f} s before trying again.")
    elif (left := THROTTLE.wait_left(client)) > 0:
        st.warning(f"Too many tries from this device: please wait {left:.0f} s.")
    st.stop()
