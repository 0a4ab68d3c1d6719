"""The feed over real HTTP (`repairtrack dashboard` in its own process), its token made with the command
line: 200 text/calendar; a replaced token's old address, `--off` and a disabled account answer 404."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import icalendar
import pytest

from repairtrack.bootstrap import build, settings_for
from tests.calendar.conftest import COUPLE, FIRST, NAMES, NOW, history, make_partner_account, registered
from tests.server.support import ROOT, Server, clean_env, repairtrack, start


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("calendar")
    data_dir = folder / "data"
    services = build(settings_for(data_dir), clock=lambda: NOW)
    try:
        services.app.record_batch([registered(), *history()])
        for partner in NAMES:
            make_partner_account(services, partner)
    finally:
        services.close()
    running = start(data_dir, folder / "clock.txt")
    try:
        yield running
    finally:
        running.stop()


def command(server: Server, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        repairtrack(server.data_dir, "account", "calendar", *args),
        env=clean_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def new_path(server: Server, *args: str) -> str:
    done = command(server, f"{FIRST}-acc", *args)
    assert done.returncode == 0, done.stderr
    path = done.stdout.strip().splitlines()[-1]
    assert path.startswith("/calendar/") and path.endswith(".ics")
    return path


def test_the_feed_over_http_and_a_replaced_token(server: Server) -> None:
    first = new_path(server)
    reply = server.request("GET", first)
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(reply.body)
    assert len(list(cal.walk("VEVENT"))) == 3
    assert COUPLE.encode() not in reply.body
    second = new_path(server)
    gone = server.request("GET", first)
    assert gone.status == 404
    assert server.request("GET", "/calendar/never-made.ics").body == gone.body
    assert server.request("GET", second).status == 200


def test_details_from_the_command_line(server: Server) -> None:
    done = command(server, f"{FIRST}-acc", "--details")
    assert done.returncode == 0 and "copy a feed" in done.stdout
    reply = server.request("GET", done.stdout.strip().splitlines()[-1])
    assert NAMES[FIRST].encode() in reply.body.replace(b"\r\n ", b"")


def test_off_ends_the_feed(server: Server) -> None:
    path = new_path(server)
    done = command(server, f"{FIRST}-acc", "--off")
    assert done.returncode == 0 and "ended" in done.stdout
    assert server.request("GET", path).status == 404


def test_disabling_the_account_ends_its_feed(server: Server) -> None:
    path = new_path(server)
    assert server.request("GET", path).status == 200
    server.services.accounts.disable(f"{FIRST}-acc")
    assert server.request("GET", path).status == 404
    server.services.accounts.enable(f"{FIRST}-acc")
    assert server.request("GET", path).status == 404


def test_an_unknown_account_is_refused_in_a_sentence(server: Server) -> None:
    done = command(server, "nobody-here")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "no account" in done.stderr
