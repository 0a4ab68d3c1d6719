"""The accounts service of SPEC section 8 on a real SQLite store: invitations, joining, the passphrase
policy, sessions and their limits, tokens, disabling and resetting, the sign-in history."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import Refusal
from repairtrack.bootstrap import Services
from repairtrack.services.actors import Actor
from repairtrack.services.identity import Accounts, common_passwords, hash_secret
from tests.accounts.conftest import PASSPHRASE
from tests.conftest import Clock


def refused(code: str, call: object) -> Refusal:
    with pytest.raises(Refusal) as caught:
        call()  # type: ignore[operator]
    assert caught.value.code == code, caught.value
    return caught.value


def test_a_partner_joins_by_invitation_and_is_signed_in(accounts: Accounts, ana: str) -> None:
    assert accounts.actor_for_session(ana) == Actor(
        "partner", account="ana-acc", name="Ana", couple="ana-ben", partner="ana"
    )
    assert accounts.has_accounts()
    [info] = accounts.list_accounts()
    assert (info.name, info.role, info.disabled) == ("ana-acc", "partner", False)


def test_a_store_without_accounts_is_in_open_mode(accounts: Accounts) -> None:
    assert not accounts.has_accounts()
    assert accounts.list_accounts() == []


def test_a_counselor_joins_with_the_name_of_the_invitation(accounts: Accounts) -> None:
    invite = accounts.invite_counselor("Dr. Lee")
    assert invite.path == f"/join/{invite.code}"
    token = accounts.join(invite.code, "dr-lee", PASSPHRASE)
    assert accounts.actor_for_session(token) == Actor("counselor", account="dr-lee", name="Dr. Lee")


def test_only_hashes_of_codes_and_sessions_are_stored(store: Services, ana: str) -> None:
    invite = store.accounts.invite_counselor("Dr. Lee")
    raw = store.settings.event_store_path.read_bytes()
    for wal in store.settings.data_dir.glob("events.sqlite-wal"):
        raw += wal.read_bytes()
    assert invite.code.encode() not in raw
    assert ana.encode() not in raw
    assert hash_secret(ana).encode() in raw
    assert PASSPHRASE.encode() not in raw


def test_invitations_name_a_registered_couple_and_partner(accounts: Accounts) -> None:
    refused("couple.unknown", lambda: accounts.invite_partner("nobody", "ana"))
    refused("partner.unknown", lambda: accounts.invite_partner("ana-ben", "cleo"))
    refused("invitation.hours", lambda: accounts.invite_counselor("Dr. Lee", hours=0))
    refused("invitation.hours", lambda: accounts.invite_counselor("Dr. Lee", hours=24 * 30 + 1))


def test_a_partner_has_at_most_one_account(accounts: Accounts, ana: str) -> None:
    refused("account.partner_taken", lambda: accounts.invite_partner("ana-ben", "ana"))


def test_an_invitation_is_used_once(accounts: Accounts) -> None:
    invite = accounts.invite_counselor("Dr. Lee")
    accounts.join(invite.code, "dr-lee", PASSPHRASE)
    refused("invitation.used", lambda: accounts.join(invite.code, "dr-lee-2", PASSPHRASE))
    assert [a.name for a in accounts.list_accounts()] == ["dr-lee"]


def test_an_invitation_expires_after_its_hours(accounts: Accounts, clock: Clock) -> None:
    invite = accounts.invite_counselor("Dr. Lee", hours=2)
    clock.advance(hours=2)
    refused("invitation.expired", lambda: accounts.join(invite.code, "dr-lee", PASSPHRASE))
    assert not accounts.has_accounts()


def test_an_unknown_code_and_a_taken_name_create_nothing(accounts: Accounts, ana: str) -> None:
    refused("invitation.unknown", lambda: accounts.join("not-a-code", "dr-lee", PASSPHRASE))
    invite = accounts.invite_counselor("Dr. Lee")
    refused("account.taken", lambda: accounts.join(invite.code, "ana-acc", PASSPHRASE))
    refused("account.pattern", lambda: accounts.join(invite.code, "Dr Lee", PASSPHRASE))
    assert [a.name for a in accounts.list_accounts()] == ["ana-acc"]
    accounts.join(invite.code, "dr-lee", PASSPHRASE)  # the code is still good


def test_password123_is_among_the_common_passwords() -> None:
    assert "password123" in common_passwords()
    assert len(common_passwords()) == 10_000


@pytest.mark.parametrize(
    ("passphrase", "code"),
    [
        ("short", "passphrase.too_short"),
        ("123456789", "passphrase.too_short"),
        ("I am DR-LEE, hello", "passphrase.contains_name"),
        ("password123", "passphrase.common"),
        ("Qwertyuiop", "passphrase.common"),
    ],
)
def test_a_weak_passphrase_is_refused_and_creates_nothing(
    accounts: Accounts, passphrase: str, code: str
) -> None:
    invite = accounts.invite_counselor("Dr. Lee")
    refused(code, lambda: accounts.join(invite.code, "dr-lee", passphrase))
    assert not accounts.has_accounts()


def test_signin_with_the_passphrase_gives_a_session_and_records_it(accounts: Accounts, ana: str) -> None:
    token = accounts.signin("ana-acc", PASSPHRASE, "10.0.0.2")
    assert token != ana
    assert accounts.actor_for_session(token) is not None
    [latest, joined] = accounts.recent_signins("ana-acc")
    assert (latest.address, latest.success) == ("10.0.0.2", True)
    assert joined.address == "10.0.0.1"


def test_a_wrong_passphrase_is_refused_and_recorded_as_a_failure(accounts: Accounts, ana: str) -> None:
    refused("signin.failed", lambda: accounts.signin("ana-acc", "not the right one", "10.0.0.3"))
    refused("signin.failed", lambda: accounts.signin("nobody", PASSPHRASE, "10.0.0.4"))
    latest = accounts.recent_signins("ana-acc")[0]
    assert (latest.address, latest.success) == ("10.0.0.3", False)
    assert accounts.recent_signins("nobody") == []


def test_signout_ends_the_session(accounts: Accounts, ana: str) -> None:
    accounts.signout(ana)
    assert accounts.actor_for_session(ana) is None


def test_a_session_ends_after_12_hours_without_use(accounts: Accounts, ana: str, clock: Clock) -> None:
    clock.advance(hours=11, minutes=59)
    assert accounts.actor_for_session(ana) is not None  # used: its idle time starts again
    clock.advance(hours=11, minutes=59)
    assert accounts.actor_for_session(ana) is not None
    clock.advance(hours=12)
    assert accounts.actor_for_session(ana) is None
    clock.advance(hours=-12)
    assert accounts.actor_for_session(ana) is None  # ended for good


def test_a_session_ends_after_30_days_however_often_it_is_used(
    accounts: Accounts, ana: str, clock: Clock
) -> None:
    start = clock.now
    while clock.now - start < timedelta(days=30) - timedelta(hours=11):
        clock.advance(hours=11)
        assert accounts.actor_for_session(ana) is not None
    clock.now = start + timedelta(days=30)
    assert accounts.actor_for_session(ana) is None


def test_an_unknown_or_empty_session_is_nobody(accounts: Accounts) -> None:
    assert accounts.actor_for_session(None) is None
    assert accounts.actor_for_session("made-up") is None
    assert accounts.actor_for_token("rt_made-up") is None


def test_a_personal_token_names_its_account_until_it_expires(
    accounts: Accounts, ana: str, clock: Clock
) -> None:
    token = accounts.create_token("ana-acc", days=2, label="phone")
    assert token.startswith("rt_")
    assert accounts.actor_for_token(token) == accounts.actor_for_session(ana)
    [listed] = accounts.list_tokens("ana-acc")
    assert listed.label == "phone"
    assert listed.last_used_at is not None
    clock.advance(days=2)
    assert accounts.actor_for_token(token) is None
    refused("token.days", lambda: accounts.create_token("ana-acc", days=0))
    refused("account.unknown", lambda: accounts.create_token("nobody"))


def test_a_revoked_token_names_nobody(accounts: Accounts, ana: str) -> None:
    token = accounts.create_token("ana-acc")
    [listed] = accounts.list_tokens("ana-acc")
    refused("token.unknown", lambda: accounts.revoke_token("ana-acc", "nope"))
    accounts.revoke_token("ana-acc", listed.token_id)
    assert accounts.actor_for_token(token) is None
    assert accounts.list_tokens("ana-acc") == []


def test_disabling_ends_sessions_and_tokens_at_once(accounts: Accounts, ana: str, clock: Clock) -> None:
    token = accounts.create_token("ana-acc")
    accounts.disable("ana-acc")
    assert accounts.actor_for_session(ana) is None
    assert accounts.actor_for_token(token) is None
    refused("signin.failed", lambda: accounts.signin("ana-acc", PASSPHRASE, "10.0.0.5"))
    refused("account.already_disabled", lambda: accounts.disable("ana-acc"))
    accounts.enable("ana-acc")
    assert accounts.actor_for_session(ana) is None  # enabling does not bring sessions back
    clock.advance(seconds=1)  # the failed attempt's wait
    assert accounts.actor_for_session(accounts.signin("ana-acc", PASSPHRASE, "10.0.0.6")) is not None
    refused("account.unknown", lambda: accounts.disable("nobody"))


def test_resetting_ends_sessions_tokens_and_the_passphrase(
    accounts: Accounts, ana: str, clock: Clock
) -> None:
    token = accounts.create_token("ana-acc")
    invite = accounts.reset("ana-acc")
    assert accounts.actor_for_session(ana) is None
    assert accounts.actor_for_token(token) is None
    clock.advance(seconds=1)
    refused("signin.failed", lambda: accounts.signin("ana-acc", PASSPHRASE, "10.0.0.7"))
    refused("invitation.other_account", lambda: accounts.join(invite.code, "someone", "another good phrase"))
    session = accounts.join(invite.code, "ana-acc", "another good phrase")
    assert accounts.actor_for_session(session) is not None
    refused("invitation.used", lambda: accounts.join(invite.code, "ana-acc", "a third good phrase"))
    assert [a.name for a in accounts.list_accounts()] == ["ana-acc"]


def test_an_external_identity_is_bound_by_an_invitation(accounts: Accounts) -> None:
    invite = accounts.invite_counselor("Dr. Lee")
    session = accounts.bind_external(invite.code, "https://id.example", "subject-7", account="dr-lee")
    actor = accounts.actor_for_external("https://id.example", "subject-7")
    assert (
        actor == accounts.actor_for_session(session) == Actor("counselor", account="dr-lee", name="Dr. Lee")
    )
    assert accounts.actor_for_external("https://id.example", "other") is None
    second = accounts.invite_counselor("Dr. Kim")
    refused(
        "external.taken",
        lambda: accounts.bind_external(second.code, "https://id.example", "subject-7", account="dr-kim"),
    )
    refused("signin.failed", lambda: accounts.signin("dr-lee", "", "10.0.0.8"))  # no passphrase set
