"""Sign in (accounts mode, nobody signed in yet): a plain form that posts to the server's `/auth/signin`.

The server checks the passphrase (throttled), sets the session cookie and sends the browser back to the
dashboard, which then opens as the person signed in. The passphrase never passes through the dashboard's
own connection, and a failed attempt is answered by the server's sign-in page, with the reason. The form
inside `st.html` does submit in a browser (checked in chromium by tests/dashboard/test_browser_partners.py);
the link to the server's own page stays for a browser where it would not.

When the operator configured the practice's identity provider, "Sign in with <practice>" goes there
(`st.login`) and back; the person is then whoever their provider's identity is bound to
(`dashboard/session.py`), or is asked to redeem their invitation (`pages/redeem.py`)."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.components import chrome
from dashboard.store import settings
from projections.presenting import escape_markdown

session.visit("pages/signin.py")
chrome.top_bar(key="chrome:top")
st.title("Sign in")
st.markdown("This store is protected with accounts: please sign in with your own account.")
provider = settings().oidc
if provider is not None:  # the practice's OpenID Connect provider (`repairtrack.server.oidc`)
    label = f"Sign in with {escape_markdown(provider.name)}"
    if st.button(label, key="signin:provider", type="primary", icon=":material/badge:"):
        st.login()
    st.caption("Or with an account name and passphrase of this store:")
chrome.signin_form()
st.caption(
    "No account yet? Your partner can invite you from their dashboard, or whoever keeps this store can "
    "make an invitation with `repairtrack account invite`. Forgot your passphrase? Ask them for a reset "
    "code (`repairtrack account reset`)."
)
st.markdown("If the form does not send, use the [plain sign-in page](/auth/signin).")
