"""Who can see our data (accounts mode): the counselors a couple gave access to, listed for both partners;
giving access by a counselor's account name (a sentence for an unknown name or a partner's); ending it;
the access log of a counselor's reads, newest first in the couple's zone; hostile names shown as written.
The session cookie reaches the dashboard through `dashboard.session.cookies`, as in
tests/dashboard/test_accounts_pages.py; everything after it is the real resolution on the server."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from streamlit.testing.v1 import AppTest

from projections.presenting import escape_markdown
from repairtrack.services.couples import Couples
from tests.dashboard.accounts import PASSPHRASE, counselor, everything, join, join_counselor, open_as
from tests.dashboard.conftest import COUPLE, Store, submit

LEE = escape_markdown("Dr. Lee")  # as Markdown shows it: "Dr. Lee"
HOSTILE = "**Dr** <img src=x onerror=alert(1)> [Lee](http://evil.example) :red[x]"


@pytest.fixture
def partners(couple: Store) -> dict[str, str]:
    """Ana and Ben both signed in (their session tokens), and a counselor's account "dr-lee"."""
    tokens = {"ana": join(couple, "ana"), "ben": join(couple, "ben")}
    join_counselor(couple)
    return tokens


def grant(at: AppTest, name: str, *, notes: bool = False) -> AppTest:
    at.text_input(key="sharing:counselor").input(name)
    if notes:
        at.checkbox(key="sharing:notes").check()
    return submit(at, "Give access")


def markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_a_grant_is_listed_for_both_partners_and_either_ends_it(
    partners: dict[str, str], cookie: dict[str, str], couple: Store
) -> None:
    at = open_as("sharing", cookie, partners["ana"])
    assert [t.value for t in at.title] == ["Who can see our data"]
    assert "No counselor can see your data." in markdown(at)
    grant(at, "dr-lee", notes=True)
    assert f"{LEE} can now see your entries and figures, with the notes you share." in [
        s.value for s in at.success
    ]
    assert at.text_input(key="sharing:counselor").value == ""
    [stored] = couple.services.access.grants(COUPLE)
    assert (stored.counselor, stored.notes, stored.by) == ("dr-lee", True, "ana")
    for me in ("ana", "ben"):
        at = open_as("sharing", cookie, partners[me])
        assert f"**{LEE}** (dr\\-lee)" in markdown(at)
        [caption] = [c.value for c in at.caption if c.value.startswith("Sees your entries")]
        assert "with the notes you share" in caption and "given by Ana on " in caption
    # Ben stops the notes, then ends the access; the counselor's next read is refused.
    at.button(key="sharing:notes:dr-lee").click().run()
    assert couple.services.access.grants(COUPLE)[0].notes is False
    at.button(key="sharing:revoke:dr-lee").click().run()
    assert not at.exception
    assert f"{LEE} can no longer see your data, from their next click on." in [s.value for s in at.success]
    assert "No counselor can see your data." in markdown(at)
    assert couple.services.access.grants(COUPLE) == []
    with pytest.raises(LookupError):
        Couples(couple.services).metrics(counselor(couple), COUPLE)


@pytest.mark.parametrize("name", ["dr-nobody", "ben", ""])
def test_an_unknown_name_or_a_partners_account_gets_a_sentence(
    name: str, partners: dict[str, str], cookie: dict[str, str], couple: Store
) -> None:
    at = open_as("sharing", cookie, partners["ana"])
    grant(at, name)
    [error] = at.error
    assert error.value.startswith("That did not work: ")
    if name:
        assert escape_markdown(f"there is no counselor's account '{name}'") in error.value
    assert "Check the account name with your counselor" in error.value
    assert "Error" not in error.value and "Traceback" not in error.value
    assert couple.services.access.grants(COUPLE) == []


def test_the_access_log_lists_a_counselors_reads_newest_first_in_the_couples_zone(
    partners: dict[str, str], cookie: dict[str, str], couple: Store
) -> None:
    ana = couple.services.accounts.actor_for_session(partners["ana"])
    assert ana is not None
    service = Couples(couple.services)
    service.grant(ana, COUPLE, "dr-lee", notes=False)
    at = open_as("sharing", cookie, partners["ben"])
    assert "No counselor has opened your data." in markdown(at)
    lee = counselor(couple)
    service.metrics(lee, COUPLE)
    service.entries(lee, COUPLE)
    at.run()
    log = couple.services.access.access_log(COUPLE)
    assert [o.kind for o in log] == ["entries", "overview"]
    lines = [m for m in markdown(at) if m.startswith(f"{LEE} ")]
    berlin = [o.at.astimezone(ZoneInfo("Europe/Berlin")) for o in log]
    assert lines == [
        f"{LEE} read your entries on {berlin[0].day} {berlin[0]:%b} at {berlin[0]:%H:%M}",
        f"{LEE} opened your overview on {berlin[1].day} {berlin[1]:%b} at {berlin[1]:%H:%M}",
    ]
    assert berlin[0].year == datetime.now(ZoneInfo("Europe/Berlin")).year


def test_hostile_counselor_names_are_shown_as_written(
    partners: dict[str, str], cookie: dict[str, str], couple: Store
) -> None:
    made = couple.services.accounts.invite_counselor(HOSTILE)
    couple.services.accounts.join(made.code, "dr-x", PASSPHRASE)
    at = open_as("sharing", cookie, partners["ana"])
    grant(at, "dr-x")
    Couples(couple.services).metrics(counselor(couple, "dr-x"), COUPLE)
    at.run()
    shown = [*markdown(at), *(c.value for c in at.caption), *(s.value for s in at.success)]
    assert not [text for text in shown if HOSTILE in text]  # never as Markdown would act on it
    written = escape_markdown(HOSTILE)
    assert f"**{written}** (dr\\-x)" in markdown(at)  # the grant
    assert any(m.startswith(f"{written} opened your overview on ") for m in markdown(at))  # the log
    assert HOSTILE not in everything(at)


def test_only_a_signed_in_partner_has_the_page(
    partners: dict[str, str], cookie: dict[str, str], couple: Store
) -> None:
    made = couple.services.accounts.invite_counselor("Dr. Kim")
    kim = couple.services.accounts.join(made.code, "dr-kim", PASSPHRASE)
    at = open_as("who", cookie, kim)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/sharing.py")


def test_access_by_the_sharing_code_the_counselor_shows(
    partners: dict[str, str], cookie: dict[str, str], couple: Store
) -> None:
    code = couple.services.accounts.new_sharing_code("dr-lee")
    at = open_as("sharing", cookie, partners["ben"])
    grant(at, f"{code[:4].lower()} {code[5:]}")  # typed in small letters, a space for the dash
    assert f"{LEE} can now see your entries and figures, without your notes." in [s.value for s in at.success]
    [stored] = couple.services.access.grants(COUPLE)
    assert (stored.counselor, stored.by) == ("dr-lee", "ben")


def test_a_replaced_sharing_code_gets_a_sentence_and_gives_nothing(
    partners: dict[str, str], cookie: dict[str, str], couple: Store
) -> None:
    old = couple.services.accounts.new_sharing_code("dr-lee")
    couple.services.accounts.new_sharing_code("dr-lee")
    at = open_as("sharing", cookie, partners["ana"])
    grant(at, old)
    [error] = at.error
    assert error.value.startswith("That did not work: ") and "sharing code" in error.value
    assert couple.services.access.grants(COUPLE) == []
