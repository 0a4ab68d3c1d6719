"""Reading JSON Lines into mappings for `RepairTrack.record_batch`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from domain.errors import Problem


def read_jsonl(lines: Iterable[bytes]) -> tuple[list[Any], list[int]]:
    """Parse every non-blank line. A line that is not JSON becomes a `Problem` in its place, so the
    batch reports it with the rest. Returns the items and their 1-based line numbers."""
    items: list[Any] = []
    numbers: list[int] = []
    loads = orjson.loads
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        numbers.append(number)
        try:
            items.append(loads(raw))
        except orjson.JSONDecodeError as error:
            items.append(Problem("entry", "entry.not_json", f"not valid JSON ({error.msg})"))
    return items, numbers
