"""A store with one registered couple (ana-ben), built by the composition root on a real SQLite file in
a temporary folder, with a clock we control."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from repairtrack.bootstrap import Services, build, settings_for
from repairtrack.services.identity import Accounts
from tests.conftest import Clock
from tests.support.entries import registered

PASSPHRASE = "a quiet walk by the river"


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[Services]:
    built = build(settings_for(tmp_path / "data"), clock=clock)
    built.app.record(registered())
    yield built
    built.close()


@pytest.fixture
def accounts(store: Services) -> Accounts:
    return store.accounts


@pytest.fixture
def ana(accounts: Accounts) -> str:
    """Ana has joined as the account `ana-acc`; her session token."""
    return accounts.join(accounts.invite_partner("ana-ben", "ana").code, "ana-acc", PASSPHRASE, "10.0.0.1")
