"""How a number reads, written once for every place that shows one: the dashboard's cards and tables,
the command line's table, the charts' captions and the counselor report.

The metrics object stays unrounded (SPEC section 4); numbers are rounded only here, for display. A rate
or mean over nothing reads as a dash.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

NOTHING: Final = "—"  # a rate or mean over nothing
NO_CHANGE: Final = "no change"  # a change that rounds to nothing


def pct(value: float | None) -> str:
    """A rate as a whole percentage: 0.861 reads "86%"."""
    return NOTHING if value is None else f"{value:.0%}"


def number(value: float | None, digits: int = 1) -> str:
    return NOTHING if value is None else f"{value:.{digits}f}"


def minutes(value: float | None) -> str:
    """A duration given in minutes, in the unit that reads best: minutes, hours or days."""
    if value is None:
        return NOTHING
    if value < 90:
        return f"{value:.0f} min"
    if value < 48 * 60:
        return f"{value / 60:.1f} h"
    return f"{value / 1440:.1f} days"


def ratio(figures: Mapping[str, Any]) -> str:
    """The positive-to-negative balance as "4.2 : 1"; "12 : 0" when nothing negative was logged."""
    if figures["ratio"] is not None:
        return f"{figures['ratio']:.1f} : 1"
    if figures["positive"]:
        return f"{figures['positive']} : 0"
    return NOTHING


def per_one(value: float) -> str:
    """A reference balance such as five to one, as "5 : 1"."""
    return f"{value:g} : 1"


def signed(value: float, digits: int, unit: str = "") -> str:
    """A change with its sign; a change that rounds to nothing reads "no change" (never "±0", which a
    dashboard card would draw with an arrow, nor "+0" or "-0")."""
    rounded = round(value, digits)
    if rounded == 0:
        return NO_CHANGE
    return f"{rounded:+.{digits}f}{unit}"


def rate_change(now: float | None, before: float | None) -> str | None:
    """The change of a rate in percentage points, or None when either side is over nothing."""
    if now is None or before is None:
        return None
    return signed((now - before) * 100, 0, " pts")


def mean_change(now: float | None, before: float | None, digits: int = 1) -> str | None:
    if now is None or before is None:
        return None
    return signed(now - before, digits)


def points_since(now: float, before: float) -> str:
    """A rate's change with where it came from, for a report: "+12 points (was 48%)", or "no change
    from 48%"."""
    moved = signed((now - before) * 100, 0, " points")
    return f"{NO_CHANGE} from {pct(before)}" if moved == NO_CHANGE else f"{moved} (was {pct(before)})"


def change_since(now: float, before: float, digits: int) -> str:
    """A mean's or count's change with where it came from: "+1.5 (was 3.0)", or "no change from 3.0"."""
    moved = signed(now - before, digits)
    was = f"{before:.{digits}f}"
    return f"{NO_CHANGE} from {was}" if moved == NO_CHANGE else f"{moved} (was {was})"


def local_text(moment: datetime, zone: str) -> str:
    """ "Tue 24 Nov 2026, 21:53" in the couple's time zone."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%a %d %b %Y, %H:%M")
