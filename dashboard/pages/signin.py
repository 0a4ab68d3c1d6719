"""Sign in (accounts mode, nobody signed in yet): a plain form that posts to the server's `/auth/signin`.

The server checks the passphrase (throttled), sets the session cookie and sends the browser back to the
dashboard, which then opens as the person signed in. The passphrase never passes through the dashboard's
own connection, and a failed attempt is answered by the server's sign-in page, with the reason."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.components import chrome

session.visit("pages/signin.py")
chrome.top_bar(key="chrome:top")
st.title("Sign in")
st.markdown("This store is protected with accounts: please sign in with your own account.")
chrome.signin_form()
st.caption(
    "No account yet? Your partner can invite you from their dashboard, or whoever keeps this store can "
    "make an invitation with `repairtrack account invite`. Forgot your passphrase? Ask them for a reset "
    "code (`repairtrack account reset`)."
)
st.markdown("If the form does not send, use the [plain sign-in page](/auth/signin).")
