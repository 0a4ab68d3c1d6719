"""A counselor's sharing code: what a couple types to give the counselor access without the counselor's
account name. Made at random, unlike any other counselor's; a new one replaces the one before; only a
counselor has one; typed in any case, with or without the dash; a code nobody holds names nobody."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.accounts import SHARING_ALPHABET, sharing_code_of
from domain.errors import Refusal
from repairtrack.bootstrap import Services
from repairtrack.services.actors import Actor
from repairtrack.services.couples import Couples
from repairtrack.services.identity import Accounts
from repairtrack.services.permissions import NotAllowed
from tests.accounts.conftest import PASSPHRASE
from tests.support.entries import COUPLE

ANA = Actor("partner", account="ana-acc", name="Ana", couple=COUPLE, partner="ana")


@pytest.fixture
def lee(accounts: Accounts) -> str:
    """Dr. Lee's counselor account, `dr-lee`."""
    accounts.join(accounts.invite_counselor("Dr. Lee").code, "dr-lee", PASSPHRASE)
    return "dr-lee"


def test_a_counselor_makes_a_code_that_names_them_however_it_is_typed(accounts: Accounts, lee: str) -> None:
    assert accounts.sharing_code(lee) is None
    code = accounts.new_sharing_code(lee)
    assert sharing_code_of(code) == code and len(code) == 9 and code[4] == "-"
    assert set(code.replace("-", "")) <= set(SHARING_ALPHABET)
    assert accounts.sharing_code(lee) == code
    for typed in (code, code.lower(), code.replace("-", ""), f"  {code[:4]} {code[5:].lower()} "):
        found = accounts.counselor_for_code(typed)
        assert found is not None and found.name == lee, typed


def test_a_new_code_replaces_the_one_before(accounts: Accounts, lee: str) -> None:
    first = accounts.new_sharing_code(lee)
    second = accounts.new_sharing_code(lee)
    assert second != first
    assert accounts.counselor_for_code(first) is None
    found = accounts.counselor_for_code(second)
    assert found is not None and found.name == lee


def test_two_counselors_never_share_a_code(accounts: Accounts, lee: str) -> None:
    accounts.join(accounts.invite_counselor("Dr. Kim").code, "dr-kim", PASSPHRASE)
    codes = {accounts.new_sharing_code(name) for name in (lee, "dr-kim") for _ in range(5)}
    assert len(codes) == 10
    kim = accounts.counselor_for_code(str(accounts.sharing_code("dr-kim")))
    assert kim is not None and kim.name == "dr-kim"


def test_only_a_counselor_has_a_code(store: Services, accounts: Accounts, ana: str) -> None:
    before = store.app.recorder.max_notification_id()
    with pytest.raises(Refusal) as refused:
        accounts.new_sharing_code("ana-acc")
    assert refused.value.code == "sharing.counselors_only"
    assert store.app.recorder.max_notification_id() == before  # nothing stored
    assert accounts.sharing_code("ana-acc") is None


@pytest.mark.parametrize(
    "typed", ["", "K7QM", "K7QM-3XPA-9", "O0O0-1I1I", "k7qm_3xpa", "dr-lee", "∞∞∞∞-∞∞∞∞"]
)
def test_text_not_shaped_like_a_code_or_a_code_nobody_holds_names_nobody(
    accounts: Accounts, lee: str, typed: str
) -> None:
    accounts.new_sharing_code(lee)
    if typed == accounts.sharing_code(lee):
        return
    assert accounts.counselor_for_code(typed) is None


@given(st.text(max_size=60))
def test_reading_a_typed_code_never_fails_and_gives_its_one_written_form(text: str) -> None:
    code = sharing_code_of(text)
    assert code is None or (sharing_code_of(code) == code and len(code) == 9)


def test_a_partner_gives_access_by_the_code(store: Services, accounts: Accounts, ana: str, lee: str) -> None:
    code = accounts.new_sharing_code(lee)
    service = Couples(store)
    row = service.grant(ANA, COUPLE, code.lower(), notes=False)
    assert (row["counselor"], row["name"]) == ("dr-lee", "Dr. Lee")
    assert [g.counselor for g in store.access.grants(COUPLE)] == ["dr-lee"]


def test_a_replaced_code_gives_nobody_access(store: Services, accounts: Accounts, ana: str, lee: str) -> None:
    old = accounts.new_sharing_code(lee)
    accounts.new_sharing_code(lee)
    with pytest.raises(NotAllowed) as refused:
        Couples(store).grant(ANA, COUPLE, old, notes=False)
    assert refused.value.code == "access.not_a_counselor"
    assert store.access.grants(COUPLE) == []


@pytest.mark.parametrize("code", ["k7qm-3xpa", "K7QM3XPA", "O0O0-1I1I", "K7QM-3XP"])
def test_the_account_keeps_a_code_only_in_its_one_written_form(store: Services, lee: str, code: str) -> None:
    with pytest.raises(Refusal) as refused:
        store.identity.set_sharing_code(lee, code)
    assert refused.value.code == "sharing.pattern"
    assert store.identity.sharing_code(lee) is None
