"""One couple as their counselor sees it (accounts mode, reached from the caseload): the overview figures
and weekly charts (read only: a counselor never writes), the report and the bundle, and "since the last
session": the counselor records the days of their sessions (events of the couple, which the partners see)
and the figures are read from the last one to now.

Every read goes through the service layer, which records the counselor's openings in the couple's access
log (overview, report, bundle). A couple that ends the counselor's access is gone on the next rerun."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from dashboard.components import account, caseload_table, chart_view, chrome, metric_cards
from dashboard.store import couples, household, reading
from projections import charts
from projections.presenting import (
    csi4_note,
    escape_markdown,
    local_text,
    overview_cards,
    partner_cards,
    partner_table,
    rates_table,
    recent_weeks,
    today,
    trust_table,
)
from repairtrack.services.export import ExportOptions

WINDOW = 28
WEEKS_SHOWN = 26
MADE = "counsel:made"  # the bundle made in this session: {couple, filename, zip, html}
GONE = "This couple no longer shares their data with you."

chrome.show(key="chrome")
me = account.required()
if me.kind != "counselor":
    st.info("This page is for counselors.", icon=":material/groups:")
    st.stop()
handle = st.session_state.get(caseload_table.OPEN)
if not isinstance(handle, str) or not handle:
    st.info("Choose a couple on your caseload first.", icon=":material/groups:")
    st.page_link("pages/caseload.py", label="Go to your caseload", icon=":material/arrow_back:")
    st.stop()


def gone() -> None:
    st.session_state.pop(MADE, None)
    st.info(GONE, icon=":material/lock:")
    st.page_link("pages/caseload.py", label="Back to your caseload", icon=":material/arrow_back:")
    st.stop()


found = household(handle, me)  # asked afresh on every rerun: access may have ended
if found is None:
    gone()
assert found is not None
names, zone = found.names, found.timezone
service = couples()
now = datetime.now(UTC)
try:
    with reading() as view:
        current = service.metrics(me, handle, now, WINDOW, view=view)
        previous = service.metrics(me, handle, now - timedelta(days=WINDOW), WINDOW, view=view)
        days = service.session_dates(me, handle)
except LookupError:
    gone()

st.title(escape_markdown(" & ".join(names.values())))
st.caption(f"{handle} · times in {zone} · you read their figures; only they write them.")
st.page_link("pages/caseload.py", label="Back to your caseload", icon=":material/arrow_back:")
overview, since, report = st.tabs(
    ["Overview", "Since the last session", "Report and bundle"], key="counsel:tabs"
)

with overview:
    if not current["weekly"]:
        st.info("Nothing logged yet.", icon=":material/insights:")
    else:
        metric_cards.show(overview_cards(current, previous), key="counsel:cards")
        st.caption(
            f"The last {WINDOW} days up to {local_text(now, zone)} ({zone}); the small figure is the change "
            f"against the {WINDOW} days before."
        )
        by_partner = partner_cards(current, previous, names)
        for column, (partner, name) in zip(st.columns(len(names)), names.items(), strict=True):
            with column:
                st.markdown(f"**{escape_markdown(name)}**")
                metric_cards.show(by_partner[partner], key=f"counsel:partner:{partner}", columns=1)
                st.caption(csi4_note(current["check_ins"]["by_partner"][partner]))
        weekly = recent_weeks(current["weekly"], WEEKS_SHOWN)
        left, right = st.columns(2)
        with left:
            chart_view.show(
                charts.weekly_rates(weekly),
                rates_table(weekly),
                key="counsel:chart:rates",
                caption=charts.reference_note("rates"),
                has_data=bool(charts.rate_rows(weekly)),
                empty="No repair attempt answered and no promise due yet in these weeks.",
            )
        with right:
            chart_view.show(
                charts.trust_consistency(weekly),
                trust_table(weekly),
                key="counsel:chart:trust",
                caption=charts.reference_note("trust_consistency"),
            )
        chart_view.show(
            charts.csi4_by_partner(weekly, names),
            partner_table(weekly, names, "mean_csi4"),
            key="counsel:chart:csi4",
            caption=charts.reference_note("csi4"),
            has_data=bool(charts.partner_rows(weekly, names, "mean_csi4")),
            empty="No satisfaction questions (CSI-4) answered in these weeks yet.",
        )

with since:
    local_today = today(zone, now)
    with st.form("counsel:session", border=True):
        day = st.date_input("Day of a session", value=local_today, max_value=local_today, key="counsel:day")
        record = st.form_submit_button("Record this session", icon=":material/event_available:")
    if record:
        try:
            added = service.record_session_date(me, handle, day)
        except LookupError:
            gone()
        if added:
            st.success(
                f"Session of {day.isoformat()} recorded. The couple sees it too.", icon=":material/check:"
            )
        else:
            st.info(f"The session of {day.isoformat()} was recorded already.", icon=":material/info:")
        days = service.session_dates(me, handle)
    if not days:
        st.info(
            "No session recorded yet. Record the day of your last session above; the figures since then "
            "then show here.",
            icon=":material/event:",
        )
    else:
        last = days[0]
        window = max(1, (local_today - last).days)
        with reading() as view:
            after = service.metrics(me, handle, now, window, view=view)
            before = service.metrics(me, handle, now - timedelta(days=window), window, view=view)
        st.markdown(
            f"**Since the last session, {last.isoformat()}**: the last {window} "
            f"{'day' if window == 1 else 'days'} up to now, against the {window} before."
        )
        metric_cards.show(overview_cards(after, before), key="counsel:since:cards")
        st.caption("Sessions recorded: " + ", ".join(d.isoformat() for d in days))

with report:
    st.write(
        "The couple's report and the data it was made from (the last 28 days, up to now), as they would "
        "export it for you: never a private note, other notes only if they share notes with you."
    )
    if st.button("Prepare the report and the bundle", key="counsel:make", icon=":material/folder_zip:"):
        try:
            with st.spinner("Making the report and the PDF…", show_time=True):
                bundle = service.export(
                    me, handle, ExportOptions(couple=handle, window_days=WINDOW, include_notes=True)
                )
        except LookupError:
            gone()
        st.session_state[MADE] = {
            "couple": handle,
            "filename": bundle.filename,
            "zip": bundle.zip_bytes(),
            "html": bundle.html,
        }
    made = st.session_state.get(MADE)
    if made is not None and made["couple"] == handle:
        service.opened(me, handle, "report")
        st.download_button(
            "Download the bundle",
            data=made["zip"],
            file_name=made["filename"],
            mime="application/zip",
            key="counsel:download",
            type="primary",
            icon=":material/download:",
            on_click="ignore",
        )
        st.iframe(made["html"], height=900)
