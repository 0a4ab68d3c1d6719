"""Passphrases are stored only as argon2id hashes, checked by argon2; the shared access passphrase of
earlier versions is replaced by accounts (`repairtrack passphrase` says so, exit 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from repairtrack.services.access import PassphraseProblem, hash_passphrase, verify_passphrase

ROOT = Path(__file__).resolve().parents[1]


def test_only_a_hash_of_the_passphrase_is_kept() -> None:
    stored = hash_passphrase("correct horse battery")
    assert "correct horse" not in stored and stored.startswith("$argon2id$")
    assert verify_passphrase(stored, "correct horse battery")
    assert not verify_passphrase(stored, "correct horse batterY")
    assert not verify_passphrase("not a hash", "correct horse battery")


def test_a_short_passphrase_is_refused() -> None:
    with pytest.raises(PassphraseProblem) as refused:
        hash_passphrase("short")
    assert refused.value.code == "passphrase.too_short"


def test_the_passphrase_command_says_accounts_replace_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "-m", "repairtrack", "--data-dir", str(data), "passphrase", "--stdin"],
        input="long enough passphrase\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "passphrase.replaced" in result.stderr and "repairtrack account invite" in result.stderr
    assert "Traceback" not in result.stderr
    assert not data.exists() or not any(p.is_file() for p in data.rglob("*"))
