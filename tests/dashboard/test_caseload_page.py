"""The counselor's home (accounts mode): the caseload lists exactly the couples that grant the counselor
access, with their flags and every flag's reason in words, sortable with sparklines; the filter by flag;
the empty state; opening a couple. The caseload opens no couple: nothing reaches the access logs."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components import caseload_table
from projections.presenting import escape_markdown
from repairtrack.services.actors import Actor
from repairtrack.services.couples import Couples
from repairtrack.services.permissions import NotAllowed
from tests.dashboard.accounts import join_counselor
from tests.dashboard.conftest import APP, COUPLE, TIMEOUT, Store

OPERATOR = Actor("operator")
OTHERS = ("cara-dan", "eli-fay")


@pytest.fixture
def caseload(couple: Store, cookie: dict[str, str]) -> Store:
    """Three couples; Ana & Ben (a low CSI-4 and contempt) and Cara & Dan (doing well) grant Dr. Lee
    access, Eli & Fay do not. Dr. Lee is signed in."""
    for handle in OTHERS:
        couple.register(handle)
    couple.record("check_in", by="ana", logged_by="ana", closeness=3, trust=3, csi4=[2, 2, 2, 1])
    couple.record(
        "conflict_started",
        hours_ago=5,
        by="ben",
        logged_by="ben",
        topic="money",
        horsemen=["contempt"],
        intensity=3,
    )
    couple.record(
        "check_in", couple="cara-dan", by="ana", logged_by="ana", closeness=6, trust=6, csi4=[5, 5, 5, 5]
    )
    couple.record(
        "check_in", couple="eli-fay", by="ana", logged_by="ana", closeness=1, trust=1, csi4=[0, 0, 0, 0]
    )
    cookie["rt_session"] = join_counselor(couple)
    service = Couples(couple.services)
    for handle in (COUPLE, "cara-dan"):
        service.grant(OPERATOR, handle, "dr-lee", notes=False)
    return couple


def home() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest) -> list[dict[str, object]]:
    [frame] = at.dataframe
    rows: list[dict[str, object]] = frame.value.to_dict("records")
    return rows


def listed(cell: Any) -> list[Any]:
    """A list cell of the table (numpy arrays in the frame AppTest gives back)."""
    return list(cell)


def test_the_caseload_lists_exactly_the_granting_couples_with_flags_and_reasons(caseload: Store) -> None:
    at = home()
    assert [t.value for t in at.title] == ["Your caseload"]
    rows = table(at)
    assert [r["couple"] for r in rows] == [COUPLE, "cara-dan"]  # more flags first; Eli & Fay never
    ana_ben = rows[0]
    assert listed(ana_ben["flags"]) == ["Low satisfaction", "Contempt named"]
    expected = Couples(caseload.services).caseload(Actor("counselor", account="dr-lee"))
    reasons = expected[0]["reasons"]
    assert set(reasons) == {"csi4_below_cutoff", "contempt"}
    assert ana_ben["why"] == " ".join(reasons.values())
    assert ana_ben["csi4_latest"] == "Ana 7 · Ben —" and ana_ben["csi4_lowest"] == 7
    assert listed(ana_ben["csi4_first"]) == [7.0]
    assert listed(rows[1]["flags"]) == []
    shown = [m.value for m in at.markdown]
    assert "**Ana & Ben**" in shown
    assert f"- **Contempt named**: {escape_markdown(reasons['contempt'])}" in shown
    for handle in (COUPLE, "cara-dan", "eli-fay"):  # the caseload opens no couple
        assert caseload.services.access.access_log(handle) == []


def test_the_filter_by_flag(caseload: Store) -> None:
    at = home()
    at.multiselect(key="caseload:flags").select("contempt").run()
    assert not at.exception
    assert [r["couple"] for r in table(at)] == [COUPLE]
    at.multiselect(key="caseload:flags").unselect("contempt").select("quiet").run()
    assert not at.dataframe
    assert "No couple has those flags now." in [i.value for i in at.info]


def test_a_revocation_takes_the_couple_off_on_the_next_rerun(caseload: Store) -> None:
    at = home()
    assert len(table(at)) == 2
    Couples(caseload.services).revoke(OPERATOR, "cara-dan", "dr-lee")
    at.run()
    assert [r["couple"] for r in table(at)] == [COUPLE]


def test_opening_a_couple(caseload: Store) -> None:
    at = home()
    at.selectbox(key="caseload:open").select("cara-dan").run()
    at.button(key="caseload:go").click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Ana & Ben"]  # Cara & Dan's partners are named Ana and Ben too
    assert at.session_state["counsel:couple"] == "cara-dan"
    assert [o.kind for o in caseload.services.access.access_log("cara-dan")] == ["overview"]


def test_the_trends_of_every_couple_come_from_one_call(caseload: Store) -> None:
    service = Couples(caseload.services)
    lee = Actor("counselor", account="dr-lee")
    trends = service.caseload_trends(lee, weeks=4)
    assert set(trends) == {COUPLE, "cara-dan"}
    ana_ben = trends[COUPLE]
    assert len(ana_ben["weeks"]) == 4 and ana_ben["weeks"] == sorted(ana_ben["weeks"])
    assert ana_ben["csi4"] == {"ana": [None, None, None, 7.0], "ben": [None, None, None, None]}
    assert ana_ben["trust_consistency"] == [50.0] * 4
    assert ana_ben["acceptance_rate"] == [None] * 4
    assert trends["cara-dan"]["csi4"]["ana"] == [None, None, None, 20.0]
    with pytest.raises(NotAllowed):
        service.caseload_trends(Actor("partner", account="ana", name="Ana", couple=COUPLE, partner="ana"))


def test_choosing_a_row_of_the_table_opens_that_couple(caseload: Store) -> None:
    at = home()
    assert any("choose a row" in c.value for c in at.caption)
    assert [r["couple"] for r in table(at)] == [COUPLE, "cara-dan"]
    at.session_state["caseload:table"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["counsel:couple"] == "cara-dan"
    assert [t.value for t in at.title] == ["Ana & Ben"]  # Cara & Dan's partners are named Ana and Ben too
    assert [o.kind for o in caseload.services.access.access_log("cara-dan")] == ["overview"]
    assert caseload.services.access.access_log(COUPLE) == []
    at.switch_page("pages/caseload.py").run()  # back to the caseload: it stays there
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Your caseload"]


def test_a_selected_row_maps_to_the_couple_shown_in_it() -> None:
    records = [{"couple": COUPLE}, {"couple": "cara-dan"}]
    assert caseload_table.chosen(records, [1]) == "cara-dan"
    assert caseload_table.chosen(records, [0]) == COUPLE
    assert caseload_table.chosen(records, []) is None  # nothing selected
    assert caseload_table.chosen(records, [2]) is None  # a row no longer shown (the filter changed)


def test_a_counselor_makes_a_sharing_code_and_a_new_one(couple: Store, cookie: dict[str, str]) -> None:
    cookie["rt_session"] = join_counselor(couple)
    at = home()
    assert "No couple has given you access yet" in at.info[0].value
    assert not at.code
    at.button(key="caseload:code:make").click().run()
    assert not at.exception, at.exception
    code = couple.services.accounts.sharing_code("dr-lee")
    assert code is not None and [c.value for c in at.code] == [code]
    assert "Your new sharing code is ready" in at.success[0].value
    at.button(key="caseload:code:make").click().run()
    newer = couple.services.accounts.sharing_code("dr-lee")
    assert newer not in (None, code) and [c.value for c in at.code] == [newer]
    assert couple.services.accounts.counselor_for_code(code) is None  # the code before no longer works


def test_the_sharing_code_stays_under_the_caseload(caseload: Store) -> None:
    code = caseload.services.accounts.new_sharing_code("dr-lee")
    at = home()
    assert [c.value for c in at.code] == [code]
    assert at.button(key="caseload:code:make").label == "Make a new sharing code"
