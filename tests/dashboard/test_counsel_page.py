"""One couple as their counselor sees it (pages/counsel.py, accounts mode): the overview cards and charts
read only (no button that writes an entry), "since the last session" once a session day is recorded
(and the partners read that day), the report and the bundle, each opening in the couple's access log
through the service, and after a revocation one plain sentence on the next rerun."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components import report_bundle
from repairtrack.services.actors import Actor
from repairtrack.services.couples import Couples
from repairtrack.services.permissions import NotAllowed
from tests.dashboard.accounts import join_counselor
from tests.dashboard.conftest import APP, COUPLE, TIMEOUT, Store

OPERATOR = Actor("operator")
ANA = Actor("partner", account="ana", name="Ana", couple=COUPLE, partner="ana")
LEE = Actor("counselor", account="dr-lee", name="Dr. Lee")
BUNDLE_TIMEOUT = 180  # seconds: the bundle makes a PDF
GONE = "This couple no longer shares their data with you."
# What a counselor may press here: hide the screen, record a session day, prepare the bundle, download it.
READ_ONLY = {"chrome:top:hide", "counsel:make", "counsel:download"}


@pytest.fixture
def granted(couple: Store, cookie: dict[str, str]) -> Store:
    """Ana & Ben with a few weeks of entries grant Dr. Lee access; Dr. Lee is signed in."""
    for day in range(0, 30, 3):
        couple.record(
            "check_in",
            hours_ago=24 * day + 2,
            by="ana",
            logged_by="ana",
            closeness=5,
            trust=5,
            csi4=[3, 3, 3, 3],
        )
        couple.record("check_in", hours_ago=24 * day + 1, by="ben", logged_by="ben", closeness=4, trust=4)
    cookie["rt_session"] = join_counselor(couple)
    Couples(couple.services).grant(OPERATOR, COUPLE, "dr-lee", notes=False)
    return couple


def opened() -> AppTest:
    """The app, then the couple opened from the caseload."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.selectbox(key="caseload:open").select(COUPLE).run()
    at.button(key="caseload:go").click().run()
    assert not at.exception, at.exception
    return at


def kinds(store: Store) -> list[str]:
    return [o.kind for o in store.services.access.access_log(COUPLE)]


def test_the_couple_read_only(granted: Store) -> None:
    at = opened()
    assert [t.value for t in at.title] == ["Ana & Ben"]
    assert len(at.metric) >= 5  # the couple's cards and each partner's
    keys = {b.key for b in at.button if b.key and not b.key.startswith("FormSubmitter:counsel:session")}
    assert keys <= READ_ONLY, keys
    assert kinds(granted) == ["overview"]
    assert "No session recorded yet." in " ".join(i.value for i in at.info)


def test_the_whole_overview_in_words_for_the_counselor(granted: Store) -> None:
    granted.record(
        "conflict_started", hours_ago=5, by="ben", logged_by="ben", topic="money", horsemen=[], intensity=2
    )
    at = opened()
    assert not at.exception, at.exception
    headers = [h.value for h in at.header]
    assert headers == ["Each partner", "Week by week", "Conflicts"]
    labels = [t.label for t in at.tabs]
    for group in ("Repairs and promises", "Bids and balance", "Check-ins", "Activity"):
        assert group in labels
    titles = [json.loads(c.proto.spec)["description"] for c in at.get("vega_lite_chart")]
    assert titles == [
        "Trust consistency at the end of each week",
        "Satisfaction (CSI-4) of each partner",
        "Closeness at check-ins (1-10), each partner",
        "Trust at check-ins (1-10), each partner",
        "What they logged, by week",
        "Horsemen named on conflicts in the window",
    ]
    assert len(at.dataframe) == len(titles)  # each chart with its table
    empty = {i.value for i in at.info}
    assert {
        "No repair attempt answered and no promise due yet in these weeks.",
        "No bids for connection logged in these weeks yet.",
        "No appreciations, bids or horsemen logged in this window yet.",
    } <= empty  # the other three charts of the overview, with nothing to draw
    markdown = [m.value for m in at.markdown]
    assert "Repaired 0 of 1 conflict started in the window." in markdown
    assert "**Recurring topics** (3 or more conflicts in the last 30 days): none" in markdown
    words = [*titles, *markdown, *(c.value for c in at.caption), *(m.help for m in at.metric)]
    assert any("what they logged" in w for w in words)
    assert not [w for w in words if "you logged" in w or "two of you" in w], words
    assert (
        "Counts of what they logged each week; more is not better, it only shows what the figures rest on."
        in [c.value for c in at.caption]
    )


def test_a_session_day_shows_the_figures_since_then_and_the_partners_see_it(granted: Store) -> None:
    at = opened()
    local_today = datetime.now(UTC).astimezone(ZoneInfo("Europe/Berlin")).date()
    day = local_today - timedelta(days=6)
    at.date_input(key="counsel:day").set_value(day)
    [submit] = [b for b in at.button if (b.key or "").startswith("FormSubmitter:counsel:session")]
    submit.click().run()
    assert not at.exception, at.exception
    assert any("recorded" in s.value for s in at.success)
    shown = [m.value for m in at.markdown]
    assert (
        f"**Since the last session, {day.isoformat()}**: the last 6 days up to now, against the 6 before."
        in shown
    )
    assert at.metric  # the figures since then
    # each partner's too: their cards in the overview tab and again since the session
    assert [m.label for m in at.metric].count("Repair attempts accepted") == 4
    service = Couples(granted.services)
    assert service.session_dates(LEE, COUPLE) == [day]
    assert service.session_dates(ANA, COUPLE) == [day]  # the partners read it
    assert service.sessions(ANA, COUPLE) == [
        {"day": day.isoformat(), "counselor": "dr-lee", "name": "Dr. Lee"}
    ]
    with pytest.raises(NotAllowed):
        service.sessions(LEE, COUPLE)
    submit.click().run()
    assert any("recorded already" in i.value for i in at.info)


def test_report_and_bundle_are_in_the_access_log(granted: Store) -> None:
    at = opened()
    at.button(key="counsel:make").click().run(timeout=BUNDLE_TIMEOUT)
    assert not at.exception, at.exception
    assert at.get("download_button")
    assert sorted(set(kinds(granted))) == ["bundle", "overview", "report"]
    assert [o["name"] for o in Couples(granted.services).access_log(ANA, COUPLE)] == ["Dr. Lee"] * 3


def test_after_a_revocation_the_page_shows_nothing_more(granted: Store) -> None:
    at = opened()
    at.button(key="counsel:make").click().run(timeout=BUNDLE_TIMEOUT)
    Couples(granted.services).revoke(OPERATOR, COUPLE, "dr-lee")
    at.run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [GONE]
    assert not at.metric and not at.title and not at.get("download_button") and not at.get("iframe")


def made_window(at: AppTest) -> int:
    """The window of the bundle the page made, as its metrics.json says."""
    archive = zipfile.ZipFile(io.BytesIO(at.session_state["counsel:made"]["zip"]))
    window: int = json.loads(archive.read("metrics.json"))["window_days"]
    return window


def test_the_report_covers_the_period_chosen(granted: Store) -> None:
    at = opened()
    period = at.selectbox(key="counsel:period")
    assert period.value == 28 and period.options == [f"Last {d} days" for d in (7, 14, 28, 56, 91)]
    period.set_value(14).run()
    assert any("(the last 14 days, up to now)" in m.value for m in at.markdown)
    at.button(key="counsel:make").click().run(timeout=BUNDLE_TIMEOUT)
    assert not at.exception, at.exception
    assert made_window(at) == 14
    assert "the last 14 days" in at.session_state["counsel:made"]["html"]
    assert at.get("download_button")

    at.selectbox(key="counsel:period").set_value(28).run()  # a bundle for another period is not offered
    assert not at.get("download_button") and not at.get("iframe")
    assert "The bundle prepared before covers the last 14 days; prepare it again for the last 28 days." in [
        c.value for c in at.caption
    ]


def test_the_report_since_the_last_session(granted: Store) -> None:
    local_today = datetime.now(UTC).astimezone(ZoneInfo("Europe/Berlin")).date()
    day = local_today - timedelta(days=9)
    Couples(granted.services).record_session_date(LEE, COUPLE, day)
    at = opened()
    period = at.selectbox(key="counsel:period")
    label = f"Since the last session, {day.isoformat()} (9 days)"
    assert period.options[-1] == label
    period.set_value(report_bundle.SINCE).run()
    words = f"(the 9 days since the last session, {day.isoformat()}, up to now)"
    assert any(words in m.value for m in at.markdown)
    at.button(key="counsel:make").click().run(timeout=BUNDLE_TIMEOUT)
    assert not at.exception, at.exception
    assert made_window(at) == 9
    assert at.get("download_button")


def test_since_the_last_session_is_at_least_one_day() -> None:
    today = datetime(2026, 3, 2).date()
    assert report_bundle.since_last([], today) is None
    assert report_bundle.since_last([today], today) == 1
    assert report_bundle.since_last([today - timedelta(days=5), today - timedelta(days=30)], today) == 5
    assert report_bundle.period_words(1, today) == "the 1 day since the last session, 2026-03-02"
