"""The input limits of SPEC section 3 ("Limits"), in one place for the import, the forms, the command line
and the HTTP API: how long a line may be, which instants the store accepts, how long a window may be, and how
much of an offending value a message may quote.

Each limit is refused like any other rule: a `Problem` with a stable code registered in `domain.rules`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

from domain.errors import Problem

MAX_LINE_BYTES: Final = 1024 * 1024  # a line of an imported file, newline excluded
EARLIEST: Final = datetime(2000, 1, 1, tzinfo=UTC)  # occurred_at lies on or after this instant
LATEST: Final = datetime(2100, 1, 1, tzinfo=UTC)  # due_at (and every moment asked about) lies before it
DEFAULT_WINDOW_DAYS: Final = 28  # "over a window of W days, default 28"
MIN_WINDOW_DAYS: Final = 1
MAX_WINDOW_DAYS: Final = 3660
MAX_QUOTED: Final = 80  # characters of an offending value a message may quote


def quote(value: object) -> str:
    """`repr` of a value, cut to at most MAX_QUOTED characters (an ellipsis marks the cut)."""
    if isinstance(value, str):  # a long string is cut before it is copied into its repr
        value = value[: MAX_QUOTED + 1]
    try:
        text = repr(value)
    except ValueError:  # an integer of more than 4,300 digits, which Python will not print
        return "a number too long to print"
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 1] + "…"


def window_problem(days: int, field: str = "window_days") -> Problem | None:
    """A window W outside 1–3660 days, or None when it is fine."""
    if MIN_WINDOW_DAYS <= days <= MAX_WINDOW_DAYS:
        return None
    detail = f"{days} days; a window is {MIN_WINDOW_DAYS}–{MAX_WINDOW_DAYS} days"
    return Problem(field, "window.out_of_range", detail)


def moment_problem(moment: datetime, field: str) -> Problem | None:
    """A moment asked about (`--as-of`, `--from`, `--to`, `as_of=`) outside [2000-01-01, 2100-01-01)."""
    if EARLIEST <= moment < LATEST:
        return None
    return Problem(field, "time.out_of_range", f"{moment.isoformat()} lies outside 2000-01-01 to 2099-12-31")
