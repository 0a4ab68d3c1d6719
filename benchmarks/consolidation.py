"""Before and after the consolidation (issue 10): the benchmarks that existed before it (import, read side,
dashboard, encryption) run against an old tree and the current one in the same run, at a modest size.

    python -m benchmarks.consolidation OLD_TREE [NEW_TREE]     # e.g. a `git worktree` of e1aeae4

Every measurement is a separate process started in the tree measured (PYTHONPATH and working folder set
to it) running that tree's own benchmark functions over the same input file; the trees alternate
(old, new, new, old, ...) so the machine's drift falls on both alike. The result is the ratio new / old
of the medians, next to how much the old tree varied against itself across the repetitions (its noise).
Results: `benchmarks/results/consolidation.json` and `.md`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from repairtrack.services.demo import generate

RESULTS = Path(__file__).resolve().parent / "results"
READ_ENTRIES = int(os.environ.get("BENCH_AB_READ_ENTRIES", "50000"))
IMPORT_ENTRIES = int(os.environ.get("BENCH_AB_IMPORT_ENTRIES", "30000"))
SEALED_ENTRIES = int(os.environ.get("BENCH_AB_ENCRYPTION_ENTRIES", "10000"))
REPEATS = int(os.environ.get("BENCH_AB_REPEATS", "3"))
DASHBOARD_REPEATS = 2

CHILD = r"""
import json, statistics, sys, time
from pathlib import Path
kind, args = sys.argv[1], json.loads(sys.argv[2])
out = {}
if kind == "setup":
    from benchmarks import bench_import
    bench_import.command(Path(args["file"]), Path(args["store"]))
elif kind == "import":
    from benchmarks import bench_import
    phases = bench_import.in_process(Path(args["file"]), Path(args["dir"]) / "in-process")
    out["import in-process (read_jsonl + record_batch)"] = args["count"] / phases["total"]
    out["import: record_batch"] = args["count"] / phases["batch"]
    seconds = bench_import.command(Path(args["file"]), Path(args["dir"]) / "command")
    out["import: `repairtrack import` command"] = args["count"] / seconds
elif kind == "read":
    from benchmarks import bench_read
    from repairtrack.bootstrap import build, settings_for
    store = Path(args["store"])
    import os, subprocess
    rebuild = (
        "import sys, time\nfrom repairtrack.bootstrap import build, settings_for\n"
        "services = build(settings_for(sys.argv[1]))\nstarted = time.perf_counter()\n"
        "count = services.read_model.rebuild()\nprint('REBUILT', count, time.perf_counter() - started)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", rebuild, str(store)], stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    _, count, seconds = next(l for l in output.splitlines() if l.startswith("REBUILT ")).split()
    count, seconds, peak = int(count), float(seconds), usage.ru_maxrss / 1024
    out["read: full rebuild"] = count / seconds
    out["read: rebuild peak memory (MiB)"] = peak
    decoded, decode_seconds = bench_read.read_and_decode(store)
    out["read: read and decode only"] = decoded / decode_seconds
    services = build(settings_for(store))
    with services.read_model.open() as view:
        handles = [str(c["handle"]) for c in view.couples()][:12]
        view.metrics(handles[0])
        times = []
        for handle in handles:
            started = time.perf_counter()
            view.metrics(handle)
            times.append(time.perf_counter() - started)
    services.close()
    out["read: metrics of one couple (ms)"] = statistics.median(times) * 1000
elif kind == "encryption":
    import orjson
    from benchmarks import bench_encryption
    entries = [orjson.loads(line) for line in Path(args["file"]).read_bytes().splitlines()]
    plain = bench_encryption.measure(Path(args["dir"]) / "plain", None, entries)
    sealed = bench_encryption.measure(Path(args["dir"]) / "sealed", bench_encryption.new_key(), entries)
    out["encryption: import encrypted / plain"] = sealed[0] / plain[0]
    out["encryption: rebuild encrypted / plain"] = sealed[1] / plain[1]
    out["encryption: import, encrypted store"] = sealed[0]
elif kind == "dashboard":
    from benchmarks.bench_dashboard import server_rerun
    found = server_rerun(Path(args["store"]), args["couple"], runs=5, warm_up=1)
    out["dashboard: Overview rerun, server side (ms)"] = found["rerun_ms_median"]
print("RESULT " + json.dumps(out))
"""

LOWER_IS_BETTER = ("(ms)", "(MiB)")


def child(tree: Path, kind: str, **args: Any) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPAIRTRACK_")}
    env["PYTHONPATH"] = str(tree)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, kind, json.dumps(args)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{kind} in {tree} failed ({done.returncode}): {done.stderr[-3000:]}")
    found: dict[str, float] = json.loads(lines[-1].removeprefix("RESULT "))
    return found


def write_file(path: Path, entries: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entries))
    return path


def compare(old_tree: Path, new_tree: Path) -> dict[str, Any]:
    until = (datetime.now(UTC) - timedelta(days=1)).date()
    trees = {"old": old_tree, "new": new_tree}
    runs: dict[str, dict[str, list[float]]] = {"old": {}, "new": {}}
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="repairtrack-ab-") as folder:
        root = Path(folder)
        entries = generate(seed=1, couples=max(1, READ_ENTRIES // 900), days=196, until=until)[:READ_ENTRIES]
        read_file = write_file(root / "read.jsonl", entries)
        import_file = write_file(root / "import.jsonl", entries[:IMPORT_ENTRIES])
        sealed_file = write_file(root / "sealed.jsonl", entries[:SEALED_ENTRIES])
        couple = str(entries[0]["couple"])
        del entries
        stores = {name: root / f"store-{name}" for name in trees}
        for name, tree in trees.items():
            child(tree, "setup", file=str(read_file), store=str(stores[name]))

        def measure(name: str, kind: str, index: int) -> None:
            work = root / f"{kind}-{name}-{index}"
            found = child(
                trees[name],
                kind,
                file=str({"import": import_file, "encryption": sealed_file}.get(kind, read_file)),
                count=IMPORT_ENTRIES,
                dir=str(work),
                store=str(stores[name]),
                couple=couple,
            )
            subprocess.run(["rm", "-rf", str(work)], check=False)
            for key, value in found.items():
                runs[name].setdefault(key, []).append(value)

        for index in range(REPEATS):
            order = ("old", "new") if index % 2 == 0 else ("new", "old")
            for kind in ("import", "read", "encryption") + (
                ("dashboard",) if index < DASHBOARD_REPEATS else ()
            ):
                for name in order:
                    print(f"  {kind} {name} #{index + 1}", flush=True)
                    measure(name, kind, index)
    rows = []
    for key in runs["old"]:
        old, new = runs["old"][key], runs["new"].get(key, [])
        if not new:
            continue
        ratio = statistics.median(new) / statistics.median(old)
        spreads = [max(side) / min(side) if min(side) > 0 else float("inf") for side in (old, new)]
        noise = max(spreads)
        pairs = [n / o for o, n in zip(old, new, strict=False) if o > 0]  # measured back to back
        better = "lower" if key.endswith(LOWER_IS_BETTER) else "higher"
        rows.append(
            {
                "measure": key,
                "old": old,
                "new": new,
                "old_median": statistics.median(old),
                "new_median": statistics.median(new),
                "new_over_old": ratio,
                "old_spread": spreads[0],
                "new_spread": spreads[1],
                "paired_ratios": pairs,
                "better": better,
                "within_noise": 1 / noise <= ratio <= noise,
            }
        )
    return {
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 1),
        "old_tree": str(old_tree),
        "new_tree": str(new_tree),
        "setting": {
            "read_store_entries": READ_ENTRIES,
            "import_entries": IMPORT_ENTRIES,
            "encryption_entries": SEALED_ENTRIES,
            "repeats": REPEATS,
            "dashboard_repeats": DASHBOARD_REPEATS,
            "load_at_start": round(load_start, 1),
            "load_at_end": round(os.getloadavg()[0], 1),
            "cpus": os.cpu_count(),
        },
        "rows": rows,
    }


def _direction(row: dict[str, Any]) -> str:
    """A note when every back-to-back pair leans the same way (a hint of a real change under the noise)."""
    pairs = row["paired_ratios"]
    if len(pairs) < 2 or not (all(r > 1 for r in pairs) or all(r < 1 for r in pairs)):
        return ""
    higher = all(r > 1 for r in pairs)
    better = higher == (row["better"] == "higher")
    return f"; every pair {'better' if better else '**worse**'} with new"


def markdown(record: dict[str, Any], old_label: str, new_label: str) -> str:
    s = record["setting"]
    lines = [
        f"# Before and after the consolidation: {old_label} against {new_label}",
        "",
        f"Run {record['finished']} in {record['seconds']:.0f} s; load average {s['load_at_start']} at the "
        f"start and {s['load_at_end']} at the end on {s['cpus']} cores (a shared machine: read the ratios).",
        "",
        f"Sizes: read side on a store of {s['read_store_entries']:,} entries, import of "
        f"{s['import_entries']:,} entries, encryption over {s['encryption_entries']:,} entries; "
        f"{s['repeats']} alternating repetitions per tree ({s['dashboard_repeats']} for the dashboard), "
        "each in its own process.",
        "",
        "| measure | old (median) | new (median) | new / old | new / old of each back-to-back pair | "
        "spread of a tree against itself (max / min: old, new) | within noise |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for row in record["rows"]:
        pairs = ", ".join(f"{r:.2f}" for r in row["paired_ratios"])
        lines.append(
            f"| {row['measure']} ({row['better']} is better) | {row['old_median']:,.3f} | "
            f"{row['new_median']:,.3f} | {row['new_over_old']:.3f} | {pairs} | "
            f"{row['old_spread']:.2f}, {row['new_spread']:.2f} | "
            f"{'yes' if row['within_noise'] else '**no**'}{_direction(row)} |"
        )
    lines += [
        "",
        "Rates are entries/s unless the measure names its unit. 'Within noise' means the ratio new / old "
        "lies inside the larger of the two trees' own spreads across their repetitions in this run.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print("usage: python -m benchmarks.consolidation OLD_TREE [NEW_TREE]", file=sys.stderr)
        return 2
    if argv[0] == "--render":  # write the Markdown again from the JSON (after a change to the table)
        saved = json.loads((RESULTS / "consolidation.json").read_text())
        for row in saved["rows"]:
            spreads = [max(side) / min(side) for side in (row["old"], row["new"])]
            row |= {"old_spread": spreads[0], "new_spread": spreads[1]}
            row["paired_ratios"] = [n / o for o, n in zip(row["old"], row["new"], strict=False)]
            row["within_noise"] = 1 / max(spreads) <= row["new_over_old"] <= max(spreads)
        (RESULTS / "consolidation.json").write_text(json.dumps(saved, indent=2) + "\n")
        (RESULTS / "consolidation.md").write_text(markdown(saved, saved["old_label"], saved["new_label"]))
        return 0
    old_tree = Path(argv[0]).resolve()
    new_tree = Path(argv[1]).resolve() if len(argv) > 1 else Path(__file__).resolve().parents[1]
    record = compare(old_tree, new_tree)
    old_label = os.environ.get("BENCH_AB_OLD_LABEL", old_tree.name)
    new_label = os.environ.get("BENCH_AB_NEW_LABEL", new_tree.name)
    record |= {"old_label": old_label, "new_label": new_label}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "consolidation.json").write_text(json.dumps(record, indent=2) + "\n")
    text = markdown(record, old_label, new_label)
    (RESULTS / "consolidation.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
