"""My sign-ins: the account's recent sign-ins, successful or not, with the address each came from."""

from __future__ import annotations

import streamlit as st

from dashboard.components import account, chrome
from dashboard.store import accounts, household

chrome.show(key="chrome")
me = account.required()
house = household(me.couple, me) if me.couple else None
zone = house.timezone if house is not None else None
recent = accounts().recent_signins(str(me.account))

st.title("My sign-ins")
st.markdown(
    "The latest times someone signed in to your account, or tried to. If you see a failure you did not "
    "make, choose a new passphrase (ask whoever keeps the store for a reset code)."
)
if not recent:
    st.markdown("No sign-ins yet.")
else:
    st.dataframe(
        [
            {
                "When": account.when(s.at, zone),
                "From": s.address or "unknown",
                "Result": "signed in" if s.success else "failed",
            }
            for s in recent
        ],
        hide_index=True,
        key="signins:table",
    )
    st.caption(f"Newest first; times in {zone or 'UTC'}.")
