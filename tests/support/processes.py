"""The processes the tests and benchmarks start (`repairtrack dashboard` mostly): waiting until one is
ready, and stopping it."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def wait_until_ready(
    process: subprocess.Popen[Any],
    ready: Callable[[], bool],
    *,
    seconds: float,
    what: str = "repairtrack dashboard",
    log: Path | None = None,
    pause: float = 0.3,
) -> None:
    """Ask `ready` every `pause` seconds until it says yes (an OSError counts as not yet). Fails with an
    AssertionError, naming `what` and quoting `log`, when the process exits first or `seconds` pass (the
    process is stopped then)."""
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with {process.returncode}{_quoted(log)}")
        try:
            if ready():
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop(process)
            raise AssertionError(f"{what} was not ready within {seconds:g} s{_quoted(log)}")
        time.sleep(pause)


def stop(process: subprocess.Popen[Any], seconds: float = 15) -> None:
    """Ask the process to end; kill it when it has not after `seconds`."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _quoted(log: Path | None) -> str:
    if log is None or not log.exists():
        return ""
    return ": " + log.read_text(errors="replace")[-4000:]
