"""A plain-Python reference implementation of SPEC section 10's caseload, written from its sentences with
loops over entries (no polars, no SQL), as the oracle `projections.caseload` is property-tested against.
The SPEC section 4 pieces come from the section 4 reference (`tests.support.reference`).

Readings written down (docs): `last_entry_at` is the latest `occurred_at` among the entries that exist as
of T other than `couple_registered` and `entry_retracted` (the entries `quiet` looks at); `csi4_latest` is
each partner's latest CSI-4 total in the window (the one `csi4_below_cutoff` reads), a tie in
`occurred_at` going to the one recorded later.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

from tests.support.reference import Reference

FLAGS = (
    "csi4_below_cutoff",
    "csi4_falling",
    "contempt",
    "promises_lapsing",
    "trust_falling",
    "repairs_declined",
    "quiet",
)

# The fields of one caseload row, as SPEC section 10 names them (the HTTP API sends the same row).
ROW_KEYS = frozenset(
    {
        "couple",
        "names",
        "last_entry_at",
        "flags",
        "reasons",
        "csi4_latest",
        "trust_consistency",
        "acceptance_rate",
        "keeping_rate",
    }
)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def reference_row(entries: list[dict[str, Any]], as_of: datetime, window_days: int = 28) -> dict[str, Any]:
    """One couple's caseload row, straight from SPEC section 10."""
    ref = Reference(entries, as_of, window_days)
    T = ref.T  # noqa: N806 -- the spec's names
    W = timedelta(days=window_days)  # noqa: N806
    registration = next(e for e in entries if e["type"] == "couple_registered")
    names = [p["name"] for p in registration["partners"]]
    repair, promises = ref.repair(), ref.promises()
    trust_now, weight_now = ref.trust_at(T)
    trust_before, _ = ref.trust_at(T - timedelta(days=14))

    def csi4(by: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
        return [c for c in ref.of("check_in") if c["by"] == by and c.get("csi4") and start < c["_at"] <= end]

    latest: dict[str, int | None] = {}
    flags: set[str] = set()
    for h in ref.partners:
        window = csi4(h, T - W, T)
        last = max(window, key=lambda c: (c["_at"], c["_index"])) if window else None
        latest[h] = None if last is None else sum(last["csi4"])
        # csi4_below_cutoff: a partner's latest CSI-4 total in the window is below 13.5.
        if last is not None and sum(last["csi4"]) < 13.5:
            flags.add("csi4_below_cutoff")
        # csi4_falling: mean in the window at least 3 points below the mean in (T - 2W, T - W].
        before = csi4(h, T - 2 * W, T - W)
        if window and before:
            now_mean = Fraction(sum(sum(c["csi4"]) for c in window), len(window))
            before_mean = Fraction(sum(sum(c["csi4"]) for c in before), len(before))
            if now_mean <= before_mean - 3:
                flags.add("csi4_falling")
    # contempt: named on at least one conflict started in the window.
    if any("contempt" in c["horsemen"] for c in ref.of("conflict_started") if ref.in_window(c["_at"])):
        flags.add("contempt")
    # promises_lapsing: at least 2 promises lapsed in the window.
    if promises["lapsed"] >= 2:
        flags.add("promises_lapsing")
    # trust_falling: at least 10 points below its value 14 days before, with weight at least 1.
    if trust_before - trust_now >= 10 and weight_now >= 1:
        flags.add("trust_falling")
    # repairs_declined: acceptance below 0.5 with at least 4 attempts answered.
    answered = repair["accepted"] + repair["declined"]
    if answered >= 4 and repair["accepted"] / answered < 0.5:
        flags.add("repairs_declined")
    # quiet: no entry (other than registration and retractions) in (T - 14 days, T].
    logged = [
        e["_at"]
        for e in ref.live
        if e["_at"] <= T and e["type"] not in ("couple_registered", "entry_retracted")
    ]
    if not any(T - timedelta(days=14) < at for at in logged):
        flags.add("quiet")
    return {
        "couple": ref.handle,
        "names": names,
        "last_entry_at": _iso(max(logged)) if logged else None,
        "flags": [f for f in FLAGS if f in flags],
        "csi4_latest": latest,
        "trust_consistency": trust_now,
        "acceptance_rate": repair["acceptance_rate"],
        "keeping_rate": promises["keeping_rate"],
    }


def reference_caseload(
    streams: dict[str, list[dict[str, Any]]], as_of: datetime, window_days: int = 28
) -> list[dict[str, Any]]:
    """Every couple's row (streams by handle), more flags first, then by handle."""
    rows = [reference_row(entries, as_of, window_days) for entries in streams.values()]
    return sorted(rows, key=lambda r: (-len(r["flags"]), r["couple"]))
