"""My tokens: personal access tokens for scripts and phone shortcuts (the HTTP API's
`Authorization: Bearer ...`). A new token is shown once, right after it is made; only its hash is kept."""

from __future__ import annotations

from contextlib import suppress

import streamlit as st

from dashboard.components import account, chrome
from dashboard.store import accounts
from domain.errors import Refusal
from projections.presenting import escape_markdown

NEW = "tokens:new"  # the token just made: shown on the next run, then forgotten

chrome.show(key="chrome")
me = account.required()
name = str(me.account)


def _make() -> None:
    label = str(st.session_state.get("tokens:label") or "").strip()
    days = st.session_state.get("tokens:days")
    try:
        token = accounts().create_token(name, int(days) if days else None, label)
    except Refusal as refused:
        st.session_state[NEW] = ("refused", refused.detail)
    else:
        st.session_state[NEW] = ("made", token)
        st.session_state["tokens:label"] = ""


def _revoke(token_id: str) -> None:
    with suppress(Refusal):  # gone already (revoked on another device): the list no longer has it
        accounts().revoke_token(name, token_id)


st.title("My tokens")
st.markdown(
    "A personal token lets a script or a phone shortcut use the HTTP API as you "
    "(`Authorization: Bearer <token>`), without your passphrase. Treat it like a passphrase: anyone who "
    "has it can read and log as you until it ends. Revoke a token you no longer use."
)

news = st.session_state.pop(NEW, None)
if news is not None and news[0] == "made":
    st.success("Your new token. Copy it now: it is shown only this once.", icon=":material/key:")
    st.code(news[1], language=None, wrap_lines=True)
elif news is not None:
    st.error(f"That did not work: {escape_markdown(news[1])}.", icon=":material/error:")

with st.form("tokens:form", border=True, clear_on_submit=False):
    st.text_input("What it is for", key="tokens:label", max_chars=80, placeholder="my phone's shortcut")
    st.number_input(
        "Ends after (days)",
        min_value=1,
        max_value=3650,
        value=None,
        step=1,
        key="tokens:days",
        help="Leave empty for a token that lasts until you revoke it.",
    )
    st.form_submit_button("Make a token", type="primary", icon=":material/add:", on_click=_make)

listed = accounts().list_tokens(name)
st.header("Your tokens")
if not listed:
    st.markdown("You have no tokens.")
for token in listed:
    with st.container(border=True, key=f"token:{token.token_id}"):
        first, second = st.columns([4, 1], vertical_alignment="center")
        with first:
            st.markdown(f"**{escape_markdown(token.label or 'no label')}**")
            st.caption(
                f"Made {account.when(token.created_at)}"
                + (f" · ends {account.when(token.expires_at)}" if token.expires_at else " · no end date")
                + f" · last used {account.when(token.last_used_at)}"
            )
        with second:
            st.button(
                "Revoke",
                key=f"revoke:{token.token_id}",
                icon=":material/block:",
                on_click=_revoke,
                args=(token.token_id,),
            )
