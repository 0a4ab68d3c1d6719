"""The guards of the Account and Invitation aggregates: each refuses before any event, and accepts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.accounts import Account, Invitation
from domain.errors import Refusal
from domain.rules import REFUSALS

AT = datetime(2026, 6, 1, 12, tzinfo=UTC)
HASH = "ab" * 32
ARGON = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"


def counselor(name: str = "dr-lee") -> Account:
    return Account.create(name, display_name="Dr. Lee", role="counselor", at=AT)


def invitation(**extra: object) -> Invitation:
    fields: dict[str, object] = {
        "role": "counselor",
        "display_name": "Dr. Lee",
        "expires_at": AT + timedelta(hours=72),
    }
    return Invitation.make(HASH, at=AT, **(fields | extra))  # type: ignore[arg-type]


def refused(code: str, call: object) -> None:
    assert code in REFUSALS
    with pytest.raises(Refusal) as caught:
        call()  # type: ignore[operator]
    assert caught.value.code == code


def test_an_account_is_created_with_its_id_from_the_name() -> None:
    account = counselor()
    assert account.id == Account.create_id("dr-lee")
    assert [type(e).__name__ for e in account.collect_events()] == ["Created"]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name": "Dr Lee", "role": "counselor"}, "account.pattern"),
        ({"name": "-lee", "role": "counselor"}, "account.pattern"),
        ({"name": "lee", "role": "admin"}, "account.role"),
        ({"name": "ana", "role": "partner"}, "account.partner_missing"),
        ({"name": "lee", "role": "counselor", "couple": "ana-ben"}, "account.counselor_bound"),
        ({"name": "lee", "role": "counselor", "display_name": "  "}, "account.display_name"),
    ],
)
def test_an_account_is_refused_when_its_fields_do_not_fit(fields: dict[str, str], code: str) -> None:
    values = {"display_name": "Dr. Lee", **fields}
    name = values.pop("name")
    refused(code, lambda: Account.create(name, at=AT, **values))  # type: ignore[arg-type]


def test_a_partner_account_names_its_couple_and_partner() -> None:
    account = Account.create(
        "ana-acc", display_name="Ana", role="partner", couple="ana-ben", partner="ana", at=AT
    )
    assert (account.couple, account.partner) == ("ana-ben", "ana")


def test_disable_and_enable_each_refuse_the_state_they_would_not_change() -> None:
    account = counselor()
    refused("account.not_disabled", lambda: account.enable(at=AT))
    account.disable(at=AT)
    assert account.disabled
    refused("account.already_disabled", lambda: account.disable(at=AT))
    account.enable(at=AT)
    assert not account.disabled
    assert [type(e).__name__ for e in account.collect_events()] == ["Created", "Disabled", "Enabled"]


def test_only_an_argon2id_hash_is_kept_as_the_passphrase() -> None:
    account = counselor()
    refused("passphrase.not_hashed", lambda: account.set_passphrase("plain text passphrase", at=AT))
    account.set_passphrase(ARGON, at=AT)
    assert account.passphrase_hash == ARGON
    account.set_passphrase(None, at=AT)  # a reset clears it
    assert account.passphrase_hash is None


def test_an_external_identity_is_bound_once() -> None:
    account = counselor()
    refused("external.incomplete", lambda: account.bind_external("", "sub", at=AT))
    account.bind_external("https://id.example", "sub-1", at=AT)
    refused("external.taken", lambda: account.bind_external("https://id.example", "sub-1", at=AT))
    assert account.external == [("https://id.example", "sub-1")]


def test_a_calendar_feed_is_set_and_ended() -> None:
    account = counselor()
    refused("calendar.not_set", lambda: account.end_calendar_feed(at=AT))
    account.set_calendar_feed(HASH, details=False, at=AT)
    assert account.calendar_feed == {"token_hash": HASH, "details": False}
    account.end_calendar_feed(at=AT)
    assert account.calendar_feed is None


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"role": "admin"}, "account.role"),
        ({"purpose": "other"}, "invitation.purpose"),
        ({"purpose": "reset"}, "invitation.purpose"),
        ({"account": "lee"}, "invitation.purpose"),
        ({"expires_at": AT}, "invitation.hours"),
    ],
)
def test_an_invitation_is_refused_when_its_fields_do_not_fit(extra: dict[str, object], code: str) -> None:
    refused(code, lambda: invitation(**extra))


def test_an_invitation_keeps_only_a_hash_of_its_code() -> None:
    refused(
        "invitation.not_hashed",
        lambda: Invitation.make(
            "short", role="counselor", display_name="x", expires_at=AT + timedelta(hours=1), at=AT
        ),
    )
    assert invitation().id == Invitation.create_id(HASH)


def test_an_invitation_is_redeemed_once_and_only_before_it_expires() -> None:
    made = invitation()
    refused("invitation.expired", lambda: made.redeem("lee", at=AT + timedelta(hours=72)))
    made.redeem("lee", at=AT + timedelta(hours=71))
    assert made.redeemed_by == "lee"
    refused("invitation.used", lambda: made.redeem("other", at=AT + timedelta(hours=1)))


def test_a_reset_code_is_for_its_own_account_only() -> None:
    made = invitation(purpose="reset", account="lee")
    refused("invitation.other_account", lambda: made.redeem("ana", at=AT))
    made.redeem("lee", at=AT)
