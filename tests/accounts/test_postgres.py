"""Accounts on PostgreSQL: the same service over psycopg, throttled through the database, and a session
made by one process honoured by another process on the same database."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.errors import Refusal
from repairtrack.bootstrap import Services, build
from repairtrack.config import Settings
from repairtrack.services.identity import Throttled
from tests.accounts.conftest import PASSPHRASE
from tests.conftest import Clock
from tests.support.entries import registered

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
ASK = """
import sys
from repairtrack.bootstrap import build
from repairtrack.config import Settings
built = build(Settings.from_env(data_dir=sys.argv[1], environ={"REPAIRTRACK_DATABASE_URL": sys.argv[2]}))
actor = built.accounts.actor_for_session(sys.argv[3])
print(actor.account if actor else "nobody")
built.close()
"""


@pytest.fixture
def on_postgres(postgres_url: str, tmp_path: Path, clock: Clock) -> Iterator[Services]:
    clock.now = datetime.now(UTC)  # the second process runs on the real clock
    built = build(Settings(data_dir=tmp_path / "data", database_url=postgres_url), clock=clock)
    built.app.record(registered())
    yield built
    built.close()


def ask_another_process(settings: Settings, token: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", ASK, str(settings.data_dir), str(settings.database_url), token],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


def test_a_session_made_in_one_process_is_honoured_by_another(on_postgres: Services) -> None:
    accounts = on_postgres.accounts
    token = accounts.join(accounts.invite_partner("ana-ben", "ana").code, "ana-acc", PASSPHRASE)
    assert ask_another_process(on_postgres.settings, token) == "ana-acc"
    accounts.disable("ana-acc")
    assert ask_another_process(on_postgres.settings, token) == "nobody"


def test_six_parallel_wrong_guesses_make_one_check_on_postgres(on_postgres: Services, clock: Clock) -> None:
    accounts = on_postgres.accounts
    accounts.join(accounts.invite_counselor("Dr. Lee").code, "dr-lee", PASSPHRASE)
    start = threading.Barrier(6)
    codes: list[str] = []

    def guess() -> None:
        start.wait()
        try:
            accounts.signin("dr-lee", "a wrong guess here", "10.5.5.5")
        except Refusal as refusal:
            codes.append(refusal.code)

    threads = [threading.Thread(target=guess) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == ["signin.failed"] + ["signin.throttled"] * 5
    with pytest.raises(Throttled) as refused:
        accounts.signin("dr-lee", PASSPHRASE, "10.5.5.6")
    assert refused.value.retry_after == pytest.approx(1)
    clock.advance(seconds=1)
    assert accounts.actor_for_session(accounts.signin("dr-lee", PASSPHRASE, "10.5.5.6")) is not None
    history = accounts.recent_signins("dr-lee")
    assert history[0].success
    assert sorted(s.success for s in history) == [False, True, True]  # joined, one check, signed in


def test_tokens_and_resets_on_postgres(on_postgres: Services) -> None:
    accounts = on_postgres.accounts
    session = accounts.join(accounts.invite_partner("ana-ben", "ben").code, "ben-acc", PASSPHRASE)
    token = accounts.create_token("ben-acc", days=3, label="shortcut")
    assert accounts.actor_for_token(token) is not None
    assert [t.label for t in accounts.list_tokens("ben-acc")] == ["shortcut"]
    invite = accounts.reset("ben-acc")
    assert accounts.actor_for_token(token) is None
    assert accounts.actor_for_session(session) is None
    accounts.join(invite.code, "ben-acc", "a brand new phrase")
    assert [a.name for a in accounts.list_accounts()] == ["ben-acc"]
