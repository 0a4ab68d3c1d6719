"""Which entries `events.jsonl` holds (SPEC section 6), and in which form.

In recording order: every entry other than a retraction with `occurred_at` <= T (retracted ones
included), plus every retraction whose target is among them, whatever the retraction's own time. That
set passes the rules again on import -- a child never happens before its parent, and corrections keep
their order -- and yields the same metrics as of T, since an entry after T does not exist as of T and a
retraction counts whenever it was made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import orjson

from domain.retraction import RETRACTION, gone_ids
from repairtrack.services.export.privacy import Pseudonymizer, strip_notes

__all__ = ["entries_as_of", "gone_ids", "occurred", "prepare", "to_jsonl"]


def occurred(entry: Mapping[str, Any]) -> datetime:
    return datetime.fromisoformat(str(entry["occurred_at"]))


def entries_as_of(entries: Iterable[Mapping[str, Any]], as_of: datetime) -> list[dict[str, Any]]:
    """The entries of the bundle, from every entry of the couple in recording order."""
    chosen: list[dict[str, Any]] = []
    present: set[str] = set()
    for entry in entries:
        if entry["type"] == RETRACTION:
            if entry["entry"] in present:
                chosen.append(dict(entry))
        elif occurred(entry) <= as_of:
            chosen.append(dict(entry))
            present.add(str(entry["id"]))
    return chosen


def prepare(
    entries: Iterable[Mapping[str, Any]], *, include_notes: bool, pseudonymizer: Pseudonymizer
) -> list[dict[str, Any]]:
    """The entries as the bundle writes them: notes left out as asked, identities replaced."""
    stripped = [strip_notes(e, include_notes=include_notes) for e in entries]
    pseudonymizer.reserve_ids([str(e["id"]) for e in stripped])
    return [pseudonymizer.entry(e) for e in stripped]


def to_jsonl(entries: Iterable[Mapping[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(e) + b"\n" for e in entries)
