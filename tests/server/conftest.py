"""One store for the server tests: the demo couple `demo` and a second couple `cara-dan`, accounts made
through invitations over HTTP, and `repairtrack dashboard` over it, started once per module."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.server.support import ROOT, STRONG, Server, clean_env, repairtrack, start


@dataclass
class People:
    """The accounts the module's tests share: both partners of `demo` and a counselor."""

    couple: str
    first: str  # partner handles of the demo couple (also their account names)
    second: str
    counselor: str = "dr-lee"


def make_store(data_dir: Path) -> None:
    env = clean_env()
    for args in (
        ("demo", "--couples", "1", "--days", "40", "--until", "2026-05-31"),
        ("register", "-c", "cara-dan", "--partner", "cara:Cara", "--partner", "dan:Dan", "--timezone", "UTC"),
    ):
        subprocess.run(repairtrack(data_dir, *args), check=True, env=env, cwd=ROOT, capture_output=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    data_dir = folder / "data"
    make_store(data_dir)
    running = start(data_dir, folder / "clock.txt")
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def people(server: Server) -> People:
    registration = server.services.app.describe("demo")
    assert registration is not None
    first, second = list(registration.names)
    for partner in (first, second):
        reply = server.join(server.invite_partner("demo", partner), partner, STRONG)
        assert reply.status == 303, reply.body
    reply = server.join(server.invite_counselor("Dr. Lee"), "dr-lee", STRONG)
    assert reply.status == 303, reply.body
    return People("demo", first, second)
