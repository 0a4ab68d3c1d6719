"""Feed tokens: made and replaced by the accounts service, only their hash stored, ended by --off and by
disabling the account; `calendar_response` answers 404 with no hint for every token that does not open a
feed."""

from __future__ import annotations

import pytest

from domain.errors import Refusal
from repairtrack.bootstrap import Services
from repairtrack.services import calendar
from tests.calendar.conftest import FIRST, NOW, PASSPHRASE


def test_a_new_token_replaces_the_old_one(store: Services) -> None:
    name = f"{FIRST}-acc"
    old = store.accounts.calendar_token(name)
    found = store.accounts.account_for_calendar(old)
    assert found is not None and found.name == name
    new = store.accounts.calendar_token(name)
    assert new != old
    assert store.accounts.account_for_calendar(old) is None
    assert calendar.calendar_response(store, old, NOW) == calendar.calendar_response(store, "nonsense", NOW)
    status, headers, _ = calendar.calendar_response(store, new, NOW)
    assert status == 200 and headers["content-type"].startswith("text/calendar")


def test_unknown_and_ended_feeds_answer_the_same_404(store: Services) -> None:
    name = f"{FIRST}-acc"
    token = store.accounts.calendar_token(name)
    assert store.accounts.end_calendar(name)
    assert not store.accounts.end_calendar(name)
    ended = calendar.calendar_response(store, token, NOW)
    assert ended[0] == 404
    assert (
        ended
        == calendar.calendar_response(store, "", NOW)
        == calendar.calendar_response(store, "x" * 300, NOW)
    )


def test_disabling_the_account_ends_its_feed_for_good(store: Services) -> None:
    name = f"{FIRST}-acc"
    token = store.accounts.calendar_token(name)
    store.accounts.disable(name)
    assert calendar.calendar_response(store, token, NOW)[0] == 404
    store.accounts.enable(name)
    assert calendar.calendar_response(store, token, NOW)[0] == 404  # enabling does not bring it back
    assert store.accounts.calendar_details(name) is None


def test_only_a_hash_of_the_token_is_stored(store: Services) -> None:
    token = store.accounts.calendar_token(f"{FIRST}-acc", details=True)
    stored = store.settings.event_store_path.read_bytes()
    wal = store.settings.event_store_path.with_name("events.sqlite-wal")
    if wal.exists():
        stored += wal.read_bytes()
    assert token.encode() not in stored


def test_a_counselor_has_no_feed(store: Services) -> None:
    code = store.accounts.invite_counselor("Dr. Lee").code
    store.accounts.join(code, "dr-lee", PASSPHRASE)
    with pytest.raises(Refusal) as refused:
        store.accounts.calendar_token("dr-lee")
    assert refused.value.problems[0].code == "calendar.partners_only"


def test_details_are_chosen_with_each_feed(store: Services) -> None:
    name = f"{FIRST}-acc"
    store.accounts.calendar_token(name, details=True)
    assert store.accounts.calendar_details(name) is True
    store.accounts.calendar_token(name, details=False)
    assert store.accounts.calendar_details(name) is False
