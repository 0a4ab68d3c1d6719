"""What the report needs from the read model beyond the metrics object: the open promises as of T.

"Open" is the definition of SPEC section 4 (non-released promises made by T, due after T, with no outcome
by T). The read model answers which promises are open and their current due time (`View.open_promises`,
the same query the dashboard's waiting page asks); this keeps those due after T and what they say.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from projections.readmodel import View


def open_promises(
    view: View, handle: str, as_of: datetime, window_days: int | None = None
) -> list[dict[str, Any]]:
    """Each open promise as of T, soonest due first: `id`, `by` (handle), `description`, `made_at` and
    `due_at` (its current due time as of T), times as aware UTC. Being open does not depend on the
    metrics' window; `window_days` is accepted for the callers that pass it and not used."""
    return [
        {
            "id": row["entry_id"],
            "by": row["by"],
            "description": row["description"] or "",
            "made_at": row["occurred_at"],
            "due_at": row["due_at"],
        }
        for row in view.open_promises(handle, as_of=as_of)
        if row["due_at"] > as_of
    ]
