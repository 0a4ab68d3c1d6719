"""Overview: how you are doing over a window of days, against the window before and, where the research
allows, against Gottman's reference points."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import streamlit as st

from dashboard.components import chrome, notice, overview_charts, who
from dashboard.store import couples, reading
from projections.presenting import end_of_day, local_text, today

WINDOWS = (7, 14, 28, 56, 91)
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

overview_charts.headline(
    current,
    previous,
    kept_early,
    key="overview:cards",
    voice=overview_charts.YOU,
    caption=f"The last {window} days up to {local_text(as_of, zone)} ({zone}). The small figure under each "
    f"card is the change against the {window} days before; none is shown when either side has nothing to "
    "compare.",
    names=names,
    zone=zone,
)
overview_charts.partners(current, previous, names, key="overview:partner", voice=overview_charts.YOU)
overview_charts.week_by_week(current, names, key="chart", tabs="overview:groups", voice=overview_charts.YOU)
overview_charts.conflicts(current, key="chart")
