"""Remote access: `repairtrack dashboard --host 0.0.0.0` starts only with an access passphrase set; the
dashboard then asks each new session for it, and failed attempts slow down per client address for the
whole server process (a reload does not reset the wait)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components.gate import client_address
from repairtrack.services.access import THROTTLE, set_passphrase
from tests.dashboard.test_browser import CHROMIUM, CHROMIUM_ARGS, free_port, repairtrack

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"
PASSPHRASE = "long enough passphrase"


def outward_address() -> str:
    """An address of this machine that is not loopback (the dashboard is reached through it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent; this only picks a route
            address: str = probe.getsockname()[0]
        except OSError:
            address = "127.0.0.1"
    return address


@pytest.fixture
def gated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    data = tmp_path / "data"
    set_passphrase(data, PASSPHRASE)
    monkeypatch.setenv("REPAIRTRACK_DATA_DIR", str(data))
    monkeypatch.setenv("REPAIRTRACK_REQUIRE_PASSPHRASE", "1")
    THROTTLE.clear()
    monkeypatch.setattr(THROTTLE, "first_delay", 20.0)  # long enough to outlast a new session's start
    yield AppTest.from_file(str(APP), default_timeout=60)
    THROTTLE.clear()


def test_a_session_must_give_the_passphrase_first(gated: AppTest) -> None:
    gated.run()
    assert not gated.exception
    assert [t.value for t in gated.title] == ["repairtrack"]
    assert not any(h.value == "Who is here" for h in gated.title)
    gated.text_input(key="gate:passphrase").input("wrong guess")
    gated.button[0].click().run()
    assert "Please wait 20 s" in gated.error[0].value
    assert "gate:unlocked" not in gated.session_state
    # A fresh session (a reload) from the same address still has to wait.
    again = AppTest.from_file(str(APP), default_timeout=60)
    again.run()
    assert "Too many tries" in again.warning[0].value
    THROTTLE.clear()
    again.text_input(key="gate:passphrase").input(PASSPHRASE)
    again.button[0].click().run()
    assert not again.exception
    assert again.session_state["gate:unlocked"] is True
    assert "Who is here" in [t.value for t in again.title]


def test_without_remote_access_there_is_no_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIRTRACK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("REPAIRTRACK_REQUIRE_PASSPHRASE", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert "Who is here" in [t.value for t in at.title]


def test_the_passphrase_command_stores_only_a_hash(tmp_path: Path) -> None:
    data = tmp_path / "data"
    short = subprocess.run(
        repairtrack(data, "passphrase", "--stdin"), input="short\n", capture_output=True, text=True, cwd=ROOT
    )
    assert short.returncode == 2 and "passphrase.too_short" in short.stderr
    made = subprocess.run(
        repairtrack(data, "passphrase", "--stdin"),
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert made.returncode == 0, made.stderr
    assert all(PASSPHRASE.encode() not in p.read_bytes() for p in data.rglob("*") if p.is_file())


@pytest.mark.browser
@pytest.mark.slow
def test_a_remote_dashboard_asks_for_the_passphrase_and_slows_down_failures(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/system-deps installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPAIRTRACK_")}
    subprocess.run(
        repairtrack(data, "passphrase", "--stdin"),
        input=PASSPHRASE + "\n",
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    )
    port = free_port()
    host = outward_address()
    process = subprocess.Popen(
        repairtrack(data, "dashboard", "--host", "0.0.0.0", "--port", str(port)),
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            with socket.socket() as probe:
                if probe.connect_ex((host, port)) == 0:
                    break
            assert process.poll() is None and time.monotonic() < deadline, "the dashboard did not start"
            time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page: Any = browser.new_page()
            page.set_default_timeout(30_000)
            url = f"http://{host}:{port}"
            page.goto(url)
            page.get_by_label("Access passphrase").fill("not it")
            page.get_by_role("button", name="Open").click()
            page.get_by_text("Please wait 1 s").wait_for()
            page.reload()  # a reload does not reset the wait
            page.get_by_text("Too many tries from this device").wait_for()
            time.sleep(1.1)
            page.get_by_label("Access passphrase").fill("still not it")
            page.get_by_role("button", name="Open").click()
            page.get_by_text("Please wait 2 s").wait_for()
            time.sleep(2.1)
            page.get_by_label("Access passphrase").fill(PASSPHRASE)
            page.get_by_role("button", name="Open").click()
            page.get_by_role("heading", name="Who is here").wait_for()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_forwarded_for_header_does_not_change_the_client_key() -> None:
    spoofed = {"X-Forwarded-For": "203.0.113.7"}
    assert client_address("10.0.0.5", spoofed) == client_address("10.0.0.5", {}) == "10.0.0.5"
    assert client_address(None, spoofed) == client_address(None, {}) == "local"
    # Should a web server have taken the peer from the header anyway, every such claim is one key.
    one = client_address("203.0.113.7", spoofed)
    other = client_address("198.51.100.1", {"x-forwarded-for": "192.0.2.1, 198.51.100.1"})
    assert one == other == "forwarded"
