"""Interchange files for imports: JSON Lines written from entries, and generated demo couples renamed
so that several files never name the same couple."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from repairtrack.services.demo import generate_couples


def write_jsonl(path: Path, entries: Iterable[dict[str, Any]]) -> Path:
    """`entries` as a JSON Lines file at `path`, one entry a line; returns `path`."""
    path.write_bytes(b"".join(orjson.dumps(entry) + b"\n" for entry in entries))
    return path


def renamed_demo_couples(
    prefix: str, *, seed: int, couples: int, days: int, until: date
) -> Iterable[list[dict[str, Any]]]:
    """The demo generator's couples, each one's entries with its handle renamed `PREFIX-demo-NNNN`."""
    for entries in generate_couples(seed=seed, couples=couples, days=days, until=until):
        yield [{**entry, "couple": f"{prefix}-{entry['couple']}"} for entry in entries]


def renamed_demo_entries(
    prefix: str, *, seed: int, couples: int, days: int, until: date
) -> list[dict[str, Any]]:
    """All entries of `renamed_demo_couples`, couple after couple."""
    return [
        entry
        for entries in renamed_demo_couples(prefix, seed=seed, couples=couples, days=days, until=until)
        for entry in entries
    ]
