"""Run the benchmarks: `python -m benchmarks.run [names...]` (all of them without names).

Each result lands in `benchmarks/results/<name>.json` (for machines) and `<name>.md` (for people);
`benchmarks/results/summary.md` lists every result found there. Exit code 1 when a figure misses its
target, 2 for an unknown name. To add a benchmark, write a module with `run() -> Result` and register
it in `BENCHMARKS`.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import (
    Measure,
    Result,
    bench_caseload,
    bench_dashboard,
    bench_encryption,
    bench_faults,
    bench_import,
    bench_read,
    bench_server,
)

BENCHMARKS: dict[str, Callable[[], Result]] = {
    "import": bench_import.run,
    "read": bench_read.run,
    "encryption": bench_encryption.run,
    "faults": bench_faults.run,
    "dashboard": bench_dashboard.bench,
    "caseload": bench_caseload.run,
    "server": bench_server.run,
}

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict[str, Any]:
    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "-"

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
        "eventsourcing": version("eventsourcing"),
        "orjson": version("orjson"),
    }


def number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:,.2f}"
    return f"{value:.3f}"


def target_text(measure: Measure) -> str:
    if measure.target is None:
        return ""
    return f"{'≥' if measure.higher_is_better else '≤'} {number(measure.target)}"


def met_text(measure: Measure) -> str:
    return {True: "yes", False: "**NO**", None: ""}[measure.met]


def markdown(result: Result, record: dict[str, Any]) -> str:
    lines = [
        f"# {result.name}: {result.title}",
        "",
        f"Run {record['finished']} in {record['seconds']:.1f} s.",
        "",
        "| measure | value | unit | target | met |",
        "|---|---:|---|---:|---|",
    ]
    lines += [
        f"| {m.name} | {number(m.value)} | {m.unit} | {target_text(m)} | {met_text(m)} |"
        for m in result.measures
    ]
    if result.setting:
        lines += ["", "Setting: " + ", ".join(f"{k} {v}" for k, v in result.setting.items()) + "."]
    lines += ["", "Machine: " + ", ".join(f"{k} {v}" for k, v in record["machine"].items()) + "."]
    if result.notes:
        lines += ["", *(f"- {note}" for note in result.notes)]
    return "\n".join(lines) + "\n"


def write(result: Result, seconds: float, folder: Path = RESULTS) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "name": result.name,
        "title": result.title,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "met": result.met,
        "measures": [m.as_dict() for m in result.measures],
        "setting": result.setting,
        "notes": result.notes,
        "machine": machine(),
    }
    (folder / f"{result.name}.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    (folder / f"{result.name}.md").write_text(markdown(result, record))
    return record


def summary(folder: Path = RESULTS) -> str:
    """One table over every result in the folder (also those of earlier runs of other benchmarks)."""
    lines = [
        "# Benchmark summary",
        "",
        "| benchmark | measure | value | unit | target | met | run |",
        "|---|---|---:|---|---:|---|---|",
    ]
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text())
        for m in record.get("measures", []):  # consolidation.json (two trees compared) has its own table
            measure = Measure(m["name"], m["value"], m["unit"], m["target"], m["higher_is_better"])
            lines.append(
                f"| [{record['name']}]({record['name']}.md) | {measure.name} | {number(measure.value)} "
                f"| {measure.unit} | {target_text(measure)} | {met_text(measure)} | {record['finished']} |"
            )
    text = "\n".join(lines) + "\n"
    (folder / "summary.md").write_text(text)
    return text


def main(argv: Sequence[str] | None = None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    all_met = True
    for name in names:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        result = BENCHMARKS[name]()
        record = write(result, time.perf_counter() - started)
        print(markdown(result, record), flush=True)
        all_met = all_met and result.met
    summary()
    print(f"results in {RESULTS}")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
