"""Table views of the charts: one row per week or per category, with readable column names, and the
span of weeks the charts show. Partners are always listed in registration order, side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.vocabulary import HORSEMEN
from projections.formatting import number, pct, ratio


def rates_table(weekly: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "Week of": w["week_start"],
            "Repair attempts": w["repairs_offered"],
            "Accepted": w["repairs_accepted"],
            "Declined": w["repairs_declined"],
            "Acceptance": pct(w["acceptance_rate"]),
            "Promises due": w["promises_due"],
            "Kept": w["promises_kept"],
            "Keeping": pct(w["keeping_rate"]),
        }
        for w in weekly
    ]


def trust_table(weekly: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"Week of": w["week_start"], "Trust consistency": f"{w['trust_consistency']:.0f}"} for w in weekly
    ]


def turn_toward_table(weekly: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "Week of": w["week_start"],
            "Bids": w["bids"],
            "Turned toward": w["bids_toward"],
            "Share": pct(w["bids_toward"] / w["bids"] if w["bids"] else None),
        }
        for w in weekly
    ]


def partner_table(
    weekly: Sequence[Mapping[str, Any]], partners: Mapping[str, str], measure: str
) -> list[dict[str, Any]]:
    """One row per week, one column per partner (value and check-ins), for `mean_csi4`,
    `mean_closeness` or `mean_trust`."""
    rows = []
    for w in weekly:
        row: dict[str, Any] = {"Week of": w["week_start"]}
        for handle, name in partners.items():
            figures = w["by_partner"].get(handle) or {}
            row[name] = number(figures.get(measure))
            row[f"{name}: check-ins"] = figures.get("check_ins", 0)
        rows.append(row)
    return rows


def horsemen_table(counts: Mapping[str, int]) -> list[dict[str, Any]]:
    return [{"Horseman": name.capitalize(), "Times named": int(counts.get(name, 0))} for name in HORSEMEN]


def positive_negative_table(figures: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {"Moments": "Positive (appreciations, bids met toward)", "Count": str(figures["positive"])},
        {"Moments": "Negative (bids met against, horsemen named)", "Count": str(figures["negative"])},
        {"Moments": "Balance", "Count": ratio(figures)},
    ]


def activity_table(weekly: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "Week of": w["week_start"],
            "Repair attempts": w["repairs_offered"],
            "Conflicts": w["conflicts"],
            "Horsemen named": w["horsemen"],
            "Check-ins": w["check_ins"],
            "Bids": w["bids"],
            "Appreciations": w["appreciations"],
        }
        for w in weekly
    ]


def recent_weeks(weekly: Sequence[Mapping[str, Any]], weeks: int) -> list[Mapping[str, Any]]:
    """The last `weeks` rows of the weekly series (the charts show a readable span)."""
    return list(weekly[-weeks:]) if weeks > 0 else list(weekly)
