"""The server with accounts (issue 12), all in one run on loopback, stopping by itself:

(a) sign-in cost: the argon2id parameters in use (`repairtrack.services.identity.HASHER`, the same
    defaults as `repairtrack.services.access`) and the time of one passphrase check (median of a few),
    against one sign-in over HTTP (`POST /auth/signin`);
(b) API latency of one entry logged (`POST /api/v1/couples/{h}/entries`, a check-in with a personal
    token) and of metrics (`GET /api/v1/couples/{h}/metrics`): median and p95 with one client and with 20
    concurrent clients against the real `repairtrack dashboard`, each as a ratio to the same operation in
    this process through the service layer (`Couples.record`, `Couples.metrics`), and the bare
    `RepairTrack.record_batch` / `View.metrics` beneath it;
(c) entries lost under 8 concurrent API writers (threads, each with its own connection, some on the same
    couple, some on their own): every entry sent must be stored (0 lost), and no error reaches a writer
    other than a 409 the writer retried.

The store (a few generated couples, an account and a token per partner) is made in a temporary folder
through the command line and `/auth/join`, as a person would. `BENCH_SERVER_ROUNDS` sets the requests
per client (10 by default).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks import Result
from repairtrack.bootstrap import build, settings_for
from repairtrack.services.actors import Actor
from repairtrack.services.couples import Couples
from repairtrack.services.identity import HASHER
from tests.support.processes import stop, wait_until_ready

ROOT = Path(__file__).resolve().parents[1]
COUPLES = 4
CLIENTS = 20
WRITERS = 8
PASSPHRASE = "plum orbit lantern seven"
ATTEMPTS = 8
COMMAND = (sys.executable, "-m", "repairtrack")  # a writer's tries of one request after a 409


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def rounds() -> int:
    return int(os.environ.get("BENCH_SERVER_ROUNDS", "10"))


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("REPAIRTRACK_")}


def repairtrack(data_dir: Path, *args: str) -> str:
    done = subprocess.run(
        [*COMMAND, "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"repairtrack {args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


@dataclass
class Reply:
    status: int
    body: bytes


class Client:
    """One keep-alive HTTP connection to the server on loopback (reconnects when the server closes it)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                answer = self.connection.getresponse()
                reply = Reply(answer.status, answer.read())
                if answer.will_close:
                    self.close()
                return reply
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class Partner:
    couple: str
    handle: str
    account: str
    token: str = ""


class Running:
    """`repairtrack dashboard` on a free loopback port over a data folder."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        self.port = free_port()
        with log.open("wb") as output:  # a file, never a pipe nobody reads
            self.process = subprocess.Popen(
                [*COMMAND, "--data-dir", str(data_dir), "dashboard", "--port", str(self.port)],
                env=clean_env(),
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        wait_until_ready(
            self.process,
            lambda: Client(self.port).request("GET", "/_stcore/health").status == 200,
            seconds=120,
            log=log,
        )

    def stop(self) -> None:
        stop(self.process)


def form(client: Client, path: str, fields: dict[str, str]) -> Reply:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return client.request("POST", path, urlencode(fields).encode(), headers)


def make_store(data_dir: Path) -> list[Partner]:
    until = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    repairtrack(data_dir, "demo", "--couples", str(COUPLES), "--days", "60", "--until", until)
    services = build(settings_for(data_dir))
    try:
        partners = []
        with services.read_model.open() as view:
            handles = [str(c["handle"]) for c in view.couples()]
        for couple in handles:
            found = services.app.describe(couple)
            assert found is not None
            partners += [Partner(couple, handle, f"{couple}-{handle}") for handle in found.handles]
    finally:
        services.close()
    return partners


def join_all(data_dir: Path, port: int, partners: list[Partner]) -> None:
    client = Client(port)
    for partner in partners:
        invite = json.loads(
            repairtrack(
                data_dir, "account", "invite", "-c", partner.couple, "--partner", partner.handle, "--json"
            )
        )
        fields = {"code": invite["code"], "account": partner.account, "passphrase": PASSPHRASE}
        reply = form(client, "/auth/join", fields)
        if reply.status != 303:
            raise RuntimeError(f"joining as {partner.account} answered {reply.status}")
        partner.token = repairtrack(data_dir, "account", "token", partner.account).strip().splitlines()[-1]
    client.close()


def check_in(partner: Partner, prefix: str = "bench") -> dict[str, Any]:
    at = datetime.now(UTC) - timedelta(minutes=5)
    return {
        "type": "check_in",
        "id": f"{prefix}-{uuid.uuid4().hex[:16]}",
        "occurred_at": at.isoformat(timespec="seconds"),
        "by": partner.handle,
        "closeness": 7,
        "trust": 6,
    }


def post_entry(client: Client, partner: Partner, entry: dict[str, Any]) -> tuple[int, int]:
    """(final status, 409s retried) of logging one entry."""
    headers = {"Authorization": f"Bearer {partner.token}", "Content-Type": "application/json"}
    retried = 0
    for _ in range(ATTEMPTS):
        reply = client.request(
            "POST", f"/api/v1/couples/{partner.couple}/entries", json.dumps(entry).encode(), headers
        )
        if reply.status != 409:
            return reply.status, retried
        retried += 1
        time.sleep(0.01 * retried)
    return 409, retried


def get_metrics(client: Client, partner: Partner) -> int:
    headers = {"Authorization": f"Bearer {partner.token}"}
    return client.request("GET", f"/api/v1/couples/{partner.couple}/metrics", headers=headers).status


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def concurrently(clients: int, work: Callable[[int], list[float]]) -> list[float]:
    """Run `work(i)` in `clients` threads released together; every latency they measured, in seconds."""
    gate = threading.Barrier(clients)
    found: list[list[float]] = [[] for _ in range(clients)]
    failures: list[str] = []

    def body(i: int) -> None:
        try:
            gate.wait(timeout=60)
            found[i] = work(i)
        except Exception as error:  # reported below, in plain words
            failures.append(f"client {i}: {error}")

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    if failures or any(t.is_alive() for t in threads):
        raise RuntimeError("; ".join(failures) or "a client did not finish within 10 minutes")
    return [t for times in found for t in times]


def latencies(port: int, partners: list[Partner], clients: int, count: int) -> dict[str, list[float]]:
    """Seconds of each POST of one entry and each GET of metrics, `clients` at once, `count` each."""
    statuses: list[int] = []

    def writes(i: int) -> list[float]:
        client, partner, times = Client(port), partners[i % len(partners)], []
        for _ in range(count):
            entry = check_in(partner)
            started = time.perf_counter()
            status, _ = post_entry(client, partner, entry)
            times.append(time.perf_counter() - started)
            statuses.append(status)
        client.close()
        return times

    def reads(i: int) -> list[float]:
        client, partner, times = Client(port), partners[i % len(partners)], []
        for _ in range(count):
            started = time.perf_counter()
            statuses.append(get_metrics(client, partner))
            times.append(time.perf_counter() - started)
        client.close()
        return times

    posted = concurrently(clients, writes)
    read = concurrently(clients, reads)
    wrong = [s for s in statuses if s not in (200, 201)]
    if wrong:
        raise RuntimeError(f"{len(wrong)} API requests answered {sorted(set(wrong))}")
    return {"post": posted, "metrics": read}


def in_process(data_dir: Path, partners: list[Partner], count: int) -> dict[str, list[float]]:
    """The same operations in this process: the service layer, and the bare application and view."""
    services = build(settings_for(data_dir))
    service = Couples(services)
    found: dict[str, list[float]] = {"post": [], "metrics": [], "record_batch": [], "view_metrics": []}
    try:
        for i in range(count * 2):
            partner = partners[i % len(partners)]
            actor = Actor("partner", account=partner.account, couple=partner.couple, partner=partner.handle)
            entry = check_in(partner, "inproc")
            started = time.perf_counter()
            service.record(actor, partner.couple, [entry], source="api")
            found["post"].append(time.perf_counter() - started)
            started = time.perf_counter()
            service.metrics(actor, partner.couple)
            found["metrics"].append(time.perf_counter() - started)
            bare = check_in(partner, "bare") | {"couple": partner.couple, "logged_by": partner.handle}
            started = time.perf_counter()
            services.app.record_batch([bare])
            found["record_batch"].append(time.perf_counter() - started)
            with services.read_model.open() as view:
                started = time.perf_counter()
                view.metrics(partner.couple)
                found["view_metrics"].append(time.perf_counter() - started)
    finally:
        services.close()
    return found


def lost_under_writers(data_dir: Path, port: int, partners: list[Partner], each: int) -> dict[str, int]:
    """8 writers at once: 4 on the first couple (both its partners), the others on the other couples."""
    mine = [
        partners[i % 2] if i < WRITERS // 2 else partners[2 + (i % (len(partners) - 2))]
        for i in range(WRITERS)
    ]
    sent: list[list[str]] = [[] for _ in range(WRITERS)]
    counts = {"errors": 0, "retried_409": 0}
    lock = threading.Lock()

    def writer(i: int) -> list[float]:
        client, partner = Client(port), mine[i]
        for _ in range(each):
            entry = check_in(partner, f"w{i}")
            status, retried = post_entry(client, partner, entry)
            with lock:
                counts["retried_409"] += retried
                if status == 201:
                    sent[i].append(entry["id"])
                else:
                    counts["errors"] += 1
        client.close()
        return []

    concurrently(WRITERS, writer)
    services = build(settings_for(data_dir))
    try:
        stored: set[str] = set()
        for couple in {p.couple for p in mine}:
            stored |= {str(e["id"]) for e in services.app.entries(couple)}
    finally:
        services.close()
    answered = [entry_id for ids in sent for entry_id in ids]
    return {
        "sent": WRITERS * each,
        "answered_201": len(answered),
        "lost": sum(1 for entry_id in answered if entry_id not in stored),
        **counts,
    }


def signin_cost(port: int, partner: Partner, checks: int = 9) -> dict[str, float]:
    stored = HASHER.hash(PASSPHRASE)
    verify = []
    for _ in range(checks):
        started = time.perf_counter()
        HASHER.verify(stored, PASSPHRASE)
        verify.append(time.perf_counter() - started)
    client, http_times = Client(port), []
    for _ in range(5):
        started = time.perf_counter()
        reply = form(client, "/auth/signin", {"account": partner.account, "passphrase": PASSPHRASE})
        http_times.append(time.perf_counter() - started)
        if reply.status != 303:
            raise RuntimeError(f"signing in answered {reply.status}")
        client.close()  # a fresh visitor each time
    return {"verify": statistics.median(verify), "signin": statistics.median(http_times)}


def run() -> Result:
    count = rounds()
    result = Result("server", "The server with accounts: sign-in, API latency, writers at once")
    params = HASHER
    result.setting.update(
        argon2=f"argon2id time_cost {params.time_cost}, memory_cost {params.memory_cost} KiB, "
        f"parallelism {params.parallelism}, hash_len {params.hash_len}, salt_len {params.salt_len}",
        couples=COUPLES,
        clients=CLIENTS,
        requests_per_client=count,
        writers=WRITERS,
        load=f"{os.getloadavg()[0]:.1f} at the start on {os.cpu_count()} cores",
    )
    with tempfile.TemporaryDirectory(prefix="repairtrack-bench-server-") as folder:
        data_dir = Path(folder) / "data"
        partners = make_store(data_dir)
        server = Running(data_dir, Path(folder) / "server.log")
        try:
            join_all(data_dir, server.port, partners)
            cost = signin_cost(server.port, partners[0])
            one = latencies(server.port, partners, 1, count)
            many = latencies(server.port, partners, CLIENTS, count)
            lost = lost_under_writers(data_dir, server.port, partners, count * 3)
        finally:
            server.stop()
        local = in_process(data_dir, partners, count)
    result.add("argon2id: one passphrase check (median of 9)", cost["verify"] * 1000, "ms")
    result.add("sign-in over HTTP (median of 5)", cost["signin"] * 1000, "ms")
    result.add("sign-in over HTTP / one passphrase check", cost["signin"] / cost["verify"], "ratio")
    for key, label in (("post", "log one entry (POST entries)"), ("metrics", "metrics (GET metrics)")):
        base = statistics.median(local[key])
        result.add(f"{label}, in-process service (median)", base * 1000, "ms")
        for clients, found in ((1, one), (CLIENTS, many)):
            median, tail = statistics.median(found[key]), p95(found[key])
            result.add(f"{label}, {clients} client(s): median", median * 1000, "ms")
            result.add(f"{label}, {clients} client(s): p95", tail * 1000, "ms")
            result.add(f"{label}, {clients} client(s): median / in-process", median / base, "ratio")
            result.add(f"{label}, {clients} client(s): p95 / in-process", tail / base, "ratio")
    result.add(
        "RepairTrack.record_batch of one entry (median)",
        statistics.median(local["record_batch"]) * 1000,
        "ms",
    )
    result.add("View.metrics of one couple (median)", statistics.median(local["view_metrics"]) * 1000, "ms")
    result.add(f"entries sent by {WRITERS} writers at once", lost["sent"], "entries")
    result.add("entries answered 201", lost["answered_201"], "entries", lost["sent"])
    result.add("entries lost", lost["lost"], "entries", 0, higher_is_better=False)
    result.add("errors other than a retried 409", lost["errors"], "requests", 0, higher_is_better=False)
    result.add("409 answers retried by the writers", lost["retried_409"], "requests")
    result.notes += [
        "Ratios compare figures measured in this same run; absolute times vary with the machine's load.",
        "The server is `repairtrack dashboard` on 127.0.0.1 (a subprocess); the clients are threads of this "
        "process, each with one keep-alive connection; the in-process figures are measured afterwards on "
        "the same store, one call at a time.",
        f"Writers: {WRITERS // 2} on {partners[0].couple} (both partners), the others on the other couples; "
        "a writer retries a 409 up to 8 times; stored entries are counted in the event store.",
    ]
    return result


if __name__ == "__main__":
    from benchmarks.run import main

    sys.exit(main(["server"]))
