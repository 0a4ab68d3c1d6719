"""One couple as their counselor sees it (accounts mode, reached from the caseload): the overview figures
and weekly charts (read only: a counselor never writes), the report and the bundle, and "since the last
session": the counselor records the days of their sessions (events of the couple, which the partners see)
and the figures are read from the last one to now.

Every read goes through the service layer, which records the counselor's openings in the couple's access
log (overview, report, bundle). A couple that ends the counselor's access is gone on the next rerun."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NoReturn

import streamlit as st

from dashboard.components import (
    account,
    caseload_table,
    chrome,
    metric_cards,
    notice,
    overview_charts,
    report_bundle,
)
from dashboard.store import couples, household, reading
from projections.presenting import escape_markdown, local_text, overview_cards, today
from repairtrack.services.export import ExportOptions

WINDOW = 28
MADE = "counsel:made"  # the bundle made in this session: {couple, filename, zip, html}
GONE = "This couple no longer shares their data with you."

chrome.show(key="chrome")
me = account.required()
if me.kind != "counselor":
    st.info("This page is for counselors.", icon=":material/groups:")
    st.stop()
handle = st.session_state.get(caseload_table.OPEN)
if not isinstance(handle, str) or not handle:
    notice.stop(
        "Choose a couple on your caseload first.",
        icon=":material/groups:",
        page="pages/caseload.py",
        label="Go to your caseload",
        link_icon=":material/arrow_back:",
    )


def gone() -> NoReturn:
    st.session_state.pop(MADE, None)
    notice.stop(
        GONE,
        icon=":material/lock:",
        page="pages/caseload.py",
        label="Back to your caseload",
        link_icon=":material/arrow_back:",
    )


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
        kept_early = service.kept_early(me, handle, now, view=view)
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
        overview_charts.headline(
            current,
            previous,
            kept_early,
            key="counsel:cards",
            voice=overview_charts.THEY,
            caption=f"The last {WINDOW} days up to {local_text(now, zone)} ({zone}); the small figure is the "
            f"change against the {WINDOW} days before.",
            names=names,
            zone=zone,
        )
        overview_charts.partners(current, previous, names, key="counsel:partner", voice=overview_charts.THEY)
        overview_charts.week_by_week(
            current, names, key="counsel:chart", tabs="counsel:groups", voice=overview_charts.THEY
        )
        overview_charts.conflicts(current, key="counsel:chart")

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
        window = report_bundle.since_last(days, local_today) or 1
        with reading() as view:
            after = service.metrics(me, handle, now, window, view=view)
            before = service.metrics(me, handle, now - timedelta(days=window), window, view=view)
        st.markdown(
            f"**Since the last session, {last.isoformat()}**: the last {window} "
            f"{'day' if window == 1 else 'days'} up to now, against the {window} before."
        )
        metric_cards.show(
            overview_cards(after, before, overview_charts.THEY.logged), key="counsel:since:cards"
        )
        overview_charts.partners(
            after, before, names, key="counsel:since:partner", voice=overview_charts.THEY
        )
        st.caption("Sessions recorded: " + ", ".join(d.isoformat() for d in days))

with report:
    window_days, period = report_bundle.choose_period(days, local_today, key="counsel:period")
    st.write(
        f"The couple's report and the data it was made from ({period}, up to now), as they would export it "
        "for you: never a private note, other notes only if they share notes with you."
    )
    if st.button("Prepare the report and the bundle", key="counsel:make", icon=":material/folder_zip:"):
        try:
            with st.spinner("Making the report and the PDF…", show_time=True):
                bundle = service.export(
                    me, handle, ExportOptions(couple=handle, window_days=window_days, include_notes=True)
                )
        except LookupError:
            gone()
        st.session_state[MADE] = {**report_bundle.kept(bundle, handle), "period": period}
    made = st.session_state.get(MADE)
    if made is not None and made["couple"] == handle and made["window_days"] == window_days:
        service.opened(me, handle, "report")
        report_bundle.download(made, key="counsel:download")
        report_bundle.preview(made)
    elif made is not None and made["couple"] == handle:
        st.caption(
            f"The bundle prepared before covers {made['period']}; prepare it again for {period}.",
        )
