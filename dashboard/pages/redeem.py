"""Redeem your invitation: signed in with the practice's identity provider (`st.login`), but no account
of this store is bound to that identity yet (SPEC section 8, external sign-in).

The invitation's one-time code and the account name the person chooses make the account, bound to the
provider's issuer and subject (`Accounts.bind_external`); from the next rerun on they are that account
whenever they sign in with the provider, without a code. Someone the provider knows but who was never
invited has no code that works: they are told so, and nothing is made."""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.components import chrome
from dashboard.store import accounts, services, settings
from domain.errors import Refusal
from projections.presenting import escape_markdown

session.visit("pages/redeem.py")
chrome.top_bar(key="chrome:top")
st.title("Redeem your invitation")
provider = settings().oidc
practice = escape_markdown(provider.name if provider is not None else "your practice")


def _sign_out_button() -> None:
    if st.button(f"Sign out of {practice}", key="redeem:signout", icon=":material/logout:"):
        st.logout()


external = session.pending_external()
if external is None:
    st.info("You are not signed in with your practice's sign-in right now.", icon=":material/info:")
    st.page_link("pages/signin.py", label="Sign in", icon=":material/login:")
    st.stop()
issuer, subject = external

if services().identity.account_for_external(issuer, subject) is not None:  # bound, but switched off
    st.warning(
        "The account that belongs to this sign-in is switched off. Please ask whoever keeps this store.",
        icon=":material/block:",
    )
    _sign_out_button()
    st.stop()

who = st.user.get("email") or st.user.get("name") or subject
st.markdown(
    f"You are signed in with {practice} as **{escape_markdown(str(who))}**, but no account of this store "
    "belongs to that sign-in yet. If you were invited, enter the code of your invitation and choose the "
    "name of your account here; from then on signing in with "
    f"{practice} is enough."
)
with st.form("redeem:form", enter_to_submit=True):
    code = st.text_input("Invitation code", key="redeem:code", autocomplete="off")
    name = st.text_input(
        "Account name",
        key="redeem:account",
        max_chars=40,
        help="Small letters, digits and dashes, like `dr-lee`. Not needed for a reset code.",
    )
    sent = st.form_submit_button("Redeem", type="primary", icon=":material/key:")
if sent:
    try:
        accounts().bind_external(
            code.strip(),
            issuer,
            subject,
            account=name.strip() or None,
            address=st.context.ip_address or "",
        )
    except Refusal as refused:
        detail = refused.detail[:1].upper() + refused.detail[1:]
        st.error(f"{escape_markdown(detail.rstrip('.'))}. Nothing was made.", icon=":material/error:")
    else:
        st.rerun()
st.caption(
    "No invitation? Ask whoever keeps this store for one (`repairtrack account invite --counselor`). "
    "Signed in as the wrong person?"
)
_sign_out_button()
