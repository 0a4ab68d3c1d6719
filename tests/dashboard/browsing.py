"""What the browser tests share: `repairtrack dashboard` on a free port over a temporary store, and
Debian's chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest

from tests.support.processes import stop, wait_until_ready

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    def listening() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    wait_until_ready(process, listening, seconds=seconds, pause=0.2)


def repairtrack(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "repairtrack", "--data-dir", str(data_dir), *args]


def clean_env() -> dict[str, str]:
    """The environment without any REPAIRTRACK_ setting of the machine running the tests."""
    return {k: v for k, v in os.environ.items() if not k.startswith("REPAIRTRACK_")}


def run_cli(data_dir: Path, *args: str) -> str:
    """`repairtrack --data-dir data_dir ARGS...` (must succeed); its standard output."""
    done = subprocess.run(
        repairtrack(data_dir, *args), check=True, env=clean_env(), capture_output=True, text=True
    )
    return done.stdout


@contextmanager
def dashboard(data_dir: Path) -> Iterator[str]:
    """The demo couple in a new store at `data_dir`, and the dashboard over it; yields its address."""
    run_cli(data_dir, "demo", "--couples", "1")
    with serve(data_dir) as address:
        yield address


@contextmanager
def serve(data_dir: Path) -> Iterator[str]:
    """`repairtrack dashboard` over the store at `data_dir` on a free loopback port; yields its address
    and stops it afterwards. What it prints goes to `dashboard-<port>.log` beside `data_dir`."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir.parent / f"dashboard-{port}.log"
    # A file, not a pipe nobody reads (a full pipe would stop the server).
    with log.open("wb") as output, running(data_dir, port, env=clean_env(), output=output) as address:
        yield address


@contextmanager
def running(
    data_dir: Path, port: int, *, env: dict[str, str], output: int | IO[bytes], seconds: float = 60
) -> Iterator[str]:
    """`repairtrack dashboard` over `data_dir` on `port` with the environment `env`, what it prints going
    to `output`; yields its address once it listens, and stops it afterwards."""
    process = subprocess.Popen(
        repairtrack(data_dir, "dashboard", "--port", str(port)),
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process, seconds)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process, seconds=10)


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's chromium under Playwright; a missing one fails the test (CI installs it)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (scripts/system-deps does); "
            "the browser tests never download a browser"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def nav(page: Any, title: str, heading: str | None = None) -> None:
    page.locator("[data-testid='stSidebarNav']").get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=heading or title, exact=True).wait_for()
