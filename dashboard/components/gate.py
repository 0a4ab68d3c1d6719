"""The access gate of a dashboard reachable from other machines (`repairtrack dashboard --host ...`).

When the server was started for remote access, every new browser session must give the access
passphrase first. Checks go through the process-wide throttle (`repairtrack.services.access.THROTTLE`),
keyed by the client's address, so reloading the page or opening many tabs does not get more guesses.

The address is the socket's peer. `X-Forwarded-For` counts only from a configured trusted proxy, and
none can be configured yet, so it never counts: `dashboard.launch` tells the web server to trust no
proxy header, and should a server still have replaced the peer by an address that header named, the
gate keys such requests together instead of by the address they claim."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping

import streamlit as st

from dashboard.store import settings
from repairtrack.services.access import try_passphrase, wait_left

REQUIRED_VAR = "REPAIRTRACK_REQUIRE_PASSPHRASE"
UNLOCKED = "gate:unlocked"
LOCAL = "local"  # a loopback peer (Streamlit does not name it)
FORWARDED = "forwarded"  # a peer the server took from X-Forwarded-For: untrusted, so keyed together


def required() -> bool:
    return os.environ.get(REQUIRED_VAR) == "1"


def client_address(peer: str | None, headers: Mapping[str, str]) -> str:
    """The key-worthy address of a client: its socket peer, never what a header claims."""
    if not peer:
        return LOCAL
    claimed = {
        part.strip().lower()
        for name, value in headers.items()
        if name.lower() == "x-forwarded-for"
        for part in value.split(",")
    }
    return FORWARDED if peer.lower() in claimed else peer


def _session_client() -> str:
    peer = getattr(st.context, "ip_address", None)
    headers = getattr(st.context, "headers", None) or {}
    return client_address(peer if isinstance(peer, str) else None, dict(headers))


def _seconds(value: float) -> int:
    return max(1, math.ceil(value))


def show(*, key: str) -> None:
    """Stop the run here until this session has given the passphrase (when one is required)."""
    if not required() or st.session_state.get(UNLOCKED):
        return
    st.title("repairtrack")
    st.write("This dashboard is open to other devices, so it asks for its access passphrase first.")
    client = _session_client()
    with st.form(key):
        attempt = st.text_input("Access passphrase", type="password", key=f"{key}:passphrase")
        submitted = st.form_submit_button("Open", type="primary")
    if submitted:
        outcome = try_passphrase(settings().data_dir, attempt, client=client)
        if outcome.accepted:
            st.session_state[UNLOCKED] = True
            st.rerun()
        if outcome.checked:
            st.error(
                f"That did not open it. Please wait {_seconds(outcome.retry_after)} s before trying again."
            )
        else:
            st.warning(f"Too many tries from this device: please wait {_seconds(outcome.retry_after)} s.")
    elif (left := wait_left(client)) > 0:
        st.warning(f"Too many tries from this device: please wait {_seconds(left)} s.")
    st.stop()
