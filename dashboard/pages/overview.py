"""Overview: how you are doing over a window of days, against the window before and, where the research
allows, against Gottman's reference points."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import streamlit as st

from dashboard.components import chart_view, chrome, metric_cards, notice, overview_charts, who
from dashboard.store import couples, reading
from projections import charts
from projections.presenting import (
    activity_table,
    end_of_day,
    escape_markdown,
    horsemen_table,
    local_text,
    overview_cards,
    partner_table,
    positive_negative_table,
    recent_weeks,
    repair_summary,
    today,
    turn_toward_table,
)
from projections.promise_words import kept_early_note

WINDOWS = (7, 14, 28, 56, 91)
WEEKS_SHOWN = 26
# On a phone the metric cards sit two to a row instead of one (dashboard/static/overview.css).
COMPACT = (Path(__file__).resolve().parents[1] / "static" / "overview.css").read_text(encoding="utf-8")

chrome.show(key="chrome")
house, partner, actor = who.required()
names, zone = house.names, house.timezone
now = datetime.now(UTC)

st.title("Overview")
st.html(COMPACT)
with st.container(horizontal=True):
    window = st.selectbox(
        "Window",
        options=WINDOWS,
        index=WINDOWS.index(28),
        format_func=lambda d: f"Last {d} days",
        key="overview:window",
    )
    day = st.date_input("As of", value=today(zone, now), max_value=today(zone, now), key="overview:as_of")
as_of = now if day == today(zone, now) else end_of_day(day, zone)

with reading() as view:
    service = couples()
    current = service.metrics(actor, house.handle, as_of, window, view=view)
    previous = service.metrics(actor, house.handle, as_of - timedelta(days=window), window, view=view)
    kept_early = service.kept_early(actor, house.handle, as_of, view=view)

if not current["weekly"]:
    notice.stop(
        "Nothing logged yet. A good first step: each of you logs a check-in (how close and how trusting it "
        "feels today). Then log repair attempts, promises and appreciations as they happen.",
        icon=":material/insights:",
        page="pages/log.py",
        label="Log your first check-in",
        link_icon=":material/edit:",
    )

metric_cards.show(overview_cards(current, previous), key="overview:cards")
st.caption(
    f"The last {window} days up to {local_text(as_of, zone)} ({zone}). The small figure under each card "
    f"is the change against the {window} days before; none is shown when either side has nothing to compare."
)
if (early := kept_early_note(kept_early, names, zone)) is not None:
    st.caption(f":material/event_available: {escape_markdown(early)}")

st.header("Each of you")
overview_charts.partners(current, previous, names, key="overview:partner")
st.caption("Side by side, not a contest: each figure is about what the two of you did together.")

st.header("Week by week")
weekly = recent_weeks(current["weekly"], WEEKS_SHOWN)
bids = current["bids"]["total"]
pn = current["positive_negative"]
# One tab per group of charts keeps the page short on a phone; side by side where the screen is wide.
repairs, connection, check_ins, activity = st.tabs(
    ["Repairs and promises", "Bids and balance", "Check-ins", "Activity"], key="overview:groups"
)
with repairs:
    overview_charts.repairs_and_promises(weekly, key="chart")
with connection:
    left, right = st.columns(2)
    with left:
        chart_view.show(
            charts.turn_toward(weekly, bids),
            turn_toward_table(weekly),
            key="chart:bids",
            caption=charts.reference_note("turn_toward", bids),
            has_data=bool(charts.turn_toward_rows(weekly)),
            empty="No bids for connection logged in these weeks yet.",
        )
    with right:
        chart_view.show(
            charts.positive_negative(pn, bids),
            positive_negative_table(pn),
            key="chart:balance",
            caption=charts.reference_note("positive_negative", bids),
            has_data=bool(pn["positive"] or pn["negative"]),
            empty="No appreciations, bids or horsemen logged in this window yet.",
        )
with check_ins:
    overview_charts.satisfaction(
        weekly,
        names,
        key="chart",
        empty="No satisfaction questions (CSI-4) answered in these weeks yet; they are part of a check-in.",
    )
    left, right = st.columns(2)
    for column, measure in ((left, "mean_closeness"), (right, "mean_trust")):
        with column:
            chart_view.show(
                charts.check_ins_by_partner(weekly, names, measure),
                partner_table(weekly, names, measure),
                key=f"chart:{measure}",
                has_data=bool(charts.partner_rows(weekly, names, measure)),
                empty="No check-ins in these weeks yet.",
            )
with activity:
    chart_view.show(
        charts.weekly_activity(weekly),
        activity_table(weekly),
        key="chart:activity",
        caption="Counts of what you logged each week; more is not better, it only shows what the figures "
        "rest on.",
    )

st.header("Conflicts")
conflicts = current["conflicts"]
left, right = st.columns(2)
with left:
    st.markdown(repair_summary(conflicts))
    topics = conflicts["recurring_topics"]
    st.markdown(
        "**Recurring topics** (3 or more conflicts in the last 30 days): "
        + (", ".join(f"“{escape_markdown(t)}”" for t in topics) if topics else "none")
    )
    st.caption(f"{conflicts['started']} started and {conflicts['resolved']} resolved in the window.")
with right:
    chart_view.show(
        charts.horsemen(conflicts["horsemen"]),
        horsemen_table(conflicts["horsemen"]),
        key="chart:horsemen",
        has_data=bool(conflicts["started"]),
        empty="No conflicts started in this window.",
    )
