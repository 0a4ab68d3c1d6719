"""Accounts mode (SPEC section 8) in the dashboard: only the sign-in page without a session; each
partner sees every page under their own name and never the other's private note (not even a sign of
it); invite your partner, my sign-ins and my tokens; a counselor's caseload. The session cookie reaches
the dashboard through `st.context.cookies`, which AppTest cannot send: the tests hand the cookie to
`dashboard.session.cookies` (the one function that reads it) and everything after it is the real
resolution on the server (`Accounts.actor_for_session` over the store's session table)."""

from __future__ import annotations

from contextlib import suppress

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import session
from repairtrack.services.actors import Actor
from repairtrack.services.couples import Couples
from tests.dashboard.accounts import PASSPHRASE, everything, join, join_counselor, open_as
from tests.dashboard.conftest import APP, COUPLE, TIMEOUT, Store

ANA_SECRET = "anaprivateremark7781"
BEN_SECRET = "benprivateremark9034"
SHARED = "a shared word about the walk"
PAGES = [
    "who",
    "waiting",
    "log",
    "overview",
    "timeline",
    "guidance",
    "export",
    "invite",
    "signins",
    "tokens",
    "sharing",
    "rhythm",
]


@pytest.fixture
def two(couple: Store) -> dict[str, str]:
    """Ana and Ben both joined, each with a private note and a shared one on the timeline, Ben's private
    note on a repair attempt waiting for Ana, and a promise of Ana's."""
    tokens = {"ana": join(couple, "ana"), "ben": join(couple, "ben")}
    couple.record("check_in", by="ana", logged_by="ana", closeness=5, trust=5, note=ANA_SECRET, private=True)
    couple.record("check_in", by="ben", logged_by="ben", closeness=4, trust=4, note=SHARED)
    topic = couple.record(
        "conflict_started", hours_ago=3, by="ben", logged_by="ben", topic="chores", horsemen=[], intensity=2
    )
    couple.record(
        "repair_offered",
        by="ben",
        logged_by="ben",
        conflict=topic,
        kind="apology",
        note=BEN_SECRET,
        private=True,
    )
    couple.record(
        "promise_made",
        by="ana",
        logged_by="ana",
        description="walk together",
        due_at=couple.ago(-48),
    )
    return tokens


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


@pytest.mark.parametrize("page", PAGES)
def test_each_partner_sees_every_page_without_the_others_private_note(
    page: str, two: dict[str, str], cookie: dict[str, str]
) -> None:
    for me, mine, theirs in (("ana", ANA_SECRET, BEN_SECRET), ("ben", BEN_SECRET, ANA_SECRET)):
        at = open_as(page, cookie, two[me])
        shown = everything(at)
        assert theirs not in shown, (me, page)
        assert "Who is here" not in titles(at)
        assert f"Signed in as **{me.title()}**" in [m.value for m in at.sidebar.markdown]
        captions = [c.value for c in at.caption]
        assert ":material/lock: private" not in captions and "Private note" not in captions, (me, page)
        if page == "timeline":
            assert mine in shown and SHARED in shown  # their own private note and the shared one


def test_no_page_shows_anything_without_a_session(two: dict[str, str], cookie: dict[str, str]) -> None:
    for token in (None, "not-a-session", two["ana"] + "x"):
        cookie.clear()
        if token:
            cookie["rt_session"] = token
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.run()
        assert not at.exception, at.exception
        assert titles(at) == ["Sign in"], token
        shown = everything(at)
        assert "action='/auth/signin'" in shown and "name='passphrase'" in shown
        assert "name='remember'" in shown and "Keep me signed in on this device" in shown
        for secret in (ANA_SECRET, BEN_SECRET, SHARED, "Ana", "chores"):
            assert secret not in shown, (token, secret)
        for page in PAGES:  # no other page is even listed
            if page != "who":
                with pytest.raises(ValueError, match="Could not find a navigation page"):
                    at.switch_page(f"pages/{page}.py")


def test_signing_out_on_the_server_ends_the_dashboards_session_on_the_next_rerun(
    two: dict[str, str], cookie: dict[str, str], couple: Store
) -> None:
    at = open_as("timeline", cookie, two["ana"])
    assert "Timeline" in titles(at)
    assert "action='/auth/signout'" in everything(at)
    couple.services.accounts.signout(two["ana"])
    at.run()
    assert not at.exception
    assert "Timeline" not in titles(at)
    assert [b.key for b in at.button] == ["chrome:top:hide"]  # nothing of the page but Hide
    assert "You are signed out now" in at.info[0].value


def test_a_partner_writes_as_themselves(two: dict[str, str], cookie: dict[str, str], couple: Store) -> None:
    at = open_as("waiting", cookie, two["ana"])
    [accept] = [b for b in at.button if (b.key or "").startswith("accept:")]
    accept.click().run()
    assert not at.exception
    stored = couple.last()
    assert stored["type"] == "repair_accepted" and stored["logged_by"] == "ana"
    assert couple.last_source() == "dashboard"


def test_invite_your_partner_shows_a_code_and_a_qr_code(couple: Store, cookie: dict[str, str]) -> None:
    token = join(couple, "ana")
    at = open_as("invite", cookie, token)
    assert "Invite your partner" in titles(at)
    at.button(key="invite:make").click().run()
    assert not at.exception
    code, link = at.session_state["invite:made"]
    assert link.endswith(f"/join/{code}")
    assert code in [c.value for c in at.code] and link in [c.value for c in at.code]
    assert any(m.value.startswith("<svg") and "</svg>" in m.value for m in at.markdown)
    # The code lets Ben join, once; the page then says so.
    couple.services.accounts.join(code, "ben", PASSPHRASE)
    at.run()
    assert any("has joined already" in s.value for s in at.success)


def test_my_tokens_creates_lists_and_revokes(couple: Store, cookie: dict[str, str]) -> None:
    at = open_as("tokens", cookie, join(couple, "ana"))
    at.text_input(key="tokens:label").input("phone shortcut")
    [submit] = [b for b in at.button if (b.key or "").startswith("FormSubmitter:")]
    submit.click().run()
    assert not at.exception
    [token] = [c.value for c in at.code if c.value.startswith("rt_")]
    assert couple.services.accounts.actor_for_token(token) == Actor(
        "partner", account="ana", name="Ana", couple=COUPLE, partner="ana"
    )
    assert "**phone shortcut**" in [m.value for m in at.markdown]
    at.run()  # shown once: gone on the next run
    assert not [c for c in at.code if c.value.startswith("rt_")]
    [revoke] = [b for b in at.button if (b.key or "").startswith("revoke:")]
    revoke.click().run()
    assert not at.exception
    assert "You have no tokens." in [m.value for m in at.markdown]
    assert couple.services.accounts.actor_for_token(token) is None


def test_my_sign_ins_lists_successes_and_failures(couple: Store, cookie: dict[str, str]) -> None:
    token = join(couple, "ana")
    with pytest.raises(Exception, match="not right"):
        couple.services.accounts.signin("ana", "a wrong guess here", "192.0.2.7")
    at = open_as("signins", cookie, token)
    assert "My sign-ins" in titles(at)
    [table] = at.dataframe
    rows = table.value.to_dict("records")
    assert [r["Result"] for r in rows] == ["failed", "signed in"]
    assert rows[0]["From"] == "192.0.2.7"


def test_a_counselor_sees_the_caseload_of_couples_granting_access(
    couple: Store, cookie: dict[str, str]
) -> None:
    ana = join(couple, "ana")
    lee = join_counselor(couple)
    at = open_as("who", cookie, lee)
    assert titles(at) == ["Your caseload"]
    assert "No couple has given you access yet" in at.info[0].value
    actor = couple.services.accounts.actor_for_session(ana)
    assert actor is not None
    Couples(couple.services).grant(actor, COUPLE, "dr-lee", notes=False)
    at.run()
    assert "**Ana & Ben**" in [m.value for m in at.markdown]
    # Not a counselor's page: not listed, or (where AppTest still knows it) showing nothing of a couple.
    with suppress(ValueError):
        at.switch_page("pages/timeline.py").run()
    assert "Timeline" not in titles(at)


def test_the_cookie_is_resolved_on_the_server(couple: Store) -> None:
    services = couple.services
    assert session.resolve(services, {}, COUPLE, "ben") == Actor("open", couple=COUPLE, partner="ben")
    token = join(couple, "ana")
    ana = Actor("partner", account="ana", name="Ana", couple=COUPLE, partner="ana")
    assert (
        session.resolve(services, {"rt_session": token}, COUPLE, "ben") == ana
    )  # the screen's choice counts not
    assert session.resolve(services, {}, COUPLE, "ana") is None
    assert session.resolve(services, {"rt_session": "forged"}, COUPLE, "ana") is None
    services.accounts.disable("ana")
    assert session.resolve(services, {"rt_session": token}, None, None) is None


def test_open_mode_offers_to_protect_the_store(couple: Store) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/protect.py").run()
    assert not at.exception
    assert titles(at) == ["Protect this with accounts"]
    assert any("repairtrack account invite" in c.value for c in at.code)
