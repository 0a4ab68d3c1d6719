"""A counselor's home (accounts mode): the couples that granted them access. A placeholder for the
caseload of SPEC section 10, which comes next."""

from __future__ import annotations

import streamlit as st

from dashboard.components import account, chrome
from dashboard.store import couples
from projections.presenting import escape_markdown

chrome.show(key="chrome")
me = account.required()
granted = couples().couples(me)

st.title("Your caseload")
st.markdown(
    f"Welcome, {escape_markdown(me.name or '')}. These couples have given you access to read their figures."
)
if not granted:
    st.info(
        "No couple has given you access yet. A couple does it from their dashboard, naming your account "
        f"(“{me.account}”).",
        icon=":material/group:",
    )
for row in granted:
    with st.container(border=True, key=f"caseload:{row['couple']}"):
        names = " & ".join(p["name"] for p in row["partners"])
        st.markdown(f"**{escape_markdown(names)}**")
        st.caption(f"{row['couple']} · times in {row['timezone']}")
st.caption("Overviews, reports and session dates for each couple will show here soon.")
