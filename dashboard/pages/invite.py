"""Invite your partner (accounts mode): a one-time code and a QR code of the link that redeems it, for
the other partner of the couple to choose their own account name and passphrase."""

from __future__ import annotations

import streamlit as st

from dashboard.components import chrome, invitation, who
from dashboard.store import couples
from domain.errors import Refusal
from projections.presenting import escape_markdown

MADE = "invite:made"  # (code, link) of the invitation made in this session, shown until it is used

chrome.show(key="chrome")
house, _partner, actor = who.required()
other = couples().other_partner(actor, house.handle)
name = escape_markdown(other["name"])

st.title("Invite your partner")
if other["account"] is not None:
    st.session_state.pop(MADE, None)
    st.success(f"{name} has joined already, with the account “{other['account']}”.", icon=":material/group:")
    st.stop()

st.markdown(
    f"{name} can have an account of their own, to log from their own device and keep their private notes "
    "to themselves. Make an invitation and give it to them in person, or send the link where only they "
    "read it: whoever has it can join as them, once, within 72 hours."
)
if st.button("Make an invitation", key="invite:make", type="primary", icon=":material/person_add:"):
    try:
        code, path = couples().invite_partner(actor, house.handle)
    except Refusal as refused:
        st.error(f"That did not work: {escape_markdown(refused.detail)}.", icon=":material/error:")
    else:
        st.session_state[MADE] = (code, invitation.link(path))

made = st.session_state.get(MADE)
if made is not None:
    code, link = made
    st.subheader(f"The invitation for {name}")
    left, right = st.columns([1, 1])
    with left:
        st.markdown("Scan this with their phone's camera:")
        invitation.qr(link)
    with right:
        st.markdown("Or open this link on their device:")
        st.code(link, language=None, wrap_lines=True)
        st.markdown("The code alone (the last part of the link):")
        st.code(code, language=None, wrap_lines=True)
    st.caption(
        "The code works once and for 72 hours. Making a new invitation does not end this one; it simply "
        "expires unused."
    )
