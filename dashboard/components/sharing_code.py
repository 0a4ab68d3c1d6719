"""A counselor's sharing code (accounts mode): what a couple types on *Who can see our data* to give the
counselor access, without the counselor's account name. Shown on the counselor's home, with a button to
make one, or a new one (the one before stops working; access already given stays)."""

from __future__ import annotations

import streamlit as st

from dashboard.store import accounts

MADE = "sharing-code:made"  # a code was just made: said on the next run, then forgotten


def _make(account: str) -> None:
    accounts().new_sharing_code(account)
    st.session_state[MADE] = True


def show(account: str, *, key: str) -> None:
    """The counselor's current code and the button that makes a (new) one."""
    code = accounts().sharing_code(account)
    if st.session_state.pop(MADE, False) and code is not None:
        st.success("Your new sharing code is ready. An older code no longer works.", icon=":material/check:")
    if code is None:
        st.markdown(
            "Make a sharing code to give to the couples you work with: one of them types it on their "
            "*Who can see our data* page to give you access. It does not show your account name."
        )
    else:
        st.markdown("Give this code to a couple: one of them types it on their *Who can see our data* page.")
        st.code(code, language=None)  # shown as it is: letters, digits and a dash
    st.button(
        "Make a new sharing code" if code is not None else "Make a sharing code",
        key=f"{key}:make",
        icon=":material/pin:",
        on_click=_make,
        args=(account,),
        help="A new code replaces the one before; couples who already gave you access keep it."
        if code is not None
        else None,
    )
