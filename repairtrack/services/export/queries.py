"""What the report needs from the read model beyond the metrics object: the open promises as of T.

"Open" is the definition of SPEC section 4 (non-released promises made by T, due after T, with no outcome
by T), taken from `projections.metrics` so that it is written once; this adds what the promises say.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl

from projections.metrics import COLUMNS, Metrics
from projections.readmodel import View


def open_promises(view: View, handle: str, as_of: datetime, window_days: int) -> list[dict[str, Any]]:
    """Each open promise as of T, soonest due first: `id`, `by` (handle), `description`, `made_at` and
    `due_at` (its current due time as of T), times as aware UTC."""
    couple = view.couple(handle)
    rows = view.rows(handle, as_of, columns=COLUMNS + ", description")
    metrics = Metrics(rows, couple, as_of, window_days)
    states = metrics.promise_states(pl.DataFrame({"ref_id": [0], "R": [metrics.T]}))
    still_open = states.filter((pl.col("due") > metrics.T) & ~pl.col("kept") & ~pl.col("broken")).sort(
        "due", "made_at"
    )
    descriptions = dict(
        zip(
            rows.filter(pl.col("type") == "promise_made")["entry_id"].to_list(),
            rows.filter(pl.col("type") == "promise_made")["description"].to_list(),
            strict=True,
        )
    )
    return [
        {
            "id": row["promise"],
            "by": couple.partners[int(row["actor"])],
            "description": view.sealer.open(descriptions.get(row["promise"])) or "",
            "made_at": row["made_at"].replace(tzinfo=UTC),
            "due_at": row["due"].replace(tzinfo=UTC),
        }
        for row in still_open.iter_rows(named=True)
    ]
