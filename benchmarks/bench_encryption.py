"""What encryption at rest costs: the same 100,000 entries imported into a plain and into an encrypted
store, and each read model rebuilt, in one run (ratios are what to read; machines are noisy)."""

from __future__ import annotations

import gc
import os
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks import Result
from repairtrack.bootstrap import build
from repairtrack.config import Settings
from repairtrack.services.demo import generate
from repairtrack.services.keys import new_key

ENTRIES = int(os.environ.get("BENCH_ENCRYPTION_ENTRIES", "100000"))  # fewer for a quicker run


def measure(folder: Path, key: str | None, entries: list[dict[str, object]]) -> tuple[float, float]:
    environ = {"REPAIRTRACK_ENCRYPTION_KEY": key} if key else {}
    services = build(Settings.from_env(data_dir=folder, environ=environ))
    gc.collect()
    started = time.perf_counter()
    services.app.record_batch(entries)
    imported = time.perf_counter() - started
    started = time.perf_counter()
    services.read_model.rebuild()
    rebuilt = time.perf_counter() - started
    services.close()
    return len(entries) / imported, len(entries) / rebuilt


def run() -> Result:
    result = Result("encryption", "The cost of encryption at rest")
    entries = generate(seed=3, couples=180 * ENTRIES // 100_000 + 1, days=120, until=date(2026, 11, 1))[
        :ENTRIES
    ]
    result.setting.update(entries=len(entries))
    rates: dict[str, list[tuple[float, float]]] = {"plain": [], "sealed": []}
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(2):  # alternate, and keep each side's best: the machine is noisy
            for name, key in (("plain", None), ("sealed", new_key())):
                rates[name].append(measure(Path(folder) / f"{name}-{round_}", key, entries))
    plain_import, plain_rebuild = (max(r[i] for r in rates["plain"]) for i in (0, 1))
    sealed_import, sealed_rebuild = (max(r[i] for r in rates["sealed"]) for i in (0, 1))
    result.add("import, plain store", plain_import, "entries/s")
    result.add("import, encrypted store", sealed_import, "entries/s", 20_000)
    result.add("import: encrypted / plain", sealed_import / plain_import, "ratio")
    result.add("rebuild, plain store", plain_rebuild, "entries/s")
    result.add("rebuild, encrypted store", sealed_rebuild, "entries/s")
    result.add("rebuild: encrypted / plain", sealed_rebuild / plain_rebuild, "ratio")
    result.notes.append(
        "Encrypted: event payloads with the library's AES-GCM cipher; in the read model notes, names, "
        "handles, descriptions and topics sealed with AES-GCM and topics compared by a keyed hash."
    )
    return result
