"""The facts a condition or a text template reads: a metrics object plus the derived facts.

The metrics object is SPEC section 4's "Machine-readable form" (its schema comes from whoever loads the
content, see ``content.schema``). A *derived fact* is computed from it (and from optional extras) and named
like a metric, so ``trust_trend < -5`` reads like ``repair.offered > 2``. Derived facts read the metrics
object by plain mapping access and name the path they miss when it is not there.

Partners are never named in content: they are the keys of the ``by_partner`` objects of the metrics object,
in the order it lists them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final, TypeAlias

from content.errors import GuidanceError
from content.schema import Schema, SchemaNode

__all__ = [
    "DERIVED_FACTS",
    "EXTRAS_KEYS",
    "DerivedFact",
    "Extras",
    "Metrics",
    "build_facts",
    "facts_schema",
    "partners",
]

Metrics: TypeAlias = Mapping[str, Any]
#: Optional input beside the metrics: ``{"last_check_in": {handle: ISO time with offset, or None}}``.
Extras: TypeAlias = Mapping[str, Any]
EXTRAS_KEYS: Final = frozenset({"last_check_in"})


def _at(metrics: Metrics, *keys: str) -> Any:
    """metrics[k1][k2]..., or a clear error naming the path that is missing."""
    value: Any = metrics
    for depth, key in enumerate(keys):
        if not isinstance(value, Mapping) or key not in value:
            raise GuidanceError(f"the metrics object has no {'.'.join(keys[: depth + 1])!r}")
        value = value[key]
    return value


def partners(facts: Mapping[str, Any]) -> list[str]:
    """The partner handles: the keys of every group's ``by_partner`` object, in the order they appear."""
    handles: list[str] = []
    for group, value in facts.items():
        if not isinstance(value, Mapping) or "by_partner" not in value:
            continue
        by_partner = value["by_partner"]
        if not isinstance(by_partner, Mapping):
            raise GuidanceError(f"the metrics object's {group}.by_partner is not an object")
        handles.extend(handle for handle in by_partner if handle not in handles)
    return handles


def _as_of(metrics: Metrics) -> datetime:
    text = _at(metrics, "as_of")
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError as error:
        raise GuidanceError(f"the metrics object's as_of is not an ISO time: {text!r}") from error
    if moment.tzinfo is None:
        raise GuidanceError(f"the metrics object's as_of has no offset: {text!r}")
    return moment.astimezone(UTC)


def _weekly(metrics: Metrics) -> list[Mapping[str, Any]]:
    rows = _at(metrics, "weekly")
    if not isinstance(rows, list):
        raise GuidanceError("the metrics object's weekly is not a list")
    return rows


def _days_since_last_check_in(metrics: Metrics, extras: Extras) -> dict[str, int | None]:
    as_of = _as_of(metrics)
    given: Mapping[str, Any] = extras.get("last_check_in") or {}
    days: dict[str, int | None] = {}
    for handle in partners(metrics):
        if handle in given:
            last = given[handle]
            if last is None:
                days[handle] = None
                continue
            moment = datetime.fromisoformat(str(last))
            if moment.tzinfo is None:
                raise GuidanceError(f"extras last_check_in for {handle!r} has no offset: {last!r}")
            days[handle] = max(0, math.floor((as_of - moment) / timedelta(days=1)))
            continue
        days[handle] = None
        for row in reversed(_weekly(metrics)):
            if (row.get("by_partner", {}).get(handle) or {}).get("check_ins", 0) > 0:
                days[handle] = max(0, (as_of.date() - date.fromisoformat(row["week_start"])).days)
                break
    return days


def _max_days_since_last_check_in(metrics: Metrics, extras: Extras) -> int | None:
    known = [d for d in _days_since_last_check_in(metrics, extras).values() if d is not None]
    return max(known) if known else None


def _trust_trend(metrics: Metrics, extras: Extras) -> float | None:
    rows = _weekly(metrics)
    if len(rows) < 2:
        return None
    last, before = rows[-1].get("trust_consistency"), rows[-2].get("trust_consistency")
    if last is None or before is None:
        return None
    return float(last) - float(before)


def _weeks_of_data(metrics: Metrics, extras: Extras) -> int:
    return len(_weekly(metrics))


def _check_ins_by_partner(metrics: Metrics) -> Mapping[str, Mapping[str, Any]]:
    by_partner: Mapping[str, Mapping[str, Any]] = _at(metrics, "check_ins", "by_partner")
    return by_partner


def _min_partner_csi4(metrics: Metrics, extras: Extras) -> float | None:
    means = [row.get("mean_csi4") for row in _check_ins_by_partner(metrics).values()]
    known = [float(m) for m in means if m is not None]
    return min(known) if known else None


def _csi4_below_cutoff_total(metrics: Metrics, extras: Extras) -> int:
    return sum(int(row.get("csi4_below_cutoff", 0)) for row in _check_ins_by_partner(metrics).values())


@dataclass(frozen=True)
class DerivedFact:
    """A fact computed from the metrics object (and the optional extras), named like a metric."""

    description: str
    schema: SchemaNode
    compute: Callable[[Metrics, Extras], Any]


#: Every derived fact, in one place. Conditions and text templates name them like metrics.
DERIVED_FACTS: Final[Mapping[str, DerivedFact]] = {
    "days_since_last_check_in": DerivedFact(
        "Per partner (use *): whole days since that partner's last check-in, over all the weekly rows, "
        "not only the window. With extras['last_check_in'][handle] (an ISO time, or None for none): "
        "floor((as_of - that time) / 24 h). Otherwise: the days from the week_start (a Monday) of the last "
        "weekly row whose by_partner[handle].check_ins > 0 to the UTC date of as_of, so up to 6 days more "
        "than the truth. Never below 0; null when the partner has no check-in.",
        {"*": "number?"},
        _days_since_last_check_in,
    ),
    "max_days_since_last_check_in": DerivedFact(
        "The largest days_since_last_check_in over the partners, nulls left out; null when neither partner "
        "has a check-in.",
        "number?",
        _max_days_since_last_check_in,
    ),
    "trust_trend": DerivedFact(
        "weekly[-1].trust_consistency - weekly[-2].trust_consistency: the week-on-week change of the "
        "trust-consistency score over the last two weekly rows (the last row is the week holding as_of, "
        "scored as of as_of). Null with fewer than two rows.",
        "number?",
        _trust_trend,
    ),
    "weeks_of_data": DerivedFact(
        "len(weekly): the weeks from the week of the couple's first entry to the week holding as_of, "
        "empty weeks included; 0 when nothing is logged.",
        "int",
        _weeks_of_data,
    ),
    "min_partner_csi4": DerivedFact(
        "The lowest check_ins.by_partner[handle].mean_csi4 over the partners (in the window), nulls left "
        "out; null when neither partner answered the CSI-4 in the window.",
        "number?",
        _min_partner_csi4,
    ),
    "csi4_below_cutoff_total": DerivedFact(
        "The sum of check_ins.by_partner[handle].csi4_below_cutoff over the partners: how many CSI-4 "
        "totals in the window, both partners together, fell below the cut-off; 0 when none did.",
        "int",
        _csi4_below_cutoff_total,
    ),
}


def facts_schema(metrics_schema: Schema) -> Schema:
    """The schema of the facts: the metrics schema given, with every derived fact added under its name."""
    shadowed = sorted(set(metrics_schema) & set(DERIVED_FACTS))
    if shadowed:
        raise GuidanceError(f"derived facts would shadow metrics of the schema: {shadowed}")
    return {**metrics_schema, **{name: fact.schema for name, fact in DERIVED_FACTS.items()}}


def build_facts(metrics: Metrics, extras: Extras | None = None) -> dict[str, Any]:
    """The metrics object with every derived fact added under its name."""
    extras = extras or {}
    unknown = set(extras) - EXTRAS_KEYS
    if unknown:
        raise GuidanceError(f"unknown extras {sorted(unknown)}; known: {sorted(EXTRAS_KEYS)}")
    facts = dict(metrics)
    for name, fact in DERIVED_FACTS.items():
        facts[name] = fact.compute(metrics, extras)
    return facts
