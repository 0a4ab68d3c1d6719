"""How a promise kept before its due time is named (issue 11). SPEC section 4 counts a promise from its
current due time on, so one kept early shows in no figure until then; these words say when it will.
Plain text: the pages escape it as Markdown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo


def counts_on(due_at: datetime, zone: str) -> str:
    """ "kept early, counts on 3 Dec" (the due day in the couple's zone)."""
    day = due_at.astimezone(ZoneInfo(zone)).strftime("%d %b").lstrip("0")
    return f"kept early, counts on {day}"


def kept_early_line(row: Mapping[str, Any], names: Mapping[str, str], zone: str) -> str:
    """One kept-early promise: "Ben: “do the dishes”, kept early, counts on 3 Dec"."""
    who = names.get(row.get("by") or "", row.get("by") or "")
    what = f"“{row['description']}”"
    return (
        f"{who}: {what}, {counts_on(row['due_at'], zone)}"
        if who
        else f"{what}, {counts_on(row['due_at'], zone)}"
    )


def kept_early_note(rows: Sequence[Mapping[str, Any]], names: Mapping[str, str], zone: str) -> str | None:
    """The overview's note near the promise card, or None when no promise was kept early."""
    if not rows:
        return None
    listed = "; ".join(kept_early_line(row, names, zone) for row in rows)
    return (
        f"{listed}. A promise counts in these figures from its due time on, so one kept early shows up "
        "then, as kept."
    )
