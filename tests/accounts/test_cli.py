"""The `repairtrack account` commands end to end, each in its own process as a person runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from repairtrack.bootstrap import build, settings_for
from tests.accounts.conftest import PASSPHRASE
from tests.support.entries import registered

ROOT = Path(__file__).resolve().parents[2]


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "repairtrack", "--data-dir", str(data), "account", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(data.parent)},
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    built = build(settings_for(folder))
    built.app.record(registered())
    built.close()
    return folder


def test_invite_list_disable_enable_reset_and_token(data: Path) -> None:
    made = run(data, "invite", "--couple", "ana-ben", "--partner", "ana", "--json")
    assert made.returncode == 0, made.stderr
    invite = json.loads(made.stdout)
    assert invite["path"] == f"/join/{invite['code']}"
    built = build(settings_for(data))
    try:
        built.accounts.join(invite["code"], "ana-acc", PASSPHRASE)
    finally:
        built.close()

    counselor = run(data, "invite", "--counselor", "--name", "Dr. Lee", "--hours", "5")
    assert counselor.returncode == 0, counselor.stderr
    assert len(counselor.stdout.strip().splitlines()[-1]) >= 32  # the code, alone on the last line

    listed = run(data, "list", "--json")
    assert json.loads(listed.stdout) == [
        {
            "account": "ana-acc",
            "name": "Ana",
            "role": "partner",
            "couple": "ana-ben",
            "partner": "ana",
            "disabled": False,
        }
    ]
    assert "ana-acc  Ana  ana of ana-ben" in run(data, "list").stdout

    token = run(data, "token", "ana-acc", "--days", "30")
    assert token.returncode == 0, token.stderr
    secret = token.stdout.strip().splitlines()[-1]
    assert secret.startswith("rt_")

    assert run(data, "disable", "ana-acc").returncode == 0
    assert "(disabled)" in run(data, "list").stdout
    again = run(data, "disable", "ana-acc")
    assert again.returncode == 2
    assert "account.already_disabled" in again.stderr
    assert "Traceback" not in again.stderr
    assert run(data, "enable", "ana-acc").returncode == 0

    reset = run(data, "reset", "ana-acc", "--json")
    assert reset.returncode == 0, reset.stderr
    built = build(settings_for(data))
    try:
        assert built.accounts.actor_for_token(secret) is None  # disabling ended it
        session = built.accounts.join(json.loads(reset.stdout)["code"], "ana-acc", "a new good phrase")
        assert built.accounts.actor_for_session(session) is not None
    finally:
        built.close()


def test_refusals_are_sentences_with_exit_2(data: Path) -> None:
    for args, code in [
        (("invite", "--couple", "nobody", "--partner", "ana"), "couple.unknown"),
        (("invite", "--couple", "ana-ben"), "account.partner_missing"),
        (("invite", "--counselor"), "account.display_name"),
        (("invite", "--counselor", "--name", "Dr. Lee", "--hours", "0"), "invitation.hours"),
        (("disable", "nobody"), "account.unknown"),
        (("token", "nobody"), "account.unknown"),
    ]:
        done = run(data, *args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert code in done.stderr
        assert "Traceback" not in done.stderr and "Error" not in done.stderr


def test_list_says_open_mode_without_accounts(data: Path) -> None:
    assert "open mode" in run(data, "list").stdout
