"""Retraction (SPEC section 3, `entry_retracted`): which entries are treated as never recorded.

A retracted entry is gone, and so is every entry that depends on it (the resolution of a conflict, the
outcome of a repair attempt, the outcome, renegotiations and release of a promise). Retracting a
dependent entry opens its parent again for a new one. Repair attempts linked to a retracted conflict stay,
unlinked; they do not depend on it.

`retract` is the one place this is decided: the `Couple` aggregate calls it for the write side's rules,
and `gone_ids` replays it over a couple's recorded entries (in the interchange format) for the export.
The read side's `live` view (projections.facts) states the same in SQL over the rows it stores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from domain.entries import FIELDS, entry_id

RETRACTION: Final = "entry_retracted"

# Entry types whose entries depend on a parent entry, and the field naming that parent.
PARENT_FIELD: Final[dict[str, str]] = {
    "conflict_resolved": "conflict",
    "repair_accepted": "attempt",
    "repair_declined": "attempt",
    "promise_kept": "promise",
    "promise_broken": "promise",
    "promise_renegotiated": "promise",
    "promise_released": "promise",
}

# Entry types with a field that names another entry of the couple, and that field: the dependents'
# parent, a repair attempt's (optional) conflict, a retraction's target.
REFERENCE_FIELD: Final[dict[str, str]] = {
    kind: name for kind, spec in FIELDS.items() for name, (_, check) in spec.items() if check is entry_id
}


def parent_of(entry_type: str, fields: Mapping[str, Any]) -> str | None:
    """The id of the entry an entry depends on, or None when its type depends on none."""
    name = PARENT_FIELD.get(entry_type)
    return None if name is None else fields.get(name)


def retract(target: str, parents: dict[str, str], retracted: dict[str, bool]) -> str | None:
    """Treat `target` and every live entry depending on it as never recorded.

    `parents` maps each live dependent entry to its parent and `retracted` holds every id that is gone;
    both are updated. Returns the parent `target` itself depended on (open again for a new dependent),
    or None."""
    retracted[target] = True
    for child in [child for child, parent in parents.items() if parent == target]:
        retracted[child] = True
        del parents[child]
    return parents.pop(target, None)


def gone_ids(entries: Iterable[Mapping[str, Any]]) -> set[str]:
    """The ids of the entries that do not exist -- retracted, or depending on a retracted entry -- from
    every recorded entry of a couple in recording order (the interchange format of SPEC section 3)."""
    parents: dict[str, str] = {}
    retracted: dict[str, bool] = {}
    for entry in entries:
        kind = str(entry["type"])
        if kind == RETRACTION:
            retract(str(entry["entry"]), parents, retracted)
            continue
        parent = parent_of(kind, entry)
        if parent is not None:
            parents[str(entry["id"])] = str(parent)
    return set(retracted)
