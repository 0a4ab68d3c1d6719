"""Protect this with accounts (open mode): what accounts are, how to make the first one, and what
changes once there is one."""

from __future__ import annotations

import streamlit as st

from dashboard.components import chrome

chrome.show(key="chrome")
st.title("Protect this with accounts")
st.markdown(
    "Right now this store has no accounts: the dashboard opens only on this computer, and whoever sits at "
    "it says who they are. That is fine on one shared device at home. Accounts let each of you sign in "
    "with your own passphrase, from your own phone or computer."
)
st.header("How to start")
st.markdown("Whoever keeps the store makes an invitation for one of you on the command line, for example:")
st.code("repairtrack account invite --couple ana-ben --partner ana", language="bash")
st.markdown(
    "It prints a one-time code and a link (`/join/<code>`). Open the link in the dashboard's address, "
    "choose your account name and a passphrase (at least 10 characters, not your account name, not a "
    "common password). Once signed in, you can invite your partner from the dashboard, with a code or a "
    "QR code for their phone. A counselor is invited with "
    '`repairtrack account invite --counselor --name "Dr. Lee"`.'
)
st.header("What changes")
st.markdown(
    "- Every page needs a signed-in person, and your own name replaces “Who is here”.\n"
    "- Everything you log is logged as you; you answer only what was offered to you, and take back only "
    "what you logged.\n"
    "- A private note reaches nobody but you: not your partner, not a counselor, not an export.\n"
    "- You can give a counselor access to read your figures (and, if you both want, your shared notes), "
    "and end it at any time.\n"
    "- You can see your recent sign-ins and make personal tokens for scripts and shortcuts.\n"
    "- To use the dashboard from other devices, serve it with TLS "
    "(`repairtrack dashboard --host 0.0.0.0 --tls-cert FILE --tls-key FILE`) or behind a reverse proxy "
    "(`--trusted-proxy ADDR`)."
)
st.caption(
    "Creating the first account cannot be undone from the dashboard: from then on, signing in is needed."
)
