"""The caseload as the counselor's home shows it: each couple's weekly trends for the sparklines (CSI-4 per
partner, trust consistency, acceptance), the table's rows with each flag's reason, and the filter by flag.

The trends of every couple are computed together, as the caseload's flags are (`projections.caseload`):
one query fetches the live rows of every couple asked about, and one set of polars passes over them gives
every couple's weeks. A "week" here is one of the 7-day spans (T - 7(k + 1) days, T - 7k days] counted back
from T, the same for every couple whatever its time zone (a sparkline shows a direction, not a calendar);
the couple's own calendar weeks are on its page.

- `csi4`: each partner's mean CSI-4 total of the check-ins in the week (null for a week without one).
- `trust_consistency`: the couple's trust consistency as of the end of the week (50 with no history).
- `acceptance_rate`: accepted / answered of the attempts offered in the week, outcome by T (null for a
  week without an answered attempt).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

import polars as pl

from domain.vocabulary import REPAIR_OUTCOMES
from projections.caseload import FLAG_NAMES, _members, fetch
from projections.metrics import CoupleInfo, Metrics
from projections.readmodel import View

__all__ = ["FLAG_LABELS", "TREND_WEEKS", "caseload_trends", "filtered", "table_rows"]

TREND_WEEKS: Final = 12
READ_TYPES: Final = ("repair_offered", *REPAIR_OUTCOMES, "check_in")  # besides the promises
WEEK: Final = timedelta(days=7)
_WEEK_US: Final = 7 * 24 * 3600 * 1_000_000

# The flags' short names on the screen (the reason beside each says what it means).
FLAG_LABELS: Final[Mapping[str, str]] = {
    "csi4_below_cutoff": "Low satisfaction",
    "csi4_falling": "Satisfaction falling",
    "contempt": "Contempt named",
    "promises_lapsing": "Promises lapsing",
    "trust_falling": "Trust falling",
    "repairs_declined": "Repairs declined",
    "quiet": "Quiet",
}
assert set(FLAG_LABELS) == set(FLAG_NAMES)


def caseload_trends(
    view: View, handles: Sequence[str], as_of: datetime, weeks: int = TREND_WEEKS
) -> dict[str, dict[str, Any]]:
    """`{handle: {"weeks": [end of each week, UTC ISO, oldest first], "csi4": {partner: [mean or None]},
    "trust_consistency": [score], "acceptance_rate": [rate or None]}}` for every registered couple among
    the handles (unknown ones left out), in one pass over all of them."""
    members = _members(view, handles)
    if not members:
        return {}
    rows = fetch(view, members, as_of, as_of - weeks * WEEK, READ_TYPES)
    metrics = Metrics(rows, CoupleInfo("caseload", "UTC", ("", "")), as_of, weeks * 7)
    t = metrics.T
    ends = [t - (weeks - 1 - k) * WEEK for k in range(weeks)]

    def week(column: str) -> pl.Expr:
        """The index of the week (0 the oldest) an instant falls in; out of range before the first."""
        back = (((pl.lit(t) - pl.col(column)).dt.total_microseconds() - 1) // _WEEK_US).clip(lower_bound=0)
        return (weeks - 1 - back).alias("week")

    in_span = metrics.in_window()
    # CSI-4: each partner's mean per week.
    csi4 = (
        metrics.of_type("check_in")
        .filter(in_span & pl.col("csi4_total").is_not_null())
        .with_columns(week("occurred_at"))
        .group_by("actor", "partner", "week")
        .agg(pl.col("csi4_total").cast(pl.Float64).mean().alias("mean"))
    )
    csi4_of = {(int(r[0]), int(r[1]), int(r[2])): float(r[3]) for r in csi4.iter_rows()}
    # Acceptance: attempts offered in the week, outcome by T.
    answered = (
        metrics.attempts()
        .filter(in_span & pl.col("outcome").is_not_null())
        .with_columns(week("occurred_at"))
        .group_by("actor", "week")
        .agg((pl.col("outcome") == "repair_accepted").mean().alias("rate"))
    )
    rate_of = {(int(r[0]), int(r[1])): float(r[2]) for r in answered.iter_rows()}
    # Trust consistency as of each week's end, every couple at once.
    refs = pl.DataFrame(
        {"ref_id": list(range(weeks)), "R": ends}, schema={"ref_id": pl.Int64, "R": pl.Datetime("us")}
    )
    scores = metrics.trust_scores(refs).filter(pl.col("actor").is_not_null())
    trust_of = {(int(r["actor"]), int(r["ref_id"])): float(r["score"]) for r in scores.iter_rows(named=True)}

    labels = [end.isoformat() + "Z" for end in ends]
    result = {}
    for m in members:
        n = m.number
        result[m.handle] = {
            "weeks": labels,
            "csi4": {h: [csi4_of.get((n, i, k)) for k in range(weeks)] for i, h in enumerate(m.partners)},
            "trust_consistency": [trust_of.get((n, k), 50.0) for k in range(weeks)],
            "acceptance_rate": [rate_of.get((n, k)) for k in range(weeks)],
        }
    return result


# ------------------------------------------------------------------------------------------------
# The table of the counselor's home.
# ------------------------------------------------------------------------------------------------
def filtered(rows: Iterable[Mapping[str, Any]], flags: Iterable[str]) -> list[Mapping[str, Any]]:
    """The rows raising at least one of the chosen flags (every row when none is chosen)."""
    chosen = set(flags)
    return [r for r in rows if not chosen or chosen & set(r["flags"])]


def _points(values: Sequence[float | None]) -> list[float]:
    """A sparkline's points: the weeks that have a figure, in order."""
    return [round(v, 3) for v in values if v is not None]


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, 1)


def table_rows(
    rows: Iterable[Mapping[str, Any]], trends: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """One record per caseload row (SPEC section 10), as the table shows it: names, the flags by their
    short names with every reason in words, the figures (rates in percent) and the sparklines' points
    (the first and the second partner as registered)."""
    records = []
    for row in rows:
        couple, names = str(row["couple"]), list(row["names"])
        trend = trends.get(couple, {})
        latest = list(row["csi4_latest"].items())
        csi4_trends = list(trend.get("csi4", {}).values()) or [[], []]
        last = row["last_entry_at"]
        records.append(
            {
                "couple": couple,
                "names": " & ".join(names),
                "last_entry": None
                if last is None
                else datetime.fromisoformat(str(last).replace("Z", "+00:00")),
                "flags": [FLAG_LABELS[f] for f in row["flags"]],
                "why": " ".join(row["reasons"][f] for f in row["flags"]) or "Nothing asks for attention.",
                "csi4_latest": " · ".join(
                    f"{name} {'—' if total is None else total}"
                    for name, (_, total) in zip(names, latest, strict=False)
                ),
                "csi4_lowest": min((t for _, t in latest if t is not None), default=None),
                "csi4_first": _points(csi4_trends[0]),
                "csi4_second": _points(csi4_trends[1]) if len(csi4_trends) > 1 else [],
                "trust": round(float(row["trust_consistency"]), 1),
                "trust_trend": _points(trend.get("trust_consistency", [])),
                "acceptance": _percent(row["acceptance_rate"]),
                "acceptance_trend": _points(trend.get("acceptance_rate", [])),
                "keeping": _percent(row["keeping_rate"]),
            }
        )
    return records
