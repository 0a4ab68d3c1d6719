"""Metrics objects shaped exactly like SPEC section 4 ("Machine-readable form"), for tests of what reads them.

``make_metrics(**overrides)`` starts from a couple with nothing logged in the window (counts 0, rates and
means null, trust score 50 on weight 0, no weekly rows) and sets each override, naming nested keys with
``__``: ``make_metrics(repair__acceptance_rate=0.25, check_ins__by_partner__ben__mean_csi4=12.0)``.
An override naming a key the object does not have is an error, so a typo cannot pass silently.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

HANDLES = ("ana", "ben")
AS_OF = "2026-06-03T18:00:00+00:00"  # a Wednesday; its week starts on Monday 2026-06-01
LAST_WEEK_START = date(2026, 6, 1)


def _repair() -> dict[str, Any]:
    return {"offered": 0, "accepted": 0, "declined": 0, "pending": 0, "acceptance_rate": None}


def _promises() -> dict[str, Any]:
    return {"due": 0, "kept": 0, "kept_late": 0, "broken": 0, "lapsed": 0, "open": 0, "keeping_rate": None}


def no_check_ins() -> dict[str, Any]:
    """One partner's check-in figures when there is no check-in in the window."""
    return {
        "count": 0,
        "mean_closeness": None,
        "mean_trust": None,
        "csi4_count": 0,
        "mean_csi4": None,
        "csi4_below_cutoff": 0,
    }


def _override(target: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    for name, value in overrides.items():
        parts = name.split("__")
        node = target
        for part in parts[:-1]:
            if part not in node:
                raise KeyError(f"{name}: no {part!r} here")
            node = node[part]
        if parts[-1] not in node:
            raise KeyError(f"{name}: no {parts[-1]!r} here")
        node[parts[-1]] = value
    return target


def make_metrics(handles: tuple[str, str] = HANDLES, **overrides: Any) -> dict[str, Any]:
    """A full, valid metrics object for two partners, with the overrides applied."""
    metrics: dict[str, Any] = {
        "couple": "-".join(handles),
        "as_of": AS_OF,
        "window_days": 28,
        "repair": {**_repair(), "by_partner": {h: _repair() for h in handles}},
        "promises": {**_promises(), "by_partner": {h: _promises() for h in handles}},
        "trust_consistency": {
            "score": 50.0,
            "weight": 0.0,
            "by_partner": dict.fromkeys(handles, 50.0),
            "weight_by_partner": dict.fromkeys(handles, 0.0),
        },
        "check_ins": {"count": 0, "by_partner": {h: no_check_ins() for h in handles}},
        "bids": {"total": 0, "toward": 0, "away": 0, "against": 0, "turn_toward_rate": None},
        "positive_negative": {"positive": 0, "negative": 0, "ratio": None},
        "conflicts": {
            "started": 0,
            "resolved": 0,
            "horsemen": {"criticism": 0, "contempt": 0, "defensiveness": 0, "stonewalling": 0},
            "recurring_topics": [],
            "repaired": 0,
            "median_minutes_to_repair": None,
        },
        "weekly": [],
    }
    return _override(metrics, overrides)


def week_row(week_start: date, handles: tuple[str, str] = HANDLES, **overrides: Any) -> dict[str, Any]:
    """One weekly row with nothing logged that week, with the overrides applied (``by_partner__ana__...``)."""
    row: dict[str, Any] = {
        "week_start": week_start.isoformat(),
        "repairs_offered": 0,
        "repairs_accepted": 0,
        "repairs_declined": 0,
        "acceptance_rate": None,
        "promises_due": 0,
        "promises_kept": 0,
        "keeping_rate": None,
        "check_ins": 0,
        "mean_closeness": None,
        "mean_trust": None,
        "conflicts": 0,
        "horsemen": 0,
        "bids": 0,
        "bids_toward": 0,
        "appreciations": 0,
        "mean_csi4": None,
        "by_partner": {
            h: {"check_ins": 0, "mean_closeness": None, "mean_trust": None, "mean_csi4": None}
            for h in handles
        },
        "trust_consistency": 50.0,
    }
    return _override(row, overrides)


def weeks(count: int, trust: list[float] | None = None) -> list[dict[str, Any]]:
    """``count`` consecutive weekly rows ending with the week holding AS_OF; ``trust`` gives their scores."""
    first = LAST_WEEK_START - timedelta(weeks=count - 1)
    rows = [week_row(first + timedelta(weeks=i)) for i in range(count)]
    for row, score in zip(rows, trust or [], strict=False):
        row["trust_consistency"] = score
    return rows
