"""A real `repairtrack dashboard` in a subprocess, spoken to over real HTTP (http.client), and the
operator's hand on the same store (invitations, tokens, disabling) in this process.

The server's clock is a file (`REPAIRTRACK_TEST_CLOCK_FILE`, see `repairtrack.server.clock`): tests move
time by rewriting it, never by sleeping. Throttling waits are measured on that clock too, so after a
test's wrong guesses `settle()` moves past every wait (15 minutes at most)."""

from __future__ import annotations

import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from repairtrack.bootstrap import Services, build, settings_for
from tests.support.processes import stop, wait_until_ready

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
STRONG = "plum orbit lantern seven"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def repairtrack(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "repairtrack", "--data-dir", str(data_dir), *args]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPAIRTRACK_")}
    env.update(extra)
    return env


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def set_cookies(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []

    def cookie(self, name: str = "rt_session") -> str | None:
        for line in self.set_cookies:
            parsed: SimpleCookie = SimpleCookie()
            parsed.load(line)
            if name in parsed:
                return parsed[name].value
        return None


@dataclass
class Server:
    data_dir: Path
    clock_file: Path
    port: int
    process: subprocess.Popen[bytes]
    tls: ssl.SSLContext | None = None
    now: datetime = START
    _services: Services | None = field(default=None, repr=False)

    @property
    def origin(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    # --- time -----------------------------------------------------------------------------------
    def set_clock(self, moment: datetime) -> None:
        self.now = moment
        self.clock_file.write_text(moment.isoformat())

    def advance(self, **delta: float) -> None:
        self.set_clock(self.now + timedelta(**delta))

    def settle(self) -> None:
        """Past every throttling wait (at most 15 minutes)."""
        self.advance(minutes=16)

    # --- the operator ---------------------------------------------------------------------------
    @property
    def services(self) -> Services:
        if self._services is None:
            self._services = build(settings_for(self.data_dir), clock=lambda: self.now)
        return self._services

    def invite_partner(self, couple: str, partner: str) -> str:
        return self.services.accounts.invite_partner(couple, partner).code

    def invite_counselor(self, name: str) -> str:
        return self.services.accounts.invite_counselor(name).code

    # --- HTTP -----------------------------------------------------------------------------------
    def connection(self) -> http.client.HTTPConnection:
        if self.tls is not None:
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=60, context=self.tls)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | Iterator[bytes] | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        chunked: bool = False,
    ) -> Reply:
        connection = self.connection()
        try:
            connection.request(method, path, body=body, headers=dict(headers or {}), encode_chunked=chunked)
            answer = connection.getresponse()
            return Reply(answer.status, answer.headers, answer.read())
        finally:
            connection.close()

    def form(self, path: str, fields: Mapping[str, str], headers: Mapping[str, str] | None = None) -> Reply:
        return self.request(
            "POST",
            path,
            urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
        )

    def join(self, code: str, account: str, passphrase: str = STRONG, **extra: str) -> Reply:
        return self.form("/auth/join", {"code": code, "account": account, "passphrase": passphrase, **extra})

    def signin(
        self, account: str, passphrase: str = STRONG, headers: Mapping[str, str] | None = None, **extra: str
    ) -> Reply:
        return self.form("/auth/signin", {"account": account, "passphrase": passphrase, **extra}, headers)

    def session(self, account: str, passphrase: str = STRONG) -> str:
        reply = self.signin(account, passphrase)
        assert reply.status == 303, reply.body
        cookie = reply.cookie()
        assert cookie
        return cookie

    def api(
        self,
        method: str,
        path: str,
        *,
        cookie: str | None = None,
        token: str | None = None,
        body: Any = None,
        raw: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        origin: bool = True,
    ) -> Reply:
        sent: dict[str, str] = dict(headers or {})
        if cookie is not None:
            sent["Cookie"] = f"rt_session={cookie}"
            if origin and method != "GET":
                sent.setdefault("Origin", self.origin)
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        return self.request(method, "/api/v1" + path, data, sent)

    def stop(self) -> None:
        if self._services is not None:
            self._services.close()
        stop(self.process)


def start(data_dir: Path, clock_file: Path, *options: str, tls: ssl.SSLContext | None = None) -> Server:
    """`repairtrack dashboard` on a free loopback port over `data_dir`; returns once it answers."""
    port = free_port()
    clock_file.write_text(START.isoformat())
    log = clock_file.with_suffix(".log")
    with log.open("wb") as output:  # a file, not a pipe nobody reads (a full pipe would stop the server)
        process = subprocess.Popen(
            repairtrack(data_dir, "dashboard", "--port", str(port), *options),
            env=clean_env(REPAIRTRACK_TEST_CLOCK_FILE=str(clock_file)),
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = Server(data_dir, clock_file, port, process, tls)
    try:
        wait_until_ready(
            process, lambda: server.request("GET", "/_stcore/health").status == 200, seconds=90, log=log
        )
    except AssertionError:
        server.stop()
        raise
    return server
