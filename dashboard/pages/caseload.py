"""A counselor's home (accounts mode): the caseload of SPEC section 10, one row per couple that grants
them access, as a sortable table with each flag's reason and the trends of the last weeks, a filter by
flag, and the way to open one couple (`pages/counsel.py`). Everything comes through the service layer;
the caseload opens no couple, so nothing is written to the couples' access logs here."""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from dashboard.components import account, caseload_table, chrome, sharing_code
from dashboard.store import couples, reading
from projections.caseload import FLAG_NAMES
from projections.caseload_trends import FLAG_LABELS, TREND_WEEKS, filtered, table_rows
from projections.presenting import escape_markdown


def open_couple(handle: str) -> NoReturn:
    """The couple's page (pages/counsel.py) for `handle`."""
    st.session_state[caseload_table.OPEN] = handle
    st.switch_page("pages/counsel.py")


chrome.show(key="chrome")
me = account.required()
if me.kind != "counselor":
    st.info("This page is for counselors.", icon=":material/groups:")
    st.stop()

service = couples()
with reading() as view:
    rows = service.caseload(me, view=view)
    trends = service.caseload_trends(me, weeks=TREND_WEEKS, view=view)

st.title("Your caseload")
st.markdown(
    f"Welcome, {escape_markdown(me.name or '')}. These couples have given you access to read their figures "
    "(the last 28 days, as of now)."
)
if not rows:
    st.info(
        "No couple has given you access yet. A couple does it from their dashboard, with your sharing "
        "code (below) or your account name.",
        icon=":material/group:",
    )
    st.header("Your sharing code")
    sharing_code.show(str(me.account), key="caseload:code")
    st.stop()

chosen = st.multiselect(
    "Show only the couples flagged for",
    options=list(FLAG_NAMES),
    format_func=lambda flag: FLAG_LABELS[flag],
    key="caseload:flags",
    placeholder="Every flag (all couples)",
)
shown = filtered(rows, chosen)
st.caption(
    f"{len(shown)} of {len(rows)} couples. Couples with more flags come first; click a column's heading "
    "to sort by it, or choose a row (the box at its start) to open that couple. A flag is a reason to "
    "look closer, not a verdict."
)
if not shown:
    st.info("No couple has those flags now.", icon=":material/filter_alt:")
    st.stop()
picked = caseload_table.show(table_rows(shown, trends), key="caseload:table", weeks=TREND_WEEKS)
if picked is not None:
    open_couple(picked)

st.header("Why each couple is flagged")
for row in shown:
    with st.container(border=True, key=f"caseload:{row['couple']}"):
        st.markdown(f"**{escape_markdown(' & '.join(row['names']))}**")
        st.caption(str(row["couple"]))
        if not row["flags"]:
            st.markdown("Nothing asks for attention now.")
        for flag in row["flags"]:
            st.markdown(f"- **{FLAG_LABELS[flag]}**: {escape_markdown(row['reasons'][flag])}")

st.header("Open a couple")
by_handle = {str(r["couple"]): " & ".join(r["names"]) for r in shown}
with st.container(horizontal=True, vertical_alignment="bottom"):
    handle = st.selectbox(
        "Couple",
        options=list(by_handle),
        format_func=lambda h: f"{by_handle[h]} ({h})",
        key="caseload:open",
    )
    if st.button("Open this couple", key="caseload:go", type="primary", icon=":material/arrow_forward:"):
        open_couple(handle)
st.caption(
    "Opening a couple, from its row in the table or here, shows their overview, report and bundle; their "
    "access log records it."
)

st.header("Your sharing code")
sharing_code.show(str(me.account), key="caseload:code")
