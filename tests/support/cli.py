"""Running the `repairtrack` command as a real process, and reading what it printed."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

ROOT = Path(__file__).resolve().parents[2]

# `repairtrack log ...` and `register` end their one line with the stored entry's id.
_STORED = re.compile(r"stored .+, id (?P<id>[A-Za-z0-9_.:-]{1,64})")


def repairtrack(data_dir: Path, *args: str) -> list[str]:
    """The command line of `repairtrack --data-dir D ARGS...`, run by this Python."""
    return [sys.executable, "-m", "repairtrack", "--data-dir", str(data_dir), *args]


def clean_environ(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any REPAIRTRACK_* of ours, plus `extra`."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("REPAIRTRACK_")}
    environ.update(extra or {})
    return environ


def run_cli(
    data_dir: Path,
    *args: str,
    stdin: str | bytes | BinaryIO | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
    umask: int = -1,
) -> subprocess.CompletedProcess[str]:
    """`repairtrack --data-dir D ARGS...` as a real process in the repository's folder, with a clean
    environment (plus `env`); bytes on stdin are passed as they are, an open file is its standard input
    itself, the output is read as UTF-8."""
    given = stdin.encode() if isinstance(stdin, str) else stdin
    result = subprocess.run(
        repairtrack(data_dir, *args),
        input=given if isinstance(given, bytes) else None,
        stdin=None if isinstance(given, bytes) else given,
        capture_output=True,
        env=clean_environ(env),
        cwd=ROOT,
        timeout=timeout,
        check=False,
        umask=umask,
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


def import_killed_after(data_dir: Path, file: Path, seconds: float) -> bool:
    """Runs `repairtrack import FILE` and, should it still be running after `seconds`, kills it with
    SIGKILL (as a power cut would stop it); waits for it to end. True when it was killed."""
    child = subprocess.Popen(
        repairtrack(data_dir, "import", str(file)),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(seconds)
    killed = child.poll() is None
    if killed:
        os.kill(child.pid, signal.SIGKILL)
    child.wait()
    return killed


def printed_id(stdout: str) -> str:
    """The id of the entry a `log` or `register` command stored, read from its line
    ("stored a check-in by ana at 2026-11-02 19:30 (+01:00), id 3f2a..."); fails on any other output."""
    lines = stdout.strip().splitlines()
    assert len(lines) == 1, stdout
    found = _STORED.fullmatch(lines[0])
    assert found is not None, stdout
    return found["id"]
