"""The counselor's caseload (SPEC section 10) over 500 couples of about 1,000 entries each, all in one run:

- one caseload over every couple (in-process, median of a few), against one couple's metrics request in
  the same run (median over couples): the ratio is the figure held to a target;
- the same caseload through the service layer, as a counselor to whom every couple granted access
  (the grants looked up too), against one couple's metrics requested by that counselor through the
  service (the grant checked, the opening logged): a request against a request;
- peak memory of a fresh process that opens the read model and computes the caseload once (its maximum
  resident size), and the peak of Python's own allocations during one caseload (tracemalloc).

The store (generated couples, a counselor's account and a grant from every couple) is built once and
cached under `benchmarks/.cache/` (never committed). `BENCH_CASELOAD_COUPLES` sets how many couples (500
by default; a smaller store checks the benchmark quickly).
"""

from __future__ import annotations

import hashlib
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from benchmarks import Result
from benchmarks.store import CACHE, generated_store
from projections.caseload import caseload
from repairtrack.bootstrap import Services, build, settings_for
from repairtrack.services.actors import Actor
from repairtrack.services.couples import Couples

ROOT = Path(__file__).resolve().parents[1]
COUNSELOR = "bench-counselor"
UNTIL = date(2026, 11, 26)
AS_OF = datetime.combine(UNTIL, clock_time(0), UTC)
BATCH = 100_000

ONCE = """
import sys, time
from datetime import datetime
from projections.caseload import caseload
from repairtrack.bootstrap import build, settings_for
services = build(settings_for(sys.argv[1]))
handles = sys.argv[3].split(",")
with services.read_model.open() as view:
    started = time.perf_counter()
    rows = caseload(view, handles, datetime.fromisoformat(sys.argv[2]), 28)
    print(len(rows), time.perf_counter() - started)
services.close()
"""


def couples_wanted() -> int:
    return int(os.environ.get("BENCH_CASELOAD_COUPLES", "500"))


def caseload_store(couples: int, log: bool = True) -> Path:
    """The data folder of a store of `couples` generated couples (about 1,000 entries each), a counselor's
    account and a grant from every couple; built if missing."""
    recipe = {"seed": 2026, "couples": couples, "days": 196, "until": UNTIL.isoformat(), "generator": 1}

    def counselor_granted_by_all(services: Services) -> None:
        code_hash = hashlib.sha256(b"bench-counselor-code").hexdigest()
        expires = services.app.clock() + timedelta(hours=72)
        services.identity.invite(code_hash, role="counselor", display_name="Dr. Bench", expires_at=expires)
        services.identity.redeem(code_hash, COUNSELOR)
        for handle in handles_of(services):
            services.access.grant(handle, COUNSELOR, notes=False, by="operator")

    folder = CACHE / f"store-caseload-{couples}"
    return generated_store(folder, recipe, "the caseload store", then=counselor_granted_by_all, log=log)


def handles_of(services: Services) -> list[str]:
    with services.read_model.open() as view:
        return [str(c["handle"]) for c in view.couples()]


def peak_of_fresh_process(folder: Path, handles: list[str]) -> tuple[float, float]:
    """(seconds of the caseload, maximum resident MiB) of a fresh process computing it once."""
    child = subprocess.Popen(
        [sys.executable, "-c", ONCE, str(folder), AS_OF.isoformat(), ",".join(handles)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"the caseload process failed: {output}")
    _, seconds = output.split()
    return float(seconds), usage.ru_maxrss / 1024


def run() -> Result:
    couples = couples_wanted()
    result = Result("caseload", f"The counselor's caseload over {couples} couples")
    folder = caseload_store(couples)
    services = build(settings_for(folder))
    try:
        handles = handles_of(services)
        entries = services.app.recorder.max_notification_id() or 0
        result.setting.update(
            couples=len(handles), notifications=entries, as_of=AS_OF.isoformat(), window_days=28
        )
        with services.read_model.open() as view:
            caseload(view, handles, AS_OF, 28)  # warm-up
            view.metrics(handles[0], as_of=AS_OF)
            whole: list[float] = []
            one: list[float] = []
            sample = handles[:: max(1, len(handles) // 15)][:15]
            for round_ in range(5):  # interleaved, so the machine's drift falls on both alike
                started = time.perf_counter()
                rows = caseload(view, handles, AS_OF, 28)
                whole.append(time.perf_counter() - started)
                for handle in sample[round_ * 3 : round_ * 3 + 3]:
                    started = time.perf_counter()
                    view.metrics(handle, as_of=AS_OF)
                    one.append(time.perf_counter() - started)
            tracemalloc.start()
            caseload(view, handles, AS_OF, 28)
            _, python_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        caseload_ms, metrics_ms = statistics.median(whole) * 1000, statistics.median(one) * 1000
        result.add(f"caseload over all {len(handles)} couples, in-process (median of 5)", caseload_ms, "ms")
        result.add("metrics, one couple, in-process (median)", metrics_ms, "ms")
        result.add(
            "caseload / one couple's metrics", caseload_ms / metrics_ms, "ratio", 10, higher_is_better=False
        )
        flagged = sum(1 for r in rows if r["flags"])
        result.setting.update(rows=len(rows), flagged=flagged)

        service = Couples(services)
        counselor = Actor("counselor", account=COUNSELOR, name="Dr. Bench")
        through: list[float] = []
        one_through: list[float] = []
        for round_ in range(3):  # interleaved too
            started = time.perf_counter()
            assert len(service.caseload(counselor, AS_OF)) == len(handles)
            through.append(time.perf_counter() - started)
            for handle in sample[round_ * 3 : round_ * 3 + 3]:
                started = time.perf_counter()
                service.metrics(counselor, handle, AS_OF)
                one_through.append(time.perf_counter() - started)
        caseload_request, metrics_request = statistics.median(through), statistics.median(one_through)
        result.add(
            "caseload request through the service (grants looked up, read model opened)",
            caseload_request * 1000,
            "ms",
        )
        result.add(
            "metrics request of one couple through the service (grant checked, opening logged)",
            metrics_request * 1000,
            "ms",
        )
        result.add(
            "caseload request / one couple's metrics request, both through the service",
            caseload_request / metrics_request,
            "ratio",
            10,
            higher_is_better=False,
        )
        result.add("peak of Python allocations during one caseload (tracemalloc)", python_peak / 2**20, "MiB")
    finally:
        services.close()
    fresh_seconds, resident = peak_of_fresh_process(folder, handles)
    result.add("caseload in a fresh process", fresh_seconds * 1000, "ms")
    result.add(
        "peak memory of a fresh process computing one caseload", resident, "MiB", 1024, higher_is_better=False
    )
    result.notes.append(
        "The ratio compares figures measured in this same run; absolute times vary with the machine's load."
    )
    result.notes.append(
        "tracemalloc sees Python's allocations only; polars, Arrow and DuckDB allocate natively, which the "
        "fresh process's resident peak includes (with the libraries themselves)."
    )
    return result


if __name__ == "__main__":
    from benchmarks.run import main

    sys.exit(main(["caseload"]))
