"""The large store the read-side and dashboard benchmarks share: about 1,000,000 generated entries of
1,000 couples (the demo generator, about 1,000 entries per couple), built once and cached under
`benchmarks/.cache/` (never committed). A marker file records how it was made; a different recipe
rebuilds it. `BENCH_STORE_COUPLES` sets how many couples (1,000 by default; fewer for a quicker run)."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

from repairtrack.bootstrap import Services, build, settings_for
from repairtrack.services.demo import generate_couples

CACHE = Path(__file__).resolve().parent / ".cache"
RECIPE = {
    "seed": 2026,
    "couples": int(os.environ.get("BENCH_STORE_COUPLES", "1000")),
    "days": 196,
    "until": "2026-11-26",
    "generator": 1,
}
BATCH = 100_000


def million_store(log: bool = True) -> Path:
    """The data folder of the shared 1M-entry store, built if missing."""
    folder = CACHE / ("store-1m" if RECIPE["couples"] == 1000 else f"store-{RECIPE['couples']}")
    return generated_store(folder, RECIPE, "the shared store", log=log)


def generated_store(
    folder: Path,
    recipe: Mapping[str, object],
    label: str,
    *,
    then: Callable[[Services], None] | None = None,
    log: bool = True,
) -> Path:
    """The data folder of a store of generated couples made by `recipe` (seed, couples, days, until),
    with `then` run over its services before the projection is caught up; built if missing or made by
    another recipe (the marker file `recipe.json` says which)."""
    marker = folder / "recipe.json"
    if marker.exists() and json.loads(marker.read_text()) == recipe:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    services = build(settings_for(folder))
    stored, batch = 0, []
    try:
        for entries in generate_couples(
            seed=int(str(recipe["seed"])),
            couples=int(str(recipe["couples"])),
            days=int(str(recipe["days"])),
            until=date.fromisoformat(str(recipe["until"])),
        ):
            batch.extend(entries)
            if len(batch) >= BATCH:
                stored += len(services.app.record_batch(batch))
                batch = []
                if log:
                    print(f"  building {label}: {stored:,} entries", flush=True)
        if batch:
            stored += len(services.app.record_batch(batch))
        if then is not None:
            then(services)
        with services.read_model.open():
            pass  # the projection too
    finally:
        services.close()
    marker.write_text(json.dumps(recipe))
    if log:
        print(f"  built {stored:,} entries in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def couple_handles(count: int, step: int = 37) -> list[str]:
    total = int(RECIPE["couples"])  # type: ignore[call-overload]
    return [f"demo-{(i * step) % total:04d}" for i in range(count)]


def store_title() -> str:
    """How the shared store is named in the benchmarks' titles."""
    couples = int(RECIPE["couples"])  # type: ignore[call-overload]
    return (
        "1,000,000-entry store"
        if couples == 1000
        else f"store of {couples:,} couples (~{couples:,},000 entries)"
    )
